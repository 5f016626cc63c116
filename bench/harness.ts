import { mkdtempSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { type Dispatcher, Pool } from "undici";

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
 * the other; returns throughput, latency percentiles and errors. The clients are an undici pool:
 * the load generator shares the machine with the server and the database, so it should cost as
 * little CPU as it can.
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
  const pool = new Pool(options.url, { connections: options.clients, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + options.durationMs;
  const send = async (spec: ReturnType<typeof options.request>) => {
    const res = await pool.request({
      method: spec.method as Dispatcher.HttpMethod,
      path: spec.path,
      headers: spec.headers ?? {},
      body: spec.body ?? null,
    });
    await res.body.dump();
    return res.statusCode;
  };
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
  await pool.close();
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

/**
 * A fresh database of the kind the server uses (DATABASE_URL's server, else an embedded PGlite
 * folder), for baselines measured in the same run.
 */
export async function scratchDatabase(label: string): Promise<{
  url: string | null;
  dataDir: string | null;
  query(text: string, params?: unknown[]): Promise<unknown>;
  /** Runs `work` in one transaction on one connection. */
  transaction(
    work: (query: (text: string, params?: unknown[]) => Promise<unknown>) => Promise<void>,
  ): Promise<void>;
  close(): Promise<void>;
}> {
  if (process.env.DATABASE_URL) {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const name = `fourfold_bench_${label}_${process.pid}`;
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    const pool = new pg.Pool({ connectionString: url.href, max: 20 });
    pool.on("error", () => undefined);
    return {
      url: url.href,
      dataDir: null,
      query: (text, params) => pool.query(text, params),
      transaction: async (work) => {
        const client = await pool.connect();
        try {
          await client.query("begin");
          await work((text, params) => client.query(text, params));
          await client.query("commit");
        } catch (e) {
          await client.query("rollback");
          throw e;
        } finally {
          client.release();
        }
      },
      close: async () => {
        await pool.end();
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), `bench-${label}-`));
  const db = await PGlite.create({ dataDir });
  return {
    url: null,
    dataDir,
    query: (text, params) => db.query(text, params),
    transaction: async (work) => {
      await db.transaction(async (tx) => {
        await work((text, params) => tx.query(text, params));
      });
    },
    close: () => db.close(),
  };
}

/** The rate of bare single-row autocommit inserts from `clients` concurrent writers. */
export async function rawInsertRate(clients: number, durationMs: number): Promise<number> {
  const db = await scratchDatabase("raw");
  await db.query(
    "create table bench_raw (id bigserial primary key, code text not null, name text not null, created_at timestamptz not null default now())",
  );
  let count = 0;
  const until = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const i = count++;
        await db.query("insert into bench_raw (code, name) values ($1, $2)", [`R${i}`, `基准${i}`]);
      }
    }),
  );
  const rate = count / ((performance.now() - started) / 1000);
  await db.close();
  return rate;
}
