import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "../db/db";
import type { Ctx } from "../http/context";
import type { AuditEntry } from "./audit";

export interface AuditedStatementOptions {
  /** The audit record of each changed row; its resource id is the row's `id`. */
  audit: Omit<AuditEntry, "resourceId" | "outcome">;
  /** The domain event of each changed row. */
  event?: { topic: string; payload: unknown; version?: number };
}

/**
 * Runs one change (an INSERT/UPDATE/DELETE … RETURNING with an `id` column) together with its audit
 * record and its outbox event as a single SQL statement. A statement is atomic on its own, so this
 * keeps "change, audit and event commit together" while costing one round trip instead of five —
 * the hot path of simple writes. Rows the change did not touch (ON CONFLICT DO NOTHING, a WHERE that
 * matched nothing) get neither an audit record nor an event; the caller sees an empty result.
 */
export async function auditedStatement<T extends { id: string }>(
  ctx: Ctx,
  change: SQL,
  options: AuditedStatementOptions,
): Promise<T[]> {
  const { audit, event } = options;
  const actor = ctx.actor;
  const roles = actor ? `{${actor.roles.join(",")}}` : null;
  return queryRows<T>(
    ctx.tx,
    sql`with changed as (${change}),
      audited as (
        insert into audit.records (at, actor_id, actor_name, actor_roles, action, resource_type, resource_id,
                                   outcome, ip, request_id, details)
        select ${ctx.clock.now().toISOString()}::timestamptz, ${actor?.id ?? null}::uuid, ${actor?.displayName ?? null},
               ${roles}::text[], ${audit.action}, ${audit.resourceType}, changed.id::text, 'success', ${ctx.ip},
               ${ctx.requestId}, ${audit.details === undefined ? null : JSON.stringify(audit.details)}::jsonb
        from changed)
      ${
        event
          ? sql`, published as (
        insert into platform.outbox (event_id, topic, version, payload)
        select gen_random_uuid(), ${event.topic}, ${event.version ?? 1}, ${JSON.stringify(event.payload)}::jsonb
        from changed)`
          : sql``
      }
      select * from changed`,
  );
}

export interface BatchRow {
  ctx: Ctx;
  /** Values of the use case's own input columns, in order. */
  values: unknown[];
  details?: Record<string, unknown>;
  payload?: unknown;
}

const REQUEST_COLUMNS = [
  ["at", "timestamptz"],
  ["actor_id", "uuid"],
  ["actor_name", "text"],
  ["actor_roles", "text[]"],
  ["ip", "text"],
  ["request_id", "text"],
  ["details", "jsonb"],
  ["payload", "jsonb"],
] as const;

/**
 * The multi-row form of auditedStatement, for WriteBatcher: the rows of many requests become a
 * VALUES list named `input` (the use case's columns, the first being `id`, plus each request's own
 * actor, time, address and request id); `change` (SQL text without parameters) reads `input` and
 * returns the ids it changed; each changed row gets its own audit record and outbox event. One
 * statement, so all or nothing. Built as text with positional parameters for rawQuery: with
 * hundreds of rows, per-cell query objects would cost more than the database does.
 */
export function auditedBatchQuery(options: {
  columns: { name: string; type: string }[];
  rows: BatchRow[];
  change: string;
  audit: Omit<AuditEntry, "resourceId" | "outcome" | "details">;
  event?: { topic: string; version?: number };
}): { text: string; params: unknown[] } {
  const { columns, rows, change, audit, event } = options;
  if (columns[0]?.name !== "id") throw new Error("the first input column must be id");
  const types = [...columns.map((c) => c.type), ...REQUEST_COLUMNS.map(([, type]) => type)];
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const actor = row.ctx.actor;
    const cells = [
      ...row.values,
      row.ctx.clock.now().toISOString(),
      actor?.id ?? null,
      actor?.displayName ?? null,
      actor ? `{${actor.roles.join(",")}}` : null,
      row.ctx.ip,
      row.ctx.requestId,
      row.details === undefined ? null : JSON.stringify(row.details),
      row.payload === undefined ? null : JSON.stringify(row.payload),
    ];
    return `(${cells.map((cell, i) => `$${params.push(cell)}::${types[i]}`).join(", ")})`;
  });
  const names = [...columns.map((c) => c.name), ...REQUEST_COLUMNS.map(([name]) => name)];
  const action = `$${params.push(audit.action)}`;
  const resourceType = `$${params.push(audit.resourceType)}`;
  const published = event
    ? `, published as (
      insert into platform.outbox (event_id, topic, version, payload)
      select gen_random_uuid(), $${params.push(event.topic)}, $${params.push(event.version ?? 1)}::int, i.payload
      from input i join changed c on c.id = i.id)`
    : "";
  const text = `with input (${names.join(", ")}) as (values ${tuples.join(", ")}),
    changed as (${change}),
    audited as (
      insert into audit.records (at, actor_id, actor_name, actor_roles, action, resource_type, resource_id,
                                 outcome, ip, request_id, details)
      select i.at, i.actor_id, i.actor_name, i.actor_roles, ${action}, ${resourceType}, i.id::text,
             'success', i.ip, i.request_id, i.details
      from input i join changed c on c.id = i.id)${published}
    select id from changed`;
  return { text, params };
}
