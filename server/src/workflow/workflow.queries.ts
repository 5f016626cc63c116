import type { Actor } from "../kernel/access/actor";
import type { Db } from "../kernel/db/db";
import { rawQuery } from "../kernel/db/db";

/** Queries of the workflow API: reads only, no rules. */

export interface ProcessRow {
  definitionId: string;
  key: string;
  name: string;
  version: number;
  versionCount: number;
  deployedAt: string;
  deployedById: string | null;
  deployedByName: string | null;
  activeInstances: number;
}

export async function listProcessRows(db: Db): Promise<ProcessRow[]> {
  return rawQuery<ProcessRow>(
    db,
    `select d.id as "definitionId", d.key, d.name, d.version, c.n::int as "versionCount", d.deployed_at as "deployedAt",
       d.deployed_by as "deployedById", u.display_name as "deployedByName",
       (select count(*) from workflow.instances i where i.process_key = d.key and i.state = 'active')::int as "activeInstances"
     from (select key, count(*) as n, max(version) as v from workflow.definitions group by key) c
     join workflow.definitions d on d.key = c.key and d.version = c.v
     left join identity.users u on u.id = d.deployed_by
     order by d.key`,
    [],
  );
}

export async function findDefinitionRow(db: Db, key: string, version: number | undefined) {
  const [row] = await rawQuery<{
    id: string;
    key: string;
    name: string;
    version: number;
    xml: string;
    deployedAt: string;
  }>(
    db,
    `select id, key, name, version, xml, deployed_at as "deployedAt" from workflow.definitions
     where key = $1 and ($2::int is null or version = $2) order by version desc limit 1`,
    [key, version ?? null],
  );
  return row ?? null;
}

export async function listVersionRows(db: Db, key: string) {
  return rawQuery<{ version: number; deployedAt: string; activeInstances: number }>(
    db,
    `select d.version, d.deployed_at as "deployedAt",
       (select count(*) from workflow.instances i where i.definition_id = d.id and i.state = 'active')::int as "activeInstances"
     from workflow.definitions d where d.key = $1 order by d.version desc`,
    [key],
  );
}

/** The groups an actor's tasks can be offered to: roles, department codes up the tree, role@code. */
export async function actorGroups(db: Db, actor: Actor): Promise<string[]> {
  const codes = actor.departmentPath
    ? (
        await rawQuery<{ code: string }>(
          db,
          "select code from identity.departments where $1 like path || '%'",
          [actor.departmentPath],
        )
      ).map((r) => r.code)
    : [];
  return [...actor.roles, ...codes, ...actor.roles.flatMap((role) => codes.map((code) => `${role}@${code}`))];
}

export const INSTANCE_COLUMNS = `i.id, i.process_key as "processKey", d.name as "processName", i.version,
  i.business_key as "businessKey", i.state, i.started_at as "startedAt", i.ended_at as "endedAt",
  i.started_by as "startedById", su.display_name as "startedByName", i.definition_id as "definitionId",
  i.parent_instance_id as "parentInstanceId"`;
const INSTANCE_FROM = `workflow.instances i join workflow.definitions d on d.id = i.definition_id
  left join identity.users su on su.id = i.started_by`;

export interface InstanceSummaryRow {
  id: string;
  processKey: string;
  processName: string;
  version: number;
  businessKey: string | null;
  state: string;
  startedAt: string;
  endedAt: string | null;
  startedById: string | null;
  startedByName: string | null;
  definitionId: string;
  parentInstanceId: string | null;
}

