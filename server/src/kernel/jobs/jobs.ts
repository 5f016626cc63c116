import { hostname } from "node:os";
import { sql } from "drizzle-orm";
import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../db/db";
import { queryRows } from "../db/db";
import { newId } from "../db/ids";
import type { Clock, Ctx } from "../http/context";
import { systemCtx } from "../http/context";
import { jobs } from "./schema";

export interface JobSpec {
  kind: string;
  payload?: unknown;
  /** When the job is due; now when absent. */
  runAt?: Date;
  /** At most one pending job per key: scheduling again replaces the earlier one's time and payload. */
  dedupeKey?: string;
  maxAttempts?: number;
}

/** Schedules a job in the caller's transaction, so a timer exists exactly when its cause does. */
export async function scheduleJob(tx: Db, clock: Clock, spec: JobSpec): Promise<string> {
  const id = newId();
  const runAt = spec.runAt ?? clock.now();
  const payload = spec.payload ?? {};
  if (spec.dedupeKey) {
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`insert into platform.jobs (id, kind, payload, run_at, dedupe_key, max_attempts)
          values (${id}, ${spec.kind}, ${JSON.stringify(payload)}::jsonb, ${runAt.toISOString()}, ${spec.dedupeKey}, ${spec.maxAttempts ?? 10})
          on conflict (dedupe_key) where status = 'pending'
          do update set run_at = excluded.run_at, payload = excluded.payload, kind = excluded.kind
          returning id`,
    );
    return rows[0]!.id;
  }
  await tx.insert(jobs).values({ id, kind: spec.kind, payload, runAt, maxAttempts: spec.maxAttempts ?? 10 });
  return id;
}

/** Schedules several jobs with dedupe keys in one statement (each replaces its key's pending job). */
export async function scheduleJobs(
  tx: Db,
  clock: Clock,
  specs: (JobSpec & { dedupeKey: string })[],
): Promise<void> {
  if (specs.length === 0) return;
  const rows = specs.map((spec) => ({
    id: newId(),
    kind: spec.kind,
    payload: spec.payload ?? {},
    run_at: (spec.runAt ?? clock.now()).toISOString(),
    dedupe_key: spec.dedupeKey,
    max_attempts: spec.maxAttempts ?? 10,
  }));
  await queryRows(
    tx,
    sql`insert into platform.jobs (id, kind, payload, run_at, dedupe_key, max_attempts)
        select id, kind, payload, run_at, dedupe_key, max_attempts
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
            as r(id uuid, kind text, payload jsonb, run_at timestamptz, dedupe_key text, max_attempts int)
        on conflict (dedupe_key) where status = 'pending'
        do update set run_at = excluded.run_at, payload = excluded.payload, kind = excluded.kind`,
  );
}

export async function cancelJob(tx: Db, dedupeKey: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`update platform.jobs set status = 'cancelled', finished_at = now()
        where dedupe_key = ${dedupeKey} and status = 'pending' returning id`,
  );
  return rows.length > 0;
}

/** A handler does its work through ctx.tx only: it commits together with the job's completion. */
export type JobHandler = (ctx: Ctx, payload: unknown, job: { id: string; attempts: number }) => Promise<void>;

interface ClaimedJob {
  id: string;
  kind: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
}

/**
 * Runs due jobs. Each job is claimed with FOR UPDATE SKIP LOCKED and runs inside the claiming
 * transaction, which also marks it done: two processes never run one job, and a crash mid-job rolls
 * its effects back with the claim, so it runs again from the start.
 */
