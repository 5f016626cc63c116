import { sql } from "drizzle-orm";
import type { Db } from "./db/db";
import { queryRows } from "./db/db";

/** How long the transport tables keep rows; the audit trail is the permanent record, not these. */
export const RETENTION = {
  /** A client retries within minutes; a day covers any sane retry policy. */
  idempotencyKeysHours: 24,
  /** Delivered events are kept a week for operators to inspect, then removed. */
  deliveredEventsDays: 7,
  /** Finished jobs, likewise. */
  finishedJobsDays: 7,
};

/** Deletes expired idempotency keys, delivered events and finished jobs; returns what it removed. */
export async function pruneExpired(
  db: Db,
  now: Date,
): Promise<{ keys: number; events: number; jobs: number }> {
  const at = now.toISOString();
  const [keys] = await queryRows<{ n: number }>(
    db,
    sql`with d as (delete from platform.idempotency_keys
          where created_at < ${at}::timestamptz - make_interval(hours => ${RETENTION.idempotencyKeysHours}) returning 1)
        select count(*)::int as n from d`,
  );
  const [events] = await queryRows<{ n: number }>(
    db,
    sql`with d as (delete from platform.outbox
          where published_at < ${at}::timestamptz - make_interval(days => ${RETENTION.deliveredEventsDays}) returning 1)
        select count(*)::int as n from d`,
  );
  const [jobs] = await queryRows<{ n: number }>(
    db,
    sql`with d as (delete from platform.jobs where status in ('done', 'cancelled')
          and finished_at < ${at}::timestamptz - make_interval(days => ${RETENTION.finishedJobsDays}) returning 1)
        select count(*)::int as n from d`,
  );
  return { keys: keys?.n ?? 0, events: events?.n ?? 0, jobs: jobs?.n ?? 0 };
}

/**
 * PGlite runs no autovacuum: without it the planner keeps the statistics of an empty table (a
 * query over 100,000 twin entities then took 70–130 ms instead of 5) and dead row versions are
 * never reclaimed. This does autovacuum's work with PostgreSQL's default thresholds: ANALYZE a
 * table when more than 50 + 10 % of its rows changed since the last one, VACUUM (ANALYZE) it when
 * more than 50 + 20 % are dead. While the thread is busy with requests (`busy`) it only analyzes
 * tables that more than doubled since their statistics — the plans that go wrong, and rare (a table
 * doubles a few times in its life), as each costs a stall (~0.5 s for 100,000 twin entities; a
 * smaller sample was cheaper but left the planner guessing at jsonb containment). On PostgreSQL
 * autovacuum does all this.
 */
export async function vacuumEmbedded(
  db: Db,
  options: { busy?: boolean } = {},
): Promise<{ analyzed: string[]; vacuumed: string[] }> {
  const due = await queryRows<{ name: string; vacuum: boolean; grown: boolean }>(
    db,
    sql`select format('%I.%I', s.schemaname, s.relname) as name,
               s.n_dead_tup > 50 + 0.2 * s.n_live_tup as vacuum,
               s.n_live_tup > 1000 + 2 * greatest(c.reltuples, 0) as grown
        from pg_stat_user_tables s join pg_class c on c.oid = s.relid
        where s.n_dead_tup > 50 + 0.2 * s.n_live_tup or s.n_mod_since_analyze > 50 + 0.1 * s.n_live_tup
        order by s.n_mod_since_analyze desc`,
  );
  const tables = options.busy ? due.filter((t) => t.grown) : due;
  const done = { analyzed: [] as string[], vacuumed: [] as string[] };
  for (const table of tables) {
    const vacuum = table.vacuum && !options.busy;
    await db.execute(sql.raw(`${vacuum ? "vacuum (analyze)" : "analyze"} ${table.name}`));
    // Autovacuum's ANALYZE also moves GIN indexes' pending entries into the index proper (a
    // VACUUM does anyway): every search reads the pending list until then.
    if (!vacuum)
      await db.execute(sql`select gin_clean_pending_list(i.indexrelid) from pg_index i
        join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam
        where a.amname = 'gin' and i.indrelid = ${table.name}::regclass`);
    (vacuum ? done.vacuumed : done.analyzed).push(table.name);
  }
  return done;
}