/** Instances the actor may see: all (admin), or started by, worked on by, or copied to them. */
export async function searchInstanceRows(
  db: Db,
  filter: {
    processKey?: string;
    state?: string;
    businessKey?: string;
    mine?: boolean;
    all: boolean;
    actorId: string;
    username: string;
  },
  page: number,
  pageSize: number,
) {
  const params: unknown[] = [];
  const where: string[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (filter.processKey) where.push(`i.process_key = ${p(filter.processKey)}`);
  if (filter.state) where.push(`i.state = ${p(filter.state)}`);
  if (filter.businessKey) where.push(`i.business_key = ${p(filter.businessKey)}`);
  if (filter.mine || !filter.all) {
    const me = p(filter.actorId);
    const visibility = filter.mine
      ? `i.started_by = ${me}`
      : `(i.started_by = ${me}
          or exists (select 1 from workflow.tasks k where k.instance_id = i.id and (k.completed_by = ${me} or k.assignee = ${p(filter.username)}))
          or exists (select 1 from workflow.carbon_copies c where c.instance_id = i.id and c.user_id = ${me}))`;
    where.push(visibility);
  }
  const clause = where.length > 0 ? `where ${where.join(" and ")}` : "";
  const rows = await rawQuery<InstanceSummaryRow & { total: number }>(
    db,
    `select ${INSTANCE_COLUMNS}, count(*) over ()::int as total from ${INSTANCE_FROM} ${clause}
     order by i.started_at desc, i.id desc limit ${p(pageSize)} offset ${p((page - 1) * pageSize)}`,
    params,
  );
  return { rows, total: rows[0]?.total ?? 0 };
}

export async function findInstanceRow(db: Db, id: string) {
  const [row] = await rawQuery<InstanceSummaryRow & { variables: unknown }>(
    db,
    `select ${INSTANCE_COLUMNS}, i.variables from ${INSTANCE_FROM} where i.id = $1`,
    [id],
  );
  return row ?? null;
}

/** Whether the actor started, worked on, holds a task of, or was copied on the instance. */
export async function isInvolved(
  db: Db,
  instanceId: string,
  actor: Actor,
  groups: string[],
): Promise<boolean> {
  const [row] = await rawQuery<{ ok: boolean }>(
    db,
    `select exists (select 1 from workflow.instances where id = $1 and started_by = $2)
      or exists (select 1 from workflow.tasks k where k.instance_id = $1 and (k.completed_by = $2 or k.assignee = $3
           or k.candidate_users && array[$3]::text[] or k.candidate_groups && $4::text[]))
      or exists (select 1 from workflow.carbon_copies where instance_id = $1 and user_id = $2)
      or exists (select 1 from workflow.instances c where c.parent_instance_id = $1 and c.started_by = $2) as ok`,
    [instanceId, actor.id, actor.username, groups],
  );
  return row?.ok === true;
}

export async function instanceHistoryRows(db: Db, instanceId: string) {
  return rawQuery<{
    elementId: string;
    elementName: string | null;
    elementType: string;
    event: string;
    at: string;
    actorId: string | null;
    actorName: string | null;
  }>(
    db,
    `select h.element_id as "elementId", h.element_name as "elementName", h.element_type as "elementType", h.event,
       h.at, h.actor_id as "actorId", u.display_name as "actorName"
     from workflow.history h left join identity.users u on u.id = h.actor_id
     where h.instance_id = $1 order by h.at, h.id`,
    [instanceId],
  );
}

export async function instanceTokenRows(db: Db, instanceId: string) {
  return rawQuery<{ id: string; elementId: string; state: string }>(
    db,
    `select id, element_id as "elementId", state from workflow.tokens where instance_id = $1 order by created_at, id`,
    [instanceId],
  );
}

/** Jobs of this instance that ran out of attempts: the incidents an administrator must look at. */
export async function incidentRows(db: Db, instanceId: string) {
  return rawQuery<{ elementId: string | null; message: string; at: string }>(
    db,
    `select coalesce(j.payload->>'elementId', t.element_id) as "elementId", coalesce(j.last_error, 'failed') as message,
       j.finished_at as at
     from platform.jobs j left join workflow.tokens t on t.id::text = j.payload->>'tokenId'
     where j.status = 'failed' and j.kind like 'workflow.%' and j.payload->>'instanceId' = $1::text`,
    [instanceId],
  );
}

export interface TaskListRow {
  id: string;
  instanceId: string;
  definitionId: string;
  processKey: string;
  processName: string;
  elementId: string;
  name: string;
  businessKey: string | null;
  state: string;
  assignee: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  createdAt: string;
  dueAt: string | null;
  completedAt: string | null;
  completedById: string | null;
  completedByName: string | null;
  formKey: string | null;
  priority: number;
  local: unknown;
  /** what the task is about: the instance's `title` or `subject` variable */
  subject: string | null;
}

const TASK_COLUMNS = `k.id, k.instance_id as "instanceId", i.definition_id as "definitionId", k.process_key as "processKey",
  k.process_name as "processName", k.element_id as "elementId", k.name, k.business_key as "businessKey", k.state,
  k.assignee, au.id as "assigneeId", au.display_name as "assigneeName", k.candidate_groups as "candidateGroups",
  k.candidate_users as "candidateUsers", k.created_at as "createdAt", k.due_at as "dueAt", k.completed_at as "completedAt",
  k.completed_by as "completedById", cu.display_name as "completedByName", k.form_key as "formKey", k.priority, k.local,
  left(coalesce(i.variables->>'title', i.variables->>'subject'), 200) as subject`;
const TASK_JOINS = `join workflow.instances i on i.id = k.instance_id
  left join identity.users au on au.username = k.assignee
  left join identity.users cu on cu.id = k.completed_by`;

export type TaskView = "todo" | "done" | "started" | "cc";

export async function searchTaskRows(
  db: Db,
  actor: Actor,
  groups: string[],
  filter: { view: TaskView; q?: string; processKey?: string; instanceId?: string },
  page: number,
  pageSize: number,
) {
  const params: unknown[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  const where: string[] = [];
  let order = "k.created_at desc, k.id desc";
  let source = "workflow.tasks k";
  if (filter.view === "todo") {
    where.push(`k.state = 'open' and (k.assignee = ${p(actor.username)} or (k.assignee is null and
      (k.candidate_users && array[${p(actor.username)}]::text[] or k.candidate_groups && ${p(groups)}::text[])))`);
    order = "k.priority desc, k.created_at, k.id";
  } else if (filter.view === "done") {
    where.push(`k.completed_by = ${p(actor.id)} and k.state = 'completed'`);
    order = "k.completed_at desc, k.id desc";
  } else {
    const owner =
      filter.view === "started"
        ? `started_by = ${p(actor.id)}`
        : `instance_id in (select instance_id from workflow.carbon_copies where user_id = ${p(actor.id)})`;
    // The latest task of each instance stands for the instance.
    source = `(select distinct on (instance_id) * from workflow.tasks where ${owner} order by instance_id, created_at desc, id desc) k`;
  }
  if (filter.processKey) where.push(`k.process_key = ${p(filter.processKey)}`);
  if (filter.instanceId) where.push(`k.instance_id = ${p(filter.instanceId)}`);
  if (filter.q) {
    const like = p(`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(k.name ilike ${like} or k.process_name ilike ${like} or k.business_key ilike ${like}
      or coalesce(i.variables->>'title', i.variables->>'subject') ilike ${like})`);
  }
  const clause = where.length > 0 ? `where ${where.join(" and ")}` : "";
  const rows = await rawQuery<TaskListRow & { total: number }>(
    db,
    `select ${TASK_COLUMNS}, count(*) over ()::int as total from ${source} ${TASK_JOINS} ${clause}
     order by ${order} limit ${p(pageSize)} offset ${p((page - 1) * pageSize)}`,
    params,
  );
  return { rows, total: rows[0]?.total ?? 0 };
}

export async function findTaskRow(db: Db, id: string): Promise<TaskListRow | null> {
  const [row] = await rawQuery<TaskListRow>(
    db,
    `select ${TASK_COLUMNS} from workflow.tasks k ${TASK_JOINS} where k.id = $1`,
    [id],
  );
  return row ?? null;
}

export async function findStaffByUsername(db: Db, username: string) {
  const [row] = await rawQuery<{ id: string; username: string; displayName: string }>(
    db,
    `select id, username, display_name as "displayName" from identity.users
     where username = $1 and kind = 'staff' and not disabled`,
    [username],
  );
  return row ?? null;
}

export async function findStaffByUsernames(db: Db, usernames: string[]) {
  return rawQuery<{ id: string; username: string }>(
    db,
    `select id, username from identity.users where username = any($1::text[]) and kind = 'staff' and not disabled`,
    [usernames],
  );
}
