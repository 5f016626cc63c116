import type { Ctx } from "../http/context";
import type { AuditEntry } from "./audit";

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
 * A change, its audit records and its outbox events as one SQL statement, for one request or for
 * many grouped by WriteBatcher: the rows of the requests become a
 * VALUES list named `input` (the use case's columns, the first being `id`, plus each request's own
 * actor, time, address and request id); `change` (SQL text without parameters) reads `input` and
 * returns the ids it changed; each changed row gets its own audit record and outbox event. One
 * statement, atomic on its own, so all or nothing. Built as text with positional parameters for rawQuery: with
 * hundreds of rows, per-cell query objects would cost more than the database does.
 */
export function auditedBatchQuery(options: {
  columns: { name: string; type: string }[];
  rows: BatchRow[];
  change: string;
  audit: Omit<AuditEntry, "resourceId" | "outcome" | "details">;
  event?: { topic: string; version?: number };
  /**
   * SQL for the audit details and the event payload when they need what `change` returned (its
   * row `c`, beside the request's `i`); by default each row's own `details` and `payload`.
   */
  detailsSql?: string;
  payloadSql?: string;
}): { text: string; params: unknown[] } {
  const { columns, rows, change, audit, event, detailsSql = "i.details", payloadSql = "i.payload" } = options;
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
      select gen_random_uuid(), $${params.push(event.topic)}, $${params.push(event.version ?? 1)}::int, ${payloadSql}
      from input i join changed c on c.id = i.id)`
    : "";
  const text = `with input (${names.join(", ")}) as (values ${tuples.join(", ")}),
    changed as (${change}),
    audited as (
      insert into audit.records (at, actor_id, actor_name, actor_roles, action, resource_type, resource_id,
                                 outcome, ip, request_id, details)
      select i.at, i.actor_id, i.actor_name, i.actor_roles, ${action}, ${resourceType}, i.id::text,
             'success', i.ip, i.request_id, ${detailsSql}
      from input i join changed c on c.id = i.id)${published}
    select id from changed`;
  return { text, params };
}
