import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/kernel/db/db";
import { adminTokenFromFirstStart } from "./admin-session";
import { cloneDatabase } from "./harness";
import { freePort, startServer, waitReady } from "./process";

/** `npm run audit:verify` as an operator runs it, on the server's own DATA_DIR or DATABASE_URL. */
describe(`audit:verify command (${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it("reports an intact log, exports a tree head OpenSSL verifies, and exits 1 after tampering", {
    timeout: 180_000,
  }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "audit-cli-"));
    const cloned = process.env.DATABASE_URL ? await cloneDatabase() : null;
    const env = { DATA_DIR: dataDir, DEMO: "false", ...(cloned?.url ? { DATABASE_URL: cloned.url } : {}) };
    const server = startServer({ ...env, PORT: String(await freePort()) });
    await waitReady(server);
    const token = await adminTokenFromFirstStart(server);
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const tree = await fetch(`${server.url}/api/admin/departments`, { headers });
    const rootId = ((await tree.json()) as { items: { id: string }[] }).items[0]!.id;
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${server.url}/api/admin/departments`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          code: `CLI-${i}`,
          name: `命令行测试局${i}`,
          kind: "bureau",
          parentId: rootId,
        }),
      });
      expect(res.status).toBe(201);
    }
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);

    const verify = startServer(env, ["audit:verify", "--export", path.join(dataDir, "sth")]);
    expect(await verify.exited).toBe(0);
    expect(verify.stdout()).toContain("Audit log intact");
    expect(verify.stdout()).toContain('"unsealed": 0');
    const command = /openssl dgst .*/.exec(verify.stdout())![0];
    expect(execFileSync("sh", ["-c", command]).toString()).toContain("Verified OK");

    const database = await openDatabase({
      databaseUrl: cloned?.url ?? null,
      pgliteDir: cloned ? null : `${dataDir}/pg`,
    });
    await database.db.execute(
      // An insider quietly rewrites who created a department.
      sql`update audit.records set actor_name = '他人' where action = 'identity.department.created' and details->>'code' = 'CLI-2'`,
    );
    await database.close();
    const tampered = startServer(env, ["audit:verify"]);
    expect(await tampered.exited).toBe(1);
    expect(tampered.stdout()).toContain("AUDIT LOG TAMPERED");
    await cloned?.close();
  });
});
