import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, buildDepartment, buildUser } from "../../../test/factories";
import { json, startTestApp, type TestApp } from "../../../test/harness";
import { sealPending, verifyAuditLog } from "./audit";
import { exportTreeHead } from "./export";

describe("audit trail", () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    const root = await buildDepartment(t.platform, "government");
    admin = await (await buildUser(t.platform, { roles: ["admin"], department: root })).token(t.app);
    for (let i = 0; i < 25; i++) {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/admin/departments",
        headers: bearer(admin),
        payload: { code: `AUD-${i}`, name: `审计测试局${i}`, kind: "bureau", parentId: root.id },
      });
      expect(res.statusCode).toBe(201);
      if (i % 10 === 0) await sealPending(t.platform.db, t.platform.auditKey, t.platform.clock);
    }
    await sealPending(t.platform.db, t.platform.auditKey, t.platform.clock);
  });
  afterAll(() => t.close());

  type Statement = ReturnType<typeof sql>;
  const tamper = async (change: Statement | Statement[], undo: Statement | Statement[]) => {
    for (const statement of [change].flat()) await t.platform.db.execute(statement);
    const report = await verifyAuditLog(t.platform.db);
    for (const statement of [undo].flat()) await t.platform.db.execute(statement);
    return report;
  };
  const swap = (a: number, b: number) => [
    sql`update audit.records set leaf_index = -1 where leaf_index = ${a}`,
    sql`update audit.records set leaf_index = ${a} where leaf_index = ${b}`,
    sql`update audit.records set leaf_index = ${b} where leaf_index = -1`,
  ];

  it("records each change with who, what, when, where and outcome, sealed into signed tree heads", async () => {
    const res = await t.app.inject({
      url: "/api/admin/audit?action=identity.department.created",
      headers: bearer(admin),
    });
    const page = json<{
      items: { actorName: string; ip: string; outcome: string; leafIndex: number | null }[];
      total: number;
    }>(res);
    expect(page.total).toBe(25);
    expect(page.items[0]).toMatchObject({ outcome: "success", ip: "127.0.0.1" });
    expect(page.items.every((r) => r.leafIndex !== null)).toBe(true);
    const report = await verifyAuditLog(t.platform.db);
    expect(report).toMatchObject({ ok: true, unsealed: 0, problems: [] });
    expect(report.checkedHeads).toBeGreaterThanOrEqual(3);
    const verify = await t.app.inject({
      method: "POST",
      url: "/api/admin/audit/verify",
      headers: bearer(admin),
    });
    expect(json(verify)).toMatchObject({ ok: true });
  });

  it("has tree heads that OpenSSL verifies with the SM2 public key", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sth-"));
    const exported = await exportTreeHead(t.platform.db, dir);
    const out = execFileSync("sh", ["-c", exported!.opensslCommand]).toString();
    expect(out).toContain("Verified OK");
  });

  it("detects an edited record", async () => {
    const report = await tamper(
      sql`update audit.records set outcome = 'failure' where leaf_index = 3`,
      sql`update audit.records set outcome = 'success' where leaf_index = 3`,
    );
    expect(report.ok).toBe(false);
    expect(report.problems.join("\n")).toContain("leaf 3");
  });

  it("detects a deleted record", async () => {
    await t.platform.db.execute(
      sql`create temp table saved as select * from audit.records where leaf_index = 5`,
    );
    const report = await tamper(
      sql`delete from audit.records where leaf_index = 5`,
      sql`insert into audit.records select * from saved`,
    );
    expect(report.ok).toBe(false);
    expect(report.problems.join("\n")).toMatch(/deleted/);
  });

  it("detects reordered records, even with their hashes moved along", async () => {
    const report = await tamper(swap(7, 8), swap(7, 8));
    expect(report.ok).toBe(false);
    expect(report.problems.join("\n")).toContain("signed root");
    expect((await verifyAuditLog(t.platform.db)).ok).toBe(true);
  });

  it("detects a forged tree head signature", async () => {
    const report = await tamper(
      sql`update audit.tree_heads set signed_at = signed_at + interval '1 second' where tree_size = (select max(tree_size) from audit.tree_heads)`,
      sql`update audit.tree_heads set signed_at = signed_at - interval '1 second' where tree_size = (select max(tree_size) from audit.tree_heads)`,
    );
    expect(report.problems.join("\n")).toContain("signature");
  });
});
