import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES } from "../src/kernel/access/roles";
import { queryRows } from "../src/kernel/db/db";
import { bearer, buildDepartment, buildUser, type TestDepartment } from "./factories";
import { json, startTestApp, type TestApp } from "./harness";

const BPMN = readFileSync(
  path.resolve(import.meta.dirname, "../src/workflow/library/parallel-review.bpmn"),
  "utf8",
);
/** XML bodies: garbage, and the reference model with a slice replaced by garbage. */
const xmlBody = fc.oneof(
  fc.string(),
  fc
    .tuple(fc.nat(BPMN.length), fc.nat(200), fc.string())
    .map(([at, cut, noise]) => BPMN.slice(0, at) + noise + BPMN.slice(at + cut)),
  fc.constant(BPMN),
);

const RUNS = 1000;
const METHODS = ["post", "put", "patch", "delete"] as const;

interface Op {
  operationId: string;
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
}

/** Any JSON a client could send, with the strings that break naive servers mixed in. */
const nasty = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "'; drop table x; --",
    "\uD800",
    "💥".repeat(50),
    "x".repeat(5000),
    "null",
    "1e309",
  ),
  fc.string(),
);
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    nasty,
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(nasty, fc.string()), tie("value"), { maxKeys: 4 }),
  ),
})).value;

/**
 * Throws ≥ 1,000 generated bodies at every write operation: random JSON, valid bodies with one field
 * replaced, unknown fields, strings with NUL. Nothing may answer 5xx, and nothing that breaks the
 * schema may be stored. The operations are shared between `parts` test files by their position in
 * the OpenAPI document (`part` of them), so the files run in parallel.
 */
