import type { Db } from "../kernel/db/db";
import { rawQuery } from "../kernel/db/db";
import { newId } from "../kernel/db/ids";
import type { Ctx } from "../kernel/http/context";
import type { InstanceRow, Step, TaskRow, TokenRow } from "./step";

/**
 * Reading an instance's state under its row lock, and writing a step back. Every operation on an
 * instance locks its row first, so steps of one instance run one after the other across processes,
 * and the lock is always taken before any task or token row: no lock-order deadlocks.
 */

/** Locks the instance row; null when there is no such instance. */
export async function lockInstance(tx: Db, instanceId: string): Promise<InstanceRow | null> {
  const [row] = await rawQuery<InstanceRow>(
    tx,
    `select id, definition_id, process_key, version, business_key, state, variables, parent_instance_id,
       parent_token_id, started_by, started_at, ended_at, end_reason
     from workflow.instances where id = $1 for update`,
    [instanceId],
  );
  return row ? { ...row, variables: parseJson(row.variables) } : null;
}

/** The instance's tokens and, optionally, one of its tasks — read after the lock, so they are current. */
export async function loadTokens(
  tx: Db,
  instanceId: string,
  taskId: string | null,
): Promise<{ tokens: TokenRow[]; task: TaskRow | null }> {
  const [row] = await rawQuery<{ tokens: unknown; task: unknown }>(
    tx,
    `select coalesce((select json_agg(t) from workflow.tokens t where t.instance_id = $1), '[]') as tokens,
            (select row_to_json(k) from workflow.tasks k where k.id = $2 and k.instance_id = $1) as task`,
    [instanceId, taskId],
  );
  const tokens = parseJson(row!.tokens) as TokenRow[];
  return { tokens, task: (parseJson(row!.task) as TaskRow | null) ?? null };
}

/** A json/jsonb column as an object: the PostgreSQL driver parses it, a json_agg through drizzle may not. */
export function parseJson<T>(value: T | string): T {
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}

export interface AuditRow {
  action: string;
  resourceType: string;
  resourceId: string;
  details?: Record<string, unknown>;
}

