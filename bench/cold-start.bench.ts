import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, ROOT, startServer, waitReady } from "../server/test/process";
import { type Benchmark, figure } from "./harness";

async function timeToReady(dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const server = startServer({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: "warn" });
  await waitReady(server, 120_000);
  const ms = performance.now() - started;
  server.child.kill("SIGTERM");
  await server.exited;
  return ms;
}

export const coldStart: Benchmark = {
  name: "cold-start",
  description:
    "Time from launching the server on an existing demo data folder (embedded PGlite) until /readyz answers 200",
  async run() {
    const dataDir = mkdtempSync(path.join(tmpdir(), "bench-cold-"));
    const firstRun = await timeToReady(dataDir); // creates, migrates and seeds the demo district
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) runs.push(await timeToReady(dataDir));
    runs.sort((a, b) => a - b);
    const median = runs[1]!;
    const t0 = performance.now();
    spawnSync(process.execPath, ["--import", "tsx", "-e", "0"], { cwd: ROOT });
    const bare = performance.now() - t0;
    return [
      figure(
        "cold start on existing data folder (median of 3)",
        median,
        "ms",
        {
          metric: "bare `node --import tsx` start",
          value: Math.round(bare),
          unit: "ms",
        },
        { text: "< 5000 ms", met: median < 5000 },
      ),
      figure("first start: create, migrate, seed demo district", firstRun, "ms"),
    ];
  },
};
