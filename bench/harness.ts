import http from "node:http";
import { cpus, totalmem } from "node:os";

export interface Figure {
  metric: string;
  value: number;
  unit: string;
  baseline: { metric: string; value: number; unit: string } | null;
  ratio: number | null;
  target: string | null;
  met: boolean | null;
}

export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<Figure[]>;
}

export function machine() {
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    database: process.env.DATABASE_URL ? "postgresql" : "pglite",
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Drives `clients` concurrent keep-alive clients for `durationMs`, each sending one request after
 * the other; returns throughput, latency percentiles and errors.
 */
export async function load(options: {
  url: string;
  clients: number;
  durationMs: number;
  request: (
    client: number,
    i: number,
  ) => { method: string; path: string; headers?: Record<string, string>; body?: string };
  ok: (status: number) => boolean;
}): Promise<{ rate: number; p50: number; p99: number; errors: number; count: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.clients });
  const base = new URL(options.url);
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + options.durationMs;
  const send = (spec: ReturnType<typeof options.request>) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: base.hostname,
          port: base.port,
          method: spec.method,
          path: spec.path,
          headers: {
            ...(spec.headers ?? {}),
            ...(spec.body ? { "content-length": Buffer.byteLength(spec.body) } : {}),
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      if (spec.body) req.write(spec.body);
      req.end();
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      for (let i = 0; performance.now() < until; i++) {
        const t0 = performance.now();
        try {
          const status = await send(options.request(client, i));
          if (!options.ok(status)) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    rate: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    count: latencies.length,
  };
}

export function figure(
  metric: string,
  value: number,
  unit: string,
  baseline: Figure["baseline"] = null,
  target: { text: string; met: boolean } | null = null,
): Figure {
  return {
    metric,
    value: Math.round(value * 100) / 100,
    unit,
    baseline,
    ratio: baseline ? Math.round((value / baseline.value) * 1000) / 1000 : null,
    target: target?.text ?? null,
    met: target?.met ?? null,
  };
}