/** Writes everything a step changed — and its audit records and events — as one statement. */
export async function flushStep(tx: Db, ctx: Ctx, step: Step, audit: AuditRow[]): Promise<void> {
  const params: unknown[] = [];
  const parts: string[] = [];
  const json = (value: unknown) => `$${params.push(JSON.stringify(value))}::jsonb`;
  const add = (name: string, sql: string) => parts.push(`${name} as (${sql})`);
  const populate = (table: string, rows: unknown[]) =>
    `select * from jsonb_populate_recordset(null::workflow.${table}, ${json(rows)})`;
  const at = ctx.clock.now().toISOString();

  const instance = step.instance;
  if (step.instanceInserted) {
    add("i_ins", `insert into workflow.instances ${populate("instances", [instance])}`);
  } else if (step.instanceChanged) {
    add(
      "i_upd",
      `update workflow.instances set variables = ${json(instance.variables)}, state = $${params.push(instance.state)},
         ended_at = $${params.push(instance.ended_at)}::timestamptz, end_reason = $${params.push(instance.end_reason)}
       where id = $${params.push(instance.id)}::uuid`,
    );
  }
  const deleted = [...step.deletedTokens].filter((id) => !step.newTokens.has(id));
  if (deleted.length > 0) {
    add("t_del", `delete from workflow.tokens where id = any($${params.push(deleted)}::uuid[])`);
  }
  const inserted = [...step.newTokens].map((id) => step.tokens.get(id)!);
  if (inserted.length > 0) add("t_ins", `insert into workflow.tokens ${populate("tokens", inserted)}`);
  const changed = [...step.changedTokens]
    .filter((id) => !step.newTokens.has(id) && !step.deletedTokens.has(id))
    .map((id) => ({ id, data: step.tokens.get(id)!.data }));
  if (changed.length > 0) {
    add(
      "t_upd",
      `update workflow.tokens t set data = c.data
       from jsonb_to_recordset(${json(changed)}) as c(id uuid, data jsonb) where t.id = c.id`,
    );
  }
  const tasks = [...step.newTasks.values()].filter(
    (t) => !step.deletedTokens.has(t.token_id) || step.taskUpdates.has(t.id),
  );
  if (tasks.length > 0) add("k_ins", `insert into workflow.tasks ${populate("tasks", tasks)}`);
  const updates = [...step.taskUpdates.values()];
  if (updates.length > 0) {
    add(
      "k_upd",
      `update workflow.tasks k set state = coalesce(u.state, k.state), assignee = case when u.set_assignee then u.assignee else k.assignee end,
         delegated_from = coalesce(u.delegated_from, k.delegated_from), completed_at = coalesce(u.completed_at, k.completed_at),
         completed_by = coalesce(u.completed_by, k.completed_by), outcome = coalesce(u.outcome, k.outcome)
       from jsonb_to_recordset(${json(updates.map((u) => ({ ...u, set_assignee: "assignee" in u })))})
         as u(id uuid, state text, assignee text, set_assignee boolean, delegated_from text, completed_at timestamptz, completed_by uuid, outcome jsonb)
       where k.id = u.id`,
    );
  }
  const cancelled = [...step.cancelTasksOfTokens].filter((id) => !step.newTokens.has(id));
  if (cancelled.length > 0) {
    add(
      "k_cancel",
      `update workflow.tasks set state = 'cancelled', completed_at = $${params.push(at)}::timestamptz
       where token_id = any($${params.push(cancelled)}::uuid[]) and state = 'open'
         and id <> all($${params.push(updates.map((u) => u.id))}::uuid[])`,
    );
  }
  const dropSubs = [...step.dropSubscriptionsOfTokens].filter((id) => !step.newTokens.has(id));
  if (dropSubs.length > 0) {
    add(
      "s_del",
      `delete from workflow.subscriptions where token_id = any($${params.push(dropSubs)}::uuid[])`,
    );
  }
  const subs = step.newSubscriptions.filter((s) => !step.deletedTokens.has(s.token_id));
  if (subs.length > 0) add("s_ins", `insert into workflow.subscriptions ${populate("subscriptions", subs)}`);
  if (step.history.length > 0)
    add("h_ins", `insert into workflow.history ${populate("history", step.history)}`);

  const jobs = [...step.jobs.values()].filter((job) => {
    const token = (job.payload as { tokenId?: string }).tokenId;
    return !token || !step.deletedTokens.has(token);
  });
  const cancelJobs = [...step.cancelJobs].filter((key) => !step.jobs.has(key));
  if (cancelJobs.length > 0) {
    add(
      "j_cancel",
      `update platform.jobs set status = 'cancelled', finished_at = now()
       where dedupe_key = any($${params.push(cancelJobs)}::text[]) and status = 'pending'`,
    );
  }
  if (jobs.length > 0) {
    add(
      "j_ins",
      `insert into platform.jobs (id, kind, payload, run_at, dedupe_key, max_attempts)
       select j.id, j.kind, j.payload, j.run_at, j.dedupe_key, 10
       from jsonb_to_recordset(${json(jobs.map((j) => ({ id: newId(), kind: j.kind, payload: j.payload, run_at: j.runAt, dedupe_key: j.dedupeKey })))})
         as j(id uuid, kind text, payload jsonb, run_at timestamptz, dedupe_key text)
       on conflict (dedupe_key) where status = 'pending'
       do update set run_at = excluded.run_at, payload = excluded.payload, kind = excluded.kind`,
    );
  }
  if (audit.length > 0) add("a_ins", auditInsert(ctx, audit, json));
  if (step.events.length > 0) {
    add(
      "e_ins",
      `insert into platform.outbox (event_id, topic, version, payload)
       select e.event_id, e.topic, 1, e.payload
       from jsonb_to_recordset(${json(step.events.map((e) => ({ event_id: newId(), topic: e.topic, payload: e.payload })))})
         as e(event_id uuid, topic text, payload jsonb)`,
    );
  }
  if (parts.length === 0) return;
  await rawQuery(tx, `with ${parts.join(",\n")} select 1`, params);
}

function auditInsert(ctx: Ctx, rows: AuditRow[], json: (value: unknown) => string): string {
  const actor = ctx.actor;
  const records = rows.map((r) => ({
    at: ctx.clock.now().toISOString(),
    actor_id: actor?.id ?? null,
    actor_name: actor?.displayName ?? null,
    actor_roles: actor ? [...actor.roles] : null,
    action: r.action,
    resource_type: r.resourceType,
    resource_id: r.resourceId,
    ip: ctx.ip,
    request_id: ctx.requestId,
    details: r.details ?? null,
  }));
  return `insert into audit.records (at, actor_id, actor_name, actor_roles, action, resource_type, resource_id,
      outcome, ip, request_id, details)
    select a.at, a.actor_id, a.actor_name, a.actor_roles, a.action, a.resource_type, a.resource_id, 'success',
      a.ip, a.request_id, a.details
    from jsonb_to_recordset(${json(records)}) as a(at timestamptz, actor_id uuid, actor_name text,
      actor_roles text[], action text, resource_type text, resource_id text, ip text, request_id text, details jsonb)`;
}
