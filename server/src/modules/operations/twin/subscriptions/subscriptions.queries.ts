/** SQL of the NGSI-LD subscriptions (operations.subscriptions). */
import { sql } from "drizzle-orm";
import { type Db, isoTimestampSql, queryRows } from "../../../../kernel/db/db";
import { AppError } from "../../../../kernel/http/errors";
import { NgsiErrors } from "../errors";
import type { SubscriptionDefinition, SubscriptionRecord } from "./subscription";

interface Row {
  id: string;
  owner_id: string | null;
  subscription: SubscriptionDefinition | string;
  context: string | null;
  is_active: boolean;
  expires_at: string | null;
  throttling_seconds: number | null;
  times_sent: number;
  times_failed: number;
  last_notification: string | null;
  last_success: string | null;
  last_failure: string | null;
  created_at: string;
  modified_at: string;
  total?: string;
}

export interface StoredSubscription extends SubscriptionRecord {
  ownerId: string | null;
  /** The @context it was made with (null: the core context). */
  context: unknown;
}

const COLUMNS = sql.raw(`s.id, s.owner_id, s.subscription, s.context #>> '{}' as context, s.is_active,
  ${isoTimestampSql("s.expires_at")} as expires_at, s.throttling_seconds, s.times_sent, s.times_failed,
  ${isoTimestampSql("s.last_notification")} as last_notification,
  ${isoTimestampSql("s.last_success")} as last_success,
  ${isoTimestampSql("s.last_failure")} as last_failure,
  ${isoTimestampSql("s.created_at")} as created_at, ${isoTimestampSql("s.modified_at")} as modified_at`);

const parsed = <T>(value: T | string): T => (typeof value === "string" ? JSON.parse(value) : value);

function toSubscription(row: Row): StoredSubscription {
  return {
    id: row.id,
    ownerId: row.owner_id,
    definition: parsed(row.subscription),
    context: row.context === null ? null : JSON.parse(row.context),
    isActive: row.is_active,
    expiresAt: row.expires_at,
    throttling: row.throttling_seconds,
    timesSent: row.times_sent,
    timesFailed: row.times_failed,
    lastNotification: row.last_notification,
    lastSuccess: row.last_success,
    lastFailure: row.last_failure,
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
  };
}

/**
 * The @context is kept as its JSON text (a jsonb string): jsonb would reorder an object's members,
 * and a term may use a prefix defined before it.
 */
const contextJson = (context: unknown) => (context === null ? null : JSON.stringify(JSON.stringify(context)));

/** Inserts a new subscription; false when one with the id exists. */
export async function insertSubscription(tx: Db, s: StoredSubscription): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`insert into operations.subscriptions (id, owner_id, subscription, context, is_active, expires_at,
          throttling_seconds, created_at, modified_at)
        values (${s.id}, ${s.ownerId}, ${JSON.stringify(s.definition)}::jsonb, ${contextJson(s.context)}::jsonb,
          ${s.isActive}, ${s.expiresAt}::timestamptz, ${s.throttling}, ${s.createdAt}::timestamptz,
          ${s.modifiedAt}::timestamptz)
        on conflict (id) do nothing returning id`,
  );
  return rows.length === 1;
}

export async function saveSubscription(tx: Db, s: StoredSubscription): Promise<void> {
  await tx.execute(
    sql`update operations.subscriptions set subscription = ${JSON.stringify(s.definition)}::jsonb,
          context = ${contextJson(s.context)}::jsonb, is_active = ${s.isActive},
          expires_at = ${s.expiresAt}::timestamptz, throttling_seconds = ${s.throttling},
          modified_at = ${s.modifiedAt}::timestamptz
        where id = ${s.id}`,
  );
}

export async function deleteSubscriptionRow(tx: Db, id: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`delete from operations.subscriptions where id = ${id} returning id`,
  );
  return rows.length === 1;
}

export async function findSubscription(
  tx: Db,
  id: string,
  forUpdate = false,
): Promise<StoredSubscription | null> {
  const rows = await queryRows<Row>(
    tx,
    sql`select ${COLUMNS} from operations.subscriptions s where s.id = ${id} ${forUpdate ? sql`for update` : sql``}`,
  );
  return rows[0] ? toSubscription(rows[0]) : null;
}

