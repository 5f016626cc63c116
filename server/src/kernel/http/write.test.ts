import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, buildAdmin, buildDepartment, buildUser, type TestDepartment } from "../../../test/factories";
import { json, startTestApp, type TestApp } from "../../../test/harness";
import { queryRows } from "../db/db";

describe("writes: one transaction, idempotent retries, clear problems", () => {
  let t: TestApp;
  let admin: string;
  let root: TestDepartment;

  beforeAll(async () => {
    t = await startTestApp();
    ({ root, token: admin } = await buildAdmin(t.platform, t.app));
  });
  afterAll(() => t.close());

  const create = (code: string, key?: string, name = "区测试局") =>
    t.app.inject({
      method: "POST",
      url: "/api/admin/departments",
      headers: { ...bearer(admin), ...(key ? { "idempotency-key": key } : {}) },
      payload: { code, name, kind: "bureau", parentId: root.id },
    });

  const count = async (code: string) =>
    (
      await queryRows<{ n: number }>(
        t.platform.db,
        sql`select count(*)::int as n from identity.departments where code = ${code}`,
      )
    )[0]!.n;

  it("replays the first response for a retried request with the same Idempotency-Key", async () => {
    const first = await create("IDEM-1", "key-1");
    const second = await create("IDEM-1", "key-1");
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(json(second)).toEqual(json(first));
    expect(second.headers["idempotent-replayed"]).toBe("true");
    expect(await count("IDEM-1")).toBe(1);
  });

  it("acts once when the same request arrives many times at once", async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => create("IDEM-2", "key-2")));
    expect(new Set(answers.map((a) => json<{ id: string }>(a).id)).size).toBe(1);
    expect(answers.every((a) => a.statusCode === 201)).toBe(true);
    expect(await count("IDEM-2")).toBe(1);
    const audits = await queryRows<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from audit.records where action = 'identity.department.created' and details->>'code' = 'IDEM-2'`,
    );
    expect(audits[0]!.n).toBe(1);
  });

  it("refuses a reused key with a different body", async () => {
    await create("IDEM-3", "key-3");
    const other = await create("IDEM-3b", "key-3");
    expect(other.statusCode).toBe(422);
    expect(json(other).code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await count("IDEM-3b")).toBe(0);
  });

  it("writes nothing when the use case fails half-way (a duplicate code)", async () => {
    await create("DUP-1");
    const before = await queryRows<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from platform.outbox`,
    );
    const dup = await create("DUP-1");
    expect(dup.statusCode).toBe(409);
    expect(json(dup)).toMatchObject({ code: "DEPARTMENT_CODE_TAKEN", errors: [{ field: "/body/code" }] });
    const after = await queryRows<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from platform.outbox`,
    );
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it("answers oversized bodies with 413 and unknown routes with a 404 problem", async () => {
    const big = await t.app.inject({
      method: "POST",
      url: "/api/admin/departments",
      headers: { ...bearer(admin), "content-type": "application/json" },
      payload: JSON.stringify({
        code: "BIG",
        name: "x".repeat(2 * 1024 * 1024),
        kind: "bureau",
        parentId: root.id,
      }),
    });
    expect(big.statusCode).toBe(413);
    expect(json(big).code).toBe("PAYLOAD_TOO_LARGE");
    const missing = await t.app.inject({ url: "/api/nothing-here", headers: bearer(admin) });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers["content-type"]).toContain("application/problem+json");
  });

  it("writes the change, its audit record and its event in one transaction", async () => {
    const res = await create("TX-1");
    const id = json<{ id: string }>(res).id;
    const [audit] = await queryRows<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from audit.records where resource_id = ${id}`,
    );
    const [event] = await queryRows<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from platform.outbox where topic = 'identity.department.created' and payload->>'id' = ${id}`,
    );
    expect(audit!.n).toBe(1);
    expect(event!.n).toBe(1);
  });
});

describe("strings PostgreSQL cannot store", () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    const root = await buildDepartment(t.platform, "government");
    admin = await (await buildUser(t.platform, { roles: ["admin"], department: root })).token(t.app);
  });
  afterAll(() => t.close());

  it("refuses NUL and unpaired surrogates in query strings and bodies, naming where", async () => {
    const query = await t.app.inject({ url: "/api/admin/staff?q=a%00b", headers: bearer(admin) });
    expect(query.statusCode).toBe(400);
    expect(json<{ errors: { field: string }[] }>(query).errors[0]!.field).toBe("/query/q");
    const body = await t.app.inject({
      method: "POST",
      url: "/api/auth/token",
      headers: { "content-type": "application/json" },
      payload: '{"username":"\\ud800","password":"x"}',
    });
    expect(body.statusCode).toBe(400);
    expect(json<{ errors: { field: string }[] }>(body).errors[0]!.field).toBe("/body/username");
  });
});

describe("concurrent writes grouped into one statement", () => {
  let t: TestApp;
  let admin: string;
  let root: TestDepartment;

  beforeAll(async () => {
    t = await startTestApp();
    ({ root, token: admin } = await buildAdmin(t.platform, t.app));
  });
  afterAll(() => t.close());

  it("gives each request of a batch its own answer, audit record and event", async () => {
    const community = await buildDepartment(t.platform, "community");
    const bodies = Array.from({ length: 40 }, (_, i) => {
      if (i % 10 === 3)
        return {
          code: `G-${i}`,
          name: "无上级",
          kind: "bureau",
          parentId: "01900000-0000-7000-8000-000000000000",
        };
      if (i % 10 === 5) return { code: `G-${i}`, name: "错位", kind: "bureau", parentId: community.id };
      if (i % 10 === 7) return { code: "G-SAME", name: "重复", kind: "bureau", parentId: root.id };
      return { code: `G-${i}`, name: `批量${i}`, kind: "bureau", parentId: root.id };
    });
    const answers = await Promise.all(
      bodies.map((payload) =>
        t.app.inject({ method: "POST", url: "/api/admin/departments", headers: bearer(admin), payload }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s, i) => i % 10 === 3 && s === 404)).toHaveLength(4);
    expect(statuses.filter((s, i) => i % 10 === 5 && s === 422)).toHaveLength(4);
    const same = statuses.filter((_, i) => i % 10 === 7);
    expect(same.filter((s) => s === 201)).toHaveLength(1);
    expect(same.filter((s) => s === 409)).toHaveLength(3);
    const created = answers.filter((a) => a.statusCode === 201).map((a) => json<{ id: string }>(a).id);
    expect(created).toHaveLength(29);
    const [audits] = await queryRows<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from audit.records where action = 'identity.department.created'
            and resource_id in (${sql.join(
              created.map((id) => sql`${id}`),
              sql`, `,
            )})`,
    );
    const [events] = await queryRows<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from platform.outbox where topic = 'identity.department.created'`,
    );
    expect(audits!.n).toBe(29);
    expect(events!.n).toBe(29);
  });
});
