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