export class JobRunner {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly outside = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;
  readonly workerId = `${hostname()}:${process.pid}`;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
    private readonly pollMs: number,
  ) {}

  /**
   * `outside: true` for a job that calls the world outside (a webhook): it must not hold a
   * transaction while it waits (on PGlite that would stall every request). It is claimed with a
   * lease, runs on the database without a transaction, and is marked done or rescheduled after —
   * at least once, so the handler must be idempotent (a delivery id the receiver deduplicates).
   */
  register(kind: string, handler: JobHandler, options: { outside?: boolean } = {}): void {
    if (this.handlers.has(kind)) throw new Error(`A handler for job kind ${kind} exists already`);
    this.handlers.set(kind, handler);
    if (options.outside) this.outside.add(kind);
  }

  start(): void {
    this.stopped = false;
    this.tick();
  }

  private tick(): void {
    if (this.stopped) return;
    this.timer = null;
    this.running = this.runDue()
      .catch((e) => this.log.error({ err: e }, "job runner failed"))
      .finally(() => {
        if (!this.stopped && !this.timer) this.timer = setTimeout(() => this.tick(), this.pollMs);
      });
  }

  /** Runs due jobs soon instead of at the next poll (a step just scheduled work that is due now). */
  wake(): void {
    if (this.stopped || !this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    // Idle until now (a pass in progress has no timer and picks the new job up itself).
    setImmediate(() => this.tick());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Runs jobs due now until none is left or `limit` ran; returns how many ran. */
  async runDue(limit = 100): Promise<number> {
    let ran = 0;
    while (ran < limit && (await this.runOne())) ran++;
    return ran;
  }

  private async runOne(): Promise<boolean> {
    const kinds = [...this.handlers.keys()];
    if (kinds.length === 0) return false;
    let leased: ClaimedJob | null = null;
    const ran = await this.db.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      const [job] = await queryRows<ClaimedJob>(
        tx,
        sql`select id, kind, payload, attempts, max_attempts from platform.jobs
            where status = 'pending' and run_at <= ${now} and kind in (${sql.join(
              kinds.map((k) => sql`${k}`),
              sql`, `,
            )})
            order by run_at, id limit 1 for update skip locked`,
      );
      if (!job) return false;
      if (this.outside.has(job.kind)) {
        // Leased, not done: if this process dies meanwhile, the job runs again after the lease.
        await tx.execute(sql`update platform.jobs set run_at = ${new Date(this.clock.now().getTime() + OUTSIDE_LEASE_MS).toISOString()}
          where id = ${job.id}`);
        leased = job;
        return true;
      }
      const handler = this.handlers.get(job.kind)!;
      const payload = typeof job.payload === "string" ? JSON.parse(job.payload) : job.payload;
      // Done before the handler runs, so a handler may schedule the next occurrence under the same
      // dedupe key (a repeating timer); a failure below puts the job back explicitly.
      await tx.execute(sql`update platform.jobs set status = 'done', attempts = attempts + 1,
        finished_at = now(), finished_by = ${this.workerId} where id = ${job.id}`);
      try {
        // A savepoint, so a failing handler's writes roll back but the failure is recorded.
        await tx.transaction(async (inner) => {
          await handler(systemCtx(inner, this.clock, this.log, `job:${job.id}`), payload, {
            id: job.id,
            attempts: job.attempts,
          });
        });
      } catch (e) {
        const attempts = job.attempts + 1;
        const failed = attempts >= job.max_attempts;
        const retryAt = new Date(this.clock.now().getTime() + Math.min(3600, 2 ** attempts) * 1000);
        this.log.warn({ err: e, jobId: job.id, kind: job.kind, attempts }, "job failed");
        await tx.execute(sql`update platform.jobs set attempts = ${attempts},
          status = ${failed ? "failed" : "pending"}, run_at = ${retryAt.toISOString()},
          last_error = ${String((e as Error).message).slice(0, 1000)},
          finished_at = ${failed ? sql`now()` : sql`null`}, finished_by = ${failed ? this.workerId : null}
          where id = ${job.id}`);
      }
      return true;
    });
    if (leased) await this.runOutside(leased);
    return ran;
  }

  private async runOutside(job: ClaimedJob): Promise<void> {
    const payload = typeof job.payload === "string" ? JSON.parse(job.payload) : job.payload;
    const attempts = job.attempts + 1;
    try {
      await this.handlers.get(job.kind)!(systemCtx(this.db, this.clock, this.log, `job:${job.id}`), payload, {
        id: job.id,
        attempts: job.attempts,
      });
      await this.db.execute(sql`update platform.jobs set status = 'done', attempts = ${attempts},
        finished_at = now(), finished_by = ${this.workerId} where id = ${job.id} and status = 'pending'`);
    } catch (e) {
      const failed = attempts >= job.max_attempts;
      const retryAt = new Date(this.clock.now().getTime() + Math.min(3600, 2 ** attempts) * 1000);
      this.log.warn({ err: e, jobId: job.id, kind: job.kind, attempts }, "job failed");
      await this.db.execute(sql`update platform.jobs set attempts = ${attempts},
        status = ${failed ? "failed" : "pending"}, run_at = ${retryAt.toISOString()},
        last_error = ${String((e as Error).message).slice(0, 1000)},
        finished_at = ${failed ? sql`now()` : sql`null`}, finished_by = ${failed ? this.workerId : null}
        where id = ${job.id}`);
    }
  }
}

/** How long a job that calls outside is held before another runner may try it again. */
const OUTSIDE_LEASE_MS = 120_000;
