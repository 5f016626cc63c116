import { randomInt } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { adminTokenFromFirstStart } from "./admin-session";
import { cloneDatabase } from "./harness";
import { freePort, startServer, waitReady } from "./process";

/**
 * Kills the server with SIGKILL in the middle of concurrent writes, five times, and checks after each
 * restart that every write the server acknowledged is there. Runs on PGlite, and on PostgreSQL when
 * DATABASE_URL is set (CI's second pass).
 */
describe(`durability under SIGKILL (${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it("loses no acknowledged write across 5 kills during 100+ concurrent writes", {
    timeout: 300_000,
  }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "fourfold-kill-"));
    const cloned = process.env.DATABASE_URL ? await cloneDatabase() : null;
    const env: Record<string, string> = {
      DATA_DIR: dataDir,
      DEMO: "false",
      ...(cloned?.url ? { DATABASE_URL: cloned.url } : {}),
    };
    const acknowledged: string[] = [];
    let token = "";
    let rootId = "";
    let writes = 0;
    for (let round = 0; round < 5; round++) {
      const port = await freePort();
      const server = startServer({ ...env, PORT: String(port) });
      await waitReady(server);
      if (round === 0) {
        token = await adminTokenFromFirstStart(server);
        const tree = await fetch(`${server.url}/api/admin/departments`, {
          headers: { authorization: `Bearer ${token}` },
        });
        rootId = ((await tree.json()) as { items: { id: string }[] }).items[0]!.id;
      }
      const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
      // Everything acknowledged so far must have survived the previous kill.
      const list = await fetch(`${server.url}/api/admin/departments`, { headers });
      const codes = new Set(((await list.json()) as { items: { code: string }[] }).items.map((d) => d.code));
      const lost = acknowledged.filter((c) => !codes.has(c));
      expect(lost, `round ${round}: acknowledged writes lost`).toEqual([]);

      let killed = false;
      const writer = async (w: number) => {
        for (let i = 0; !killed; i++) {
          const code = `K${round}-${w}-${i}`;
          try {
            const res = await fetch(`${server.url}/api/admin/departments`, {
              method: "POST",
              headers,
              body: JSON.stringify({ code, name: `断电测试${code}`, kind: "bureau", parentId: rootId }),
            });
            writes++;
            if (res.status === 201) acknowledged.push(code);
            else if (!killed) throw new Error(`unexpected ${res.status}: ${await res.text()}`);
          } catch (e) {
            if (!killed) throw e;
          }
        }
      };
      const writers = Array.from({ length: 100 }, (_, w) => writer(w).catch((e) => e));
      await new Promise((r) => setTimeout(r, 600 + randomInt(1500)));
      killed = true;
      server.child.kill("SIGKILL");
      await server.exited;
      const failures = (await Promise.all(writers)).filter(
        (e) => e instanceof Error && !/fetch failed|ECONNRESET|socket/i.test(e.message),
      );
      expect(failures).toEqual([]);
    }
    const port = await freePort();
    const last = startServer({ ...env, PORT: String(port) });
    await waitReady(last);
    const list = await fetch(`${last.url}/api/admin/departments`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const codes = new Set(((await list.json()) as { items: { code: string }[] }).items.map((d) => d.code));
    expect(acknowledged.filter((c) => !codes.has(c))).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(100);
    console.info(
      `durability: ${writes} writes sent, ${acknowledged.length} acknowledged, 5 SIGKILLs, 0 lost`,
    );
    expect(writes).toBeGreaterThan(acknowledged.length - 1);
    last.child.kill("SIGTERM");
    await last.exited;
    await cloned?.close();
  });
});
