import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import pg from "pg";
import { inject } from "vitest";
import { buildApp } from "../src/app";
import { createPlatform } from "../src/kernel/bootstrap";
import { type Config, loadConfig } from "../src/kernel/config/config";
import { type Database, openDatabase } from "../src/kernel/db/db";
import type { Clock } from "../src/kernel/http/context";
import { createLogger } from "../src/kernel/log";
import type { Platform } from "../src/kernel/platform";

/** A database of this test file's own, copied from the migrated template. */
export async function cloneDatabase(): Promise<Database & { url: string | null }> {
  const template = inject("template");
  if (template.kind === "pglite") {
    const dump = readFileSync(template.dumpFile);
    const db = await openDatabase({ databaseUrl: null, pgliteDir: null, loadDataDir: new Blob([dump]) });
    return { ...db, url: null };
  }
  const base = process.env.DATABASE_URL!;
  const name = `fourfold_test_${process.ppid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`create database ${name} template ${template.database}`);
      break;
    } catch (e) {
      // Two files copying the template at the same instant collide; wait and retry.
      if (attempt > 20) throw e;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.href, pgliteDir: null, poolSize: 10 });
  return {
    ...db,
    url: url.href,
    close: async () => {
      await db.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** A clock the test moves by hand (the only "fake": time is the edge of the world we cannot wait for). */
export class ManualClock implements Clock {
  constructor(private current = new Date("2026-11-30T01:00:00.000Z")) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface TestApp {
  app: FastifyInstance;
  platform: Platform & { stop(): Promise<void>; startWorkers(): void };
  config: Config;
  logs: string[];
  close(): Promise<void>;
}

/** The real application on a database of its own, as main.ts builds it, minus the listening socket. */
export async function startTestApp(
  options: { env?: Record<string, string>; clock?: Clock; database?: Database; natsStream?: string } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "fourfold-test-"));
  // With NATS_URL set (CI's second run) events travel through JetStream, on a stream of this app's own.
  const nats = process.env.NATS_URL ? { NATS_URL: process.env.NATS_URL } : {};
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: "info",
    SIGNIN_RATE_LIMIT: "1000",
    ...nats,
    ...options.env,
  });
  const logs: string[] = [];
  const log = createLogger(config.logLevel, { write: (line: string) => void logs.push(line) });
  const database = options.database ?? (await cloneDatabase());
  const platform = await createPlatform({
    config,
    log,
    database,
    ...(options.clock ? { clock: options.clock } : {}),
    natsStream: options.natsStream ?? `TEST_${randomBytes(6).toString("hex")}`,
  });
  const app = await buildApp(platform);
  await app.ready();
  return {
    app,
    platform,
    config,
    logs,
    close: async () => {
      await app.close();
      await platform.stop();
    },
  };
}

export function json<T = Record<string, unknown>>(res: LightMyRequestResponse): T {
  return JSON.parse(res.body) as T;
}

/** Polls until the check passes (events through NATS arrive asynchronously). */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