/** A page of subscriptions, oldest first, with the total when asked. */
export async function listSubscriptions(
  tx: Db,
  page: { limit: number; offset: number; count: boolean },
): Promise<{ subscriptions: StoredSubscription[]; total: number | null }> {
  const total = page.count ? sql`, count(*) over ()::text as total` : sql``;
  const rows = await queryRows<Row>(
    tx,
    sql`select ${COLUMNS} ${total} from operations.subscriptions s order by s.created_at, s.id
        limit ${page.limit} offset ${page.offset}`,
  );
  let count: number | null = null;
  if (page.count) {
    if (rows[0]) count = Number(rows[0].total);
    else {
      const [c] = await queryRows<{ n: string }>(
        tx,
        sql`select count(*)::text as n from operations.subscriptions`,
      );
      count = Number(c?.n ?? 0);
    }
  }
  return { subscriptions: rows.map(toSubscription), total: count };
}

/** The subscriptions that may notify (expiry is checked by the caller against its clock). */
export async function listActiveSubscriptions(db: Db): Promise<StoredSubscription[]> {
  const rows = await queryRows<Row>(
    db,
    sql`select ${COLUMNS} from operations.subscriptions s where s.is_active order by s.created_at, s.id`,
  );
  return rows.map(toSubscription);
}

export interface DeliveryDelta {
  sent: number;
  failed: number;
  lastNotification: string | null;
  lastSuccess: string | null;
  lastFailure: string | null;
  lastError: string | null;
}

/** Adds delivery counts; times only move forward (several processes may notify). */
export async function addDeliveryCounts(db: Db, deltas: Map<string, DeliveryDelta>): Promise<void> {
  if (deltas.size === 0) return;
  const values = [...deltas].map(
    ([id, d]) =>
      sql`(${id}, ${d.sent}::int, ${d.failed}::int, ${d.lastNotification}::timestamptz,
           ${d.lastSuccess}::timestamptz, ${d.lastFailure}::timestamptz, ${d.lastError}::text)`,
  );
  await db.execute(
    sql`update operations.subscriptions s set times_sent = s.times_sent + v.sent,
          times_failed = s.times_failed + v.failed,
          last_notification = greatest(s.last_notification, v.last_notification),
          last_success = greatest(s.last_success, v.last_success),
          last_failure = greatest(s.last_failure, v.last_failure),
          last_error = coalesce(v.last_error, s.last_error)
        from (values ${sql.join(values, sql`, `)})
          as v(id, sent, failed, last_notification, last_success, last_failure, last_error)
        where s.id = v.id`,
  );
}

const INVALID_REGEX = "2201B";

/**
 * Checks idPatterns as PostgreSQL regular expressions (the database matches them: its engine does
 * not backtrack without bound on a hostile pattern, as the process's would).
 */
export async function checkIdPatterns(tx: Db, patterns: string[]): Promise<void> {
  for (const pattern of patterns) {
    try {
      await queryRows(tx, sql`select '' ~ ${pattern} as ok`);
    } catch (e) {
      const code = (e as { code?: string }).code ?? (e as { cause?: { code?: string } }).cause?.code;
      if (code === INVALID_REGEX)
        throw new AppError(NgsiErrors.NGSI_BAD_REQUEST_DATA, {
          message: `idPattern "${pattern}" is not a valid regular expression`,
        });
      throw e;
    }
  }
}

/** Which (entity id, idPattern) pairs match, as "id\npattern" keys. */
export async function matchIdPatterns(db: Db, pairs: [id: string, pattern: string][]): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const rows = await queryRows<{ id: string; p: string }>(
    db,
    sql`select distinct t.id, t.p from unnest(${sql.param(pairs.map((x) => x[0]))}::text[],
          ${sql.param(pairs.map((x) => x[1]))}::text[]) as t(id, p) where t.id ~ t.p`,
  );
  return new Set(rows.map((r) => `${r.id}\n${r.p}`));
}