export function fuzzWriteOperations(part: number, parts: number): void {
  describe(`every write endpoint survives generated bodies (part ${part + 1} of ${parts})`, () => {
    let t: TestApp;
    let admin: string;
    let root: TestDepartment;
    let spec: { paths: Record<string, Partial<Record<(typeof METHODS)[number], Op>>> };
    let staffId: string;
    let taskId: string;
    let instanceId: string;

    beforeAll(async () => {
      t = await startTestApp();
      root = await buildDepartment(t.platform, "government");
      const adminUser = await buildUser(t.platform, { roles: ["admin"], department: root });
      admin = await adminUser.token(t.app);
      staffId = (await buildUser(t.platform, { roles: ["clerk"], department: root })).id;
      spec = json(await t.app.inject({ url: "/openapi.json" }));
      const headers = { ...bearer(admin), "content-type": "application/xml" };
      await t.app.inject({ method: "POST", url: "/api/workflow/processes", headers, payload: BPMN });
      const started = await t.app.inject({
        method: "POST",
        url: "/api/workflow/processes/parallel-review/instances",
        headers: bearer(admin),
        payload: {},
      });
      instanceId = json<{ id: string }>(started).id;
      const tasks = await t.app.inject({ url: `/api/workflow/tasks?view=started`, headers: bearer(admin) });
      taskId = json<{ items: { id: string }[] }>(tasks).items[0]!.id;
    });
    afterAll(() => t.close());

    const samples = (): Record<string, Record<string, unknown>> => ({
      createDepartment: {
        code: `F${Math.random().toString(36).slice(2, 8)}`,
        name: "模糊测试局",
        kind: "bureau",
        parentId: root.id,
      },
      renameDepartment: { name: "改名后" },
      createStaff: {
        username: `f${Math.random().toString(36).slice(2, 9)}`,
        displayName: "张三",
        departmentId: root.id,
        position: "科员",
        roles: ["clerk"],
      },
      setStaffRoles: { roles: ["approver"] },
      replaceHolidaySchedule: {
        status: "official",
        items: [{ date: "2026-01-01", kind: "holiday", name: "元旦" }],
      },
      signIn: { username: "nobody", password: "wrong" },
      createToken: { username: "nobody", password: "wrong" },
      requestSmsCode: { phone: "13800000000" },
      signInWithSmsCode: { phone: "13800000000", code: "123456" },
      startProcess: { variables: { amount: 1 }, businessKey: "FZ-1" },
      completeTask: { variables: { approved: true } },
      delegateTask: { username: "nobody" },
      cancelInstance: { reason: "模糊测试" },
      ccInstance: { usernames: ["nobody"] },
      correlateMessage: { messageName: "nothing-waits" },
    });

    it(`answers every write operation without a 5xx for ${RUNS} generated bodies each`, {
      timeout: 600_000,
    }, async () => {
      const all = Object.entries(spec.paths).flatMap(([path, item]) =>
        METHODS.filter((m) => item[m]).map((m) => ({ path, method: m, op: item[m]! })),
      );
      expect(all.length).toBeGreaterThanOrEqual(10);
      const ops = all.filter((_, i) => i % parts === part);
      const [department] = await queryRows<{ id: string }>(
        t.platform.db,
        sql`select id from identity.departments limit 1`,
      );
      for (const { path, method, op } of ops) {
        const id = path.includes("staff")
          ? staffId
          : path.includes("/tasks/")
            ? taskId
            : path.includes("/instances/")
              ? instanceId
              : department!.id;
        const url = path.replace("{id}", id).replace("{year}", "2026").replace("{key}", "parallel-review");
        const xml = op.requestBody?.content["application/xml"] !== undefined;
        const properties = Object.keys(op.requestBody?.content["application/json"]?.schema.properties ?? {});
        const body = xml
          ? xmlBody
          : fc.oneof(
              jsonValue,
              fc
                .record({ field: fc.constantFrom(...properties, "unknownField"), value: jsonValue })
                .map(({ field, value }) => ({
                  ...(samples()[op.operationId] ?? {}),
                  [field]: value,
                })),
              fc.constant(samples()[op.operationId] ?? {}),
            );
        const statuses = new Map<number, number>();
        await fc.assert(
          fc.asyncProperty(body, async (payload) => {
            const res = await t.app.inject({
              method: method.toUpperCase() as "POST",
              url,
              headers: { ...bearer(admin), "content-type": xml ? "application/xml" : "application/json" },
              payload: xml ? String(payload) : JSON.stringify(payload),
            });
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            if (res.statusCode >= 500)
              throw new Error(
                `${op.operationId} → ${res.statusCode} ${res.body} for ${JSON.stringify(payload)}`,
              );
            if (res.statusCode >= 400)
              expect(res.headers["content-type"]).toContain("application/problem+json");
          }),
          { numRuns: RUNS },
        );
        expect(
          [...statuses.values()].reduce((a, b) => a + b, 0),
          op.operationId,
        ).toBe(RUNS);
      }
    });

    it("stored nothing outside the schema", async () => {
      const badDepartments = await queryRows(
        t.platform.db,
        sql`select code from identity.departments where code !~ '^[0-9A-Za-z-]{2,40}$' or btrim(name) = ''
            or kind not in ('government','bureau','office','subdistrict','community','grid') or position(chr(1) in name) > 0`,
      );
      expect(badDepartments).toEqual([]);
      const badUsers = await queryRows(
        t.platform.db,
        sql`select username from identity.users where not (roles <@ ${sql.raw(`array[${ROLES.map((r) => `'${r}'`).join(",")}]::text[]`)})
            or (kind = 'staff' and username !~ '^[a-z][a-z0-9._-]{2,31}$' and username not like 'u%')`,
      );
      expect(badUsers).toEqual([]);
      const badDays = await queryRows(
        t.platform.db,
        sql`select date from platform.calendar_days where extract(year from date) <> year or kind not in ('holiday','workday')`,
      );
      expect(badDays).toEqual([]);
      const badProcesses = await queryRows(
        t.platform.db,
        sql`select key from workflow.definitions where key !~ '^[A-Za-z_][\\w.-]{0,99}$'
          union all select id::text from workflow.instances where jsonb_typeof(variables) <> 'object'`,
      );
      expect(badProcesses).toEqual([]);
    });
  });
}
