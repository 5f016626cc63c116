import type { Ctx } from "../http/context";
import type { AuditEntry } from "./audit";

export interface BatchRow {
  ctx: Ctx;
  /** Values of the use case's own input columns, in order (jsonb columns as values, not JSON text). */
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
 * many grouped by WriteBatcher: the rows of the requests arrive as one JSON parameter read as the
 * relation `input` (the use case's columns, the first being `id`, plus each request's own actor,
 * time, address and request id); `change` (SQL text without parameters) reads `input` and returns
 * the ids it changed; each changed row gets its own audit record and outbox event. One statement,
 * atomic on its own, so all or nothing. The text depends on the call site only, never on the rows,
 * so rawQuery may keep it prepared (`prepare: true`).
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
  const all = [...columns.map((c) => [c.name, c.type] as const), ...REQUEST_COLUMNS];
  const input = rows.map((row) => {
    const actor = row.ctx.actor;
    const cells = [
      ...row.values,
      row.ctx.clock.now().toISOString(),
      actor?.id ?? null,
      actor?.displayName ?? null,
      actor ? actor.roles : null,
      row.ctx.ip,
      row.ctx.requestId,
      row.details ?? null,
      row.payload ?? null,
    ];
    return Object.fromEntries(all.map(([name], i) => [name, cells[i] ?? null]));
  });
  const params: unknown[] = [JSON.stringify(input), audit.action, audit.resourceType];
  const published = event
    ? `, published as (
      insert into platform.outbox (event_id, topic, version, payload)
      select gen_random_uuid(), $${params.push(event.topic)}, $${params.push(event.version ?? 1)}::int, ${payloadSql}
      from input i join changed c on c.id = i.id)`
    : "";
  const text = `with input as (
      select * from jsonb_to_recordset($1::jsonb) as r(${all.map(([name, type]) => `${name} ${type}`).join(", ")})),
    changed as (${change}),
    audited as (
      insert into audit.records (at, actor_id, actor_name, actor_roles, action, resource_type, resource_id,
                                 outcome, ip, request_id, details)
      select i.at, i.actor_id, i.actor_name, i.actor_roles, $2, $3, i.id::text,
             'success', i.ip, i.request_id, ${detailsSql}
      from input i join changed c on c.id = i.id)${published}
    select id from changed`;
  return { text, params };
}
