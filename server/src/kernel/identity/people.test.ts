import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  buildCitizen,
  buildDepartment,
  buildUser,
  type TestDepartment,
} from "../../../test/factories";
import { json, startTestApp, type TestApp } from "../../../test/harness";
import { queryRows } from "../db/db";
import { citizenIdCheckChar } from "./identifiers";

const id = (first17: string) => first17 + citizenIdCheckChar(first17);

describe("reading citizens' personal data", () => {
  let t: TestApp;
  let gridA: TestDepartment;
  let gridB: TestDepartment;
  let citizenA: { id: string; idNumber: string };
  let citizenB: { id: string; idNumber: string };

  beforeAll(async () => {
    t = await startTestApp({ env: { SIGNIN_RATE_LIMIT: "1000" } });
    gridA = await buildDepartment(t.platform, "grid");
    gridB = await buildDepartment(t.platform, "grid");
    citizenA = await buildCitizen(t.platform, {
      department: gridA,
      idNumber: id("44012019850312402"),
      name: "甲某某",
    });
    citizenB = await buildCitizen(t.platform, {
      department: gridB,
      idNumber: id("44012019920708331"),
      name: "乙某某",
    });
  });
  afterAll(() => t.close());

  const reads = async (citizenId: string, outcome: string) =>
    (
      await queryRows<{ n: number }>(
        t.platform.db,
        sql`select count(*)::int as n from audit.records where action = 'identity.citizen.read'
              and resource_id = ${citizenId} and outcome = ${outcome}`,
      )
    )[0]!.n;

  it("lets a grid worker read the people of their own grid only, auditing both the read and the refusal", async () => {
    const worker = await buildUser(t.platform, { roles: ["gridworker"], department: gridA });
    const token = await worker.token(t.app);
    const own = await t.app.inject({ url: `/api/people/citizens/${citizenA.id}`, headers: bearer(token) });
    expect(own.statusCode).toBe(200);
    expect(json(own)).toMatchObject({ idNumber: citizenA.idNumber, name: "甲某某" });
    const other = await t.app.inject({ url: `/api/people/citizens/${citizenB.id}`, headers: bearer(token) });
    // Outside one's area a record is reported absent, so scopes cannot be probed.
    expect(other.statusCode).toBe(404);
    expect(await reads(citizenA.id, "success")).toBe(1);
    expect(await reads(citizenB.id, "denied")).toBe(1);
  });

  it("lets the data bureau find anyone by document number, refusing malformed numbers with the field named", async () => {
    const bureau = await buildUser(t.platform, { roles: ["databureau"] });
    const token = await bureau.token(t.app);
    const found = await t.app.inject({
      url: `/api/people/citizens?idNumber=${citizenB.idNumber}`,
      headers: bearer(token),
    });
    expect(found.statusCode).toBe(200);
    expect(json(found).id).toBe(citizenB.id);
    const bad = await t.app.inject({
      url: "/api/people/citizens?idNumber=440120199207083310",
      headers: bearer(token),
    });
    expect(bad.statusCode).toBe(400);
    expect(json(bad)).toMatchObject({ errors: [{ field: "/query/idNumber" }] });
    // The request log carries the ID number only masked.
    const logged = t.logs.filter((l) => l.includes("/api/people/citizens?idNumber="));
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join("\n")).not.toContain(citizenB.idNumber);
  });

  it("refuses the lookup to roles without a need, and shows a citizen their own record", async () => {
    const clerk = await buildUser(t.platform, { roles: ["clerk"] });
    const refused = await t.app.inject({
      url: `/api/people/citizens/${citizenA.id}`,
      headers: bearer(await clerk.token(t.app)),
    });
    expect(refused.statusCode).toBe(403);
    const self = await buildUser(t.platform, { roles: ["citizen"], citizenId: citizenA.id });
    const mine = await t.app.inject({ url: "/api/me/profile", headers: bearer(await self.token(t.app)) });
    expect(json(mine)).toMatchObject({ id: citizenA.id, idNumber: citizenA.idNumber });
  });

  it("limits sign-in attempts per client address", async () => {
    const limited = await startTestApp({ env: { SIGNIN_RATE_LIMIT: "3" } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await limited.app.inject({
          method: "POST",
          url: "/api/auth/token",
          payload: { username: "x", password: "y" },
        });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) expect(json(res).code).toBe("RATE_LIMITED");
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});
