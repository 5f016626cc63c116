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
