import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/kernel/config/config";
import { freePort, startServer, waitReady } from "./process";

describe("start-up", () => {
  it("stops with a message naming the variable when a setting is wrong", async () => {
    for (const [variable, value] of [
      ["PORT", "eighty"],
      ["DEMO", "maybe"],
      ["DATABASE_URL", "mysql://x"],
      ["LOG_LEVEL", "loud"],
    ] as const) {
      const server = startServer({
        DATA_DIR: mkdtempSync(path.join(tmpdir(), "cfg-")),
        PORT: "0",
        [variable]: value,
      });
      expect(await server.exited).toBe(2);
      expect(server.stderr()).toContain(variable);
    }
    expect(() => loadConfig({ SESSION_TTL_SECONDS: "5" })).toThrow(/SESSION_TTL_SECONDS/);
    expect(loadConfig({}).port).toBe(3000);
  });

  it("refuses a second process on the same data folder at once, without touching it", {
    timeout: 120_000,
  }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "lock-"));
    // Without workers the first process leaves the folder alone while idle, so any change is the second's.
    const first = startServer({
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      DEMO: "false",
      ROLES: "web",
    });
    await waitReady(first);
    const snapshot = () =>
      readdirSync(path.join(dataDir, "pg"), { recursive: true })
        .map(String)
        .map((f) => `${f}:${statSync(path.join(dataDir, "pg", f)).mtimeMs}`)
        .sort()
        .join("\n");
    const before = snapshot();
    const started = Date.now();
    const second = startServer({ DATA_DIR: dataDir, PORT: String(await freePort()), DEMO: "false" });
    expect(await second.exited).toBe(3);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(second.stderr()).toMatch(/already in use by process \d+/);
    expect(snapshot()).toBe(before);
    const health = await fetch(`${first.url}/healthz`);
    expect(health.status).toBe(200);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
  });
});
