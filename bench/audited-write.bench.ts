import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { adminTokenFromFirstStart } from "../server/test/admin-session";
import { freePort, startServer, waitReady } from "../server/test/process";
import { type Benchmark, figure, load, rawInsertRate, scratchDatabase } from "./harness";

const CLIENTS = 50;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);

async function helloRate(): Promise<number> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ["-e", `require("node:http").createServer((q, s) => s.end("hello")).listen(${port}, "127.0.0.1")`],
    { stdio: "ignore" },
  );
  await new Promise((r) => setTimeout(r, 500));
  const result = await load({
    url: `http://127.0.0.1:${port}`,
    clients: CLIENTS,
    durationMs: Math.min(DURATION_MS, 5000),
    request: () => ({ method: "GET", path: "/" }),
    ok: (s) => s === 200,
  });
  child.kill();
  return result.rate;
}

export const auditedWrite: Benchmark = {
  name: "audited-write",
  description: `An authenticated, validated, audited single write (createDepartment over HTTP, bearer token, audit record + outbox event in its transaction) at ${CLIENTS} concurrent clients`,
  async run() {
    const raw = await rawInsertRate(CLIENTS, DURATION_MS);
    const hello = await helloRate();
    const port = await freePort();
    // Its own database: the server's keys are sealed with a master key kept in its fresh DATA_DIR.
    const scratch = process.env.DATABASE_URL ? await scratchDatabase("write") : null;
    const server = startServer({
      DATA_DIR: mkdtempSync(path.join(tmpdir(), "bench-write-")),
      PORT: String(port),
      DEMO: "false",
      LOG_LEVEL: "warn",
      ...(scratch?.url ? { DATABASE_URL: scratch.url } : {}),
    });
    await waitReady(server);
    const token = await adminTokenFromFirstStart(server);
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const tree = await fetch(`${server.url}/api/admin/departments`, { headers });
    const rootId = ((await tree.json()) as { items: { id: string }[] }).items[0]!.id;
    const request = (prefix: string) => (client: number, i: number) => ({
      method: "POST",
      path: "/api/admin/departments",
      headers,
      body: JSON.stringify({
        code: `${prefix}-${client}-${i}`,
        name: `压测局${client}-${i}`,
        kind: "bureau",
        parentId: rootId,
      }),
    });
    await load({
      url: server.url,
      clients: CLIENTS,
      durationMs: 2000,
      request: request("W"),
      ok: (s) => s === 201,
    });
    const result = await load({
      url: server.url,
      clients: CLIENTS,
      durationMs: DURATION_MS,
      request: request("B"),
      ok: (s) => s === 201,
    });
    server.child.kill("SIGTERM");
    await server.exited;
    await scratch?.close();
    const rawBaseline = {
      metric: "raw single-row insert, same database",
      value: Math.round(raw),
      unit: "rows/s",
    };
    return [
      figure("audited write throughput", result.rate, "req/s", rawBaseline, {
        text: "≥ 0.4 × raw insert rate",
        met: result.rate >= 0.4 * raw,
      }),
      figure("audited write p99 latency", result.p99, "ms", null, { text: "< 50 ms", met: result.p99 < 50 }),
      figure("audited write p50 latency", result.p50, "ms"),
      figure("audited write errors", result.errors, "requests", null, {
        text: "0",
        met: result.errors === 0,
      }),
      figure("audited write throughput vs bare node:http hello", result.rate, "req/s", {
        metric: "bare node:http hello route",
        value: Math.round(hello),
        unit: "req/s",
      }),
    ];
  },
};
