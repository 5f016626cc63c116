import type { Actor } from "../kernel/access/actor";
import { appendAudit } from "../kernel/audit/audit";
import { rawQuery } from "../kernel/db/db";
import type { Ctx } from "../kernel/http/context";
import { AppError, HttpErrors } from "../kernel/http/errors";
import type { WorkflowEngine } from "./engine";
import { WorkflowErrors } from "./errors";
import type { ProcessModel } from "./model";
import type { Variables } from "./step";
import { parseJson } from "./store";
import {
  actorGroups,
  findDefinitionRow,
  findInstanceRow,
  findStaffByUsername,
  findStaffByUsernames,
  findTaskRow,
  type InstanceSummaryRow,
  incidentRows,
  instanceHistoryRows,
  instanceTokenRows,
  isInvolved,
  listProcessRows,
  listVersionRows,
  searchInstanceRows,
  searchTaskRows,
  type TaskListRow,
  type TaskView,
} from "./workflow.queries";

/** Use cases of the workflow API: who may do what, then one call into the engine. */

function actorOf(ctx: Ctx): Actor {
  if (!ctx.actor) throw new AppError(HttpErrors.UNAUTHENTICATED);
  return ctx.actor;
}
const isAdmin = (actor: Actor) => actor.roles.includes("admin");

/** Every deployed process, and whether the caller can start it by hand (发起). */
export async function listProcesses(ctx: Ctx, engine: WorkflowEngine) {
  const actor = actorOf(ctx);
  const rows = await listProcessRows(ctx.tx);
  const groups = await actorGroups(ctx.tx, actor);
  const items = [];
  for (const { deployedById, deployedByName, definitionId, ...row } of rows) {
    const { model } = await engine.definition(ctx.tx, definitionId);
    items.push({
      ...row,
      deployedAt: iso(row.deployedAt),
      deployedBy: deployedById ? { id: deployedById, name: deployedByName ?? "" } : null,
      startable: model.startEvent !== null && mayStart(actor, groups, model),
    });
  }
  return items;
}

function mayStart(
  actor: Actor,
  groups: string[],
  model: { starterGroups: string[]; starterUsers: string[] },
) {
  if (model.starterGroups.length === 0 && model.starterUsers.length === 0) return true;
  return (
    isAdmin(actor) ||
    model.starterUsers.includes(actor.username) ||
    model.starterGroups.some((g) => groups.includes(g))
  );
}

export async function getProcess(ctx: Ctx, engine: WorkflowEngine, key: string, version?: number) {
  const row = await findDefinitionRow(ctx.tx, key, version);
  if (!row) throw new AppError(WorkflowErrors.PROCESS_NOT_FOUND);
  const { model } = await engine.definition(ctx.tx, row.id);
  const versions = await listVersionRows(ctx.tx, key);
  return {
    key: row.key,
    name: row.name,
    version: row.version,
    xml: row.xml,
    deployedAt: iso(row.deployedAt),
    startForm: model.startForm,
    versions: versions.map((v) => ({ ...v, deployedAt: iso(v.deployedAt) })),
  };
}

export async function deployProcess(ctx: Ctx, engine: WorkflowEngine, xml: string) {
  const deployed = await engine.deploy(ctx, xml);
  const first = deployed[0]!;
  return {
    key: first.key,
    version: first.version,
    name: first.name,
    processes: deployed.map(({ key, version, name, unchanged }) => ({ key, version, name, unchanged })),
  };
}

export async function validateProcess(engine: WorkflowEngine, xml: string) {
  const result = await engine.validate(xml);
  return {
    valid: result.problems.length === 0,
    processes: result.processes.map((p) => ({
      key: p.model.key,
      name: p.model.name,
      executable: p.executable,
    })),
    errors: result.problems,
  };
}

export async function startProcess(
  ctx: Ctx,
  engine: WorkflowEngine,
  key: string,
  input: { variables?: Variables; businessKey?: string },
) {
  const actor = actorOf(ctx);
  const { model } = await engine.latestDefinition(ctx.tx, key);
  if (model.starterGroups.length > 0 || model.starterUsers.length > 0) {
    if (!mayStart(actor, await actorGroups(ctx.tx, actor), model)) {
      throw new AppError(WorkflowErrors.PROCESS_START_FORBIDDEN);
    }
  }
  const instance = await engine.start(ctx, key, {
    variables: input.variables ?? {},
    businessKey: input.businessKey ?? null,
  });
  return summary((await findInstanceRow(ctx.tx, instance.id))!);
}

export async function searchInstances(
  ctx: Ctx,
  filter: { processKey?: string; state?: string; businessKey?: string; mine?: boolean },
  page: number,
  pageSize: number,
) {
  const actor = actorOf(ctx);
  const { rows, total } = await searchInstanceRows(
    ctx.tx,
    { ...filter, all: isAdmin(actor), actorId: actor.id, username: actor.username },
    page,
    pageSize,
  );
  return { items: rows.map(summary), total, page, pageSize };
}

async function visibleInstance(ctx: Ctx, id: string) {
  const actor = actorOf(ctx);
  const row = await findInstanceRow(ctx.tx, id);
  if (!row) throw new AppError(WorkflowErrors.INSTANCE_NOT_FOUND);
  if (!isAdmin(actor) && !(await isInvolved(ctx.tx, id, actor, await actorGroups(ctx.tx, actor)))) {
    throw new AppError(WorkflowErrors.INSTANCE_NOT_FOUND);
  }
  return row;
}

/** The whole instance with its variables: a read of what may be personal data, so it is audited. */
export async function getInstance(ctx: Ctx, engine: WorkflowEngine, id: string) {
  const row = await visibleInstance(ctx, id);
  const { model } = await engine.definition(ctx.tx, row.definitionId);
  const [tokens, history, incidents] = await Promise.all([
    instanceTokenRows(ctx.tx, id),
    instanceHistoryRows(ctx.tx, id),
    incidentRows(ctx.tx, id),
  ]);
  await appendAudit(ctx.tx, ctx, {
    action: "read",
    resourceType: "process-instance",
    resourceId: id,
    details: { what: "instance" },
  });
  return {
    ...summary(row),
    variables: parseJson(row.variables) as Variables,
    labels: variableLabels(model),
    activeElements: [...new Set(tokens.filter((t) => t.state !== "joining").map((t) => t.elementId))],
    tokens,
    history: history.map((h) => ({
      elementId: h.elementId,
      elementName: h.elementName,
      elementType: h.elementType,
      event: h.event,
      at: iso(h.at),
      actor: h.actorId ? { id: h.actorId, name: h.actorName ?? "" } : null,
    })),
    incidents: incidents.map((i) => ({ ...i, at: i.at ? iso(i.at) : null })),
    parentInstanceId: row.parentInstanceId,
  };
}

export async function cancelInstance(ctx: Ctx, engine: WorkflowEngine, id: string, reason: string) {
  const actor = actorOf(ctx);
  const row = await visibleInstance(ctx, id);
  if (!isAdmin(actor) && row.startedById !== actor.id) throw new AppError(HttpErrors.FORBIDDEN);
  await engine.withInstance(
    ctx,
    id,
    {
      audit: () => [
        {
          action: "workflow.instance.cancelled",
          resourceType: "process-instance",
          resourceId: id,
          details: { reason },
        },
      ],
    },
    (step) => {
      if (step.instance.state !== "active") throw new AppError(WorkflowErrors.INSTANCE_NOT_ACTIVE);
      step.cancel(reason);
    },
  );
  return summary((await findInstanceRow(ctx.tx, id))!);
}

export async function ccInstance(ctx: Ctx, id: string, usernames: string[]) {
  await visibleInstance(ctx, id);
  const users = await findStaffByUsernames(ctx.tx, usernames);
  const unknown = usernames.filter((u) => !users.some((r) => r.username === u));
  if (unknown.length > 0) {
    throw new AppError(WorkflowErrors.USER_NOT_FOUND, {
      errors: unknown.map((u) => ({ field: "/body/usernames", message: `no active staff member "${u}"` })),
    });
  }
  const added = await rawQuery<{ user_id: string }>(
    ctx.tx,
    `insert into workflow.carbon_copies (instance_id, user_id, added_by, added_at)
     select $1, u, $2, $3 from unnest($4::uuid[]) as u on conflict do nothing returning user_id`,
    [id, ctx.actor!.id, ctx.clock.now().toISOString(), users.map((u) => u.id)],
  );
  await appendAudit(ctx.tx, ctx, {
    action: "workflow.instance.copied",
    resourceType: "process-instance",
    resourceId: id,
    details: { usernames },
  });
  return { added: added.length };
}

// ─── tasks ────────────────────────────────────────────────────────────────

export async function searchTasks(
  ctx: Ctx,
  engine: WorkflowEngine,
  filter: { view: TaskView; q?: string; processKey?: string; instanceId?: string },
  page: number,
  pageSize: number,
) {
  const actor = actorOf(ctx);
  const groups = await actorGroups(ctx.tx, actor);
  const { rows, total } = await searchTaskRows(ctx.tx, actor, groups, filter, page, pageSize);
  const items = [];
  for (const row of rows) items.push(await toTask(ctx, engine, row));
  return { items, total, page, pageSize };
}

/** The task if the caller may see it, with the caller and their groups for the checks that follow. */
async function visibleTask(ctx: Ctx, id: string) {
  const actor = actorOf(ctx);
  const row = await findTaskRow(ctx.tx, id);
  if (!row) throw new AppError(WorkflowErrors.TASK_NOT_FOUND);
  const groups = await actorGroups(ctx.tx, actor);
  if (!isAdmin(actor) && !(await isInvolved(ctx.tx, row.instanceId, actor, groups))) {
    throw new AppError(WorkflowErrors.TASK_NOT_FOUND);
  }
  return { row, actor, groups };
}

export async function getTask(ctx: Ctx, engine: WorkflowEngine, id: string) {
  const { row } = await visibleTask(ctx, id);
  const instance = (await findInstanceRow(ctx.tx, row.instanceId))!;
  await appendAudit(ctx.tx, ctx, {
    action: "read",
    resourceType: "task",
    resourceId: id,
    details: { what: "task variables" },
  });
  return {
    ...(await toTask(ctx, engine, row)),
    variables: { ...(parseJson(instance.variables) as Variables), ...(parseJson(row.local) as Variables) },
  };
}

/** Is the actor offered this task (as a candidate user or through one of their groups)? */
function isCandidate(
  actor: Actor,
  groups: string[],
  task: { candidate_users: string[]; candidate_groups: string[] },
): boolean {
  return (
    task.candidate_users.includes(actor.username) || task.candidate_groups.some((g) => groups.includes(g))
  );
}

export async function claimTask(ctx: Ctx, engine: WorkflowEngine, id: string) {
  const { row, actor, groups } = await visibleTask(ctx, id);
  await engine.withInstance(
    ctx,
    row.instanceId,
    { taskId: id, audit: () => [{ action: "workflow.task.claimed", resourceType: "task", resourceId: id }] },
    async (step, task) => {
      if (task?.state !== "open") throw new AppError(WorkflowErrors.TASK_NOT_OPEN);
      if (task.assignee === actor.username) return;
      if (task.assignee) throw new AppError(WorkflowErrors.TASK_ALREADY_CLAIMED);
      if (!isCandidate(actor, groups, task)) throw new AppError(WorkflowErrors.TASK_NOT_YOURS);
      step.taskUpdates.set(id, { id, assignee: actor.username });
      step.events.push({
        topic: "workflow.task.assigned",
        payload: { taskId: id, instanceId: task.instance_id, assignee: actor.username },
      });
    },
  );
  return toTask(ctx, engine, (await findTaskRow(ctx.tx, id))!);
}

export async function completeTask(ctx: Ctx, engine: WorkflowEngine, id: string, variables: Variables) {
  const { row, actor, groups } = await visibleTask(ctx, id);
  await engine.withInstance(
    ctx,
    row.instanceId,
    {
      taskId: id,
      audit: () => [
        {
          action: "workflow.task.completed",
          resourceType: "task",
          resourceId: id,
          details: { variables: Object.keys(variables) },
        },
      ],
    },
    async (step, task) => {
      if (task?.state !== "open") throw new AppError(WorkflowErrors.TASK_NOT_OPEN);
      if (task.assignee && task.assignee !== actor.username)
        throw new AppError(WorkflowErrors.TASK_NOT_YOURS);
      if (!task.assignee && !isCandidate(actor, groups, task))
        throw new AppError(WorkflowErrors.TASK_NOT_YOURS);
      await engine.completeTask(ctx, task, step, variables);
    },
  );
  return toTask(ctx, engine, (await findTaskRow(ctx.tx, id))!);
}

export async function delegateTask(
  ctx: Ctx,
  engine: WorkflowEngine,
  id: string,
  username: string,
  comment?: string,
) {
  const { row, actor, groups } = await visibleTask(ctx, id);
  const target = await findStaffByUsername(ctx.tx, username);
  if (!target) {
    throw new AppError(WorkflowErrors.USER_NOT_FOUND, {
      errors: [{ field: "/body/username", message: "no active staff member has this username" }],
    });
  }
  await engine.withInstance(
    ctx,
    row.instanceId,
    {
      taskId: id,
      audit: () => [
        {
          action: "workflow.task.delegated",
          resourceType: "task",
          resourceId: id,
          details: { to: username, comment: comment ?? null },
        },
      ],
    },
    async (step, task) => {
      if (task?.state !== "open") throw new AppError(WorkflowErrors.TASK_NOT_OPEN);
      const holds = task.assignee === actor.username || (!task.assignee && isCandidate(actor, groups, task));
      if (!holds && !isAdmin(actor)) throw new AppError(WorkflowErrors.TASK_NOT_YOURS);
      step.taskUpdates.set(id, { id, assignee: target.username, delegated_from: actor.username });
      step.events.push({
        topic: "workflow.task.assigned",
        payload: {
          taskId: id,
          instanceId: task.instance_id,
          assignee: target.username,
          delegatedBy: actor.username,
        },
      });
    },
  );
  return toTask(ctx, engine, (await findTaskRow(ctx.tx, id))!);
}

/** Delivers a message to every waiting subscription that matches, or starts a process on it. */
export async function correlateMessage(
  ctx: Ctx,
  engine: WorkflowEngine,
  input: {
    messageName: string;
    correlationKey?: string;
    businessKey?: string;
    instanceId?: string;
    variables?: Variables;
  },
) {
  const subscriptions = await rawQuery<{ instance_id: string; token_id: string; element_id: string }>(
    ctx.tx,
    `select s.instance_id, s.token_id, s.element_id from workflow.subscriptions s
     join workflow.instances i on i.id = s.instance_id
     where s.message_name = $1 and ($2::text is null or s.correlation_key = $2)
       and ($3::text is null or i.business_key = $3) and ($4::uuid is null or s.instance_id = $4)
     order by s.created_at`,
    [input.messageName, input.correlationKey ?? null, input.businessKey ?? null, input.instanceId ?? null],
  );
  const instanceIds: string[] = [];
  for (const sub of subscriptions) {
    const step = await engine.withInstance(
      ctx,
      sub.instance_id,
      {
        audit: () => [
          {
            action: "workflow.message.correlated",
            resourceType: "process-instance",
            resourceId: sub.instance_id,
            details: { messageName: input.messageName },
          },
        ],
      },
      (s) => {
        if (s.tokens.has(sub.token_id) && s.instance.state === "active")
          s.trigger(sub.token_id, sub.element_id, input.variables ?? {});
      },
    );
    if (step) instanceIds.push(sub.instance_id);
  }
  if (instanceIds.length === 0 && !input.instanceId) {
    const [start] = await rawQuery<{ key: string; element_id: string }>(
      ctx.tx,
      `select d.key, m->>'elementId' as element_id
       from workflow.definitions d cross join jsonb_array_elements(d.model->'messageStarts') m
       where m->>'messageName' = $1
         and d.version = (select max(version) from workflow.definitions x where x.key = d.key)
       limit 1`,
      [input.messageName],
    );
    if (start) {
      const instance = await engine.start(ctx, start.key, {
        variables: input.variables ?? {},
        businessKey: input.businessKey ?? null,
        startEventId: start.element_id,
      });
      return { instanceIds: [instance.id], started: true };
    }
  }
  if (instanceIds.length === 0) throw new AppError(WorkflowErrors.MESSAGE_NOT_CORRELATED);
  return { instanceIds, started: false };
}

// ─── shapes ───────────────────────────────────────────────────────────────

/** Variable name → the title its forms give it (请假天数 for `days`), so people see words, not names. */
function variableLabels(model: ProcessModel): Record<string, string> {
  const labels: Record<string, string> = {};
  const forms = [model.startForm, ...Object.values(model.elements).map((e) => e.userTask?.form)];
  for (const form of forms) {
    for (const [name, property] of Object.entries(form?.properties ?? {})) {
      if (typeof property.title === "string" && !(name in labels)) labels[name] = property.title;
    }
  }
  return labels;
}

function summary(row: InstanceSummaryRow) {
  return {
    id: row.id,
    processKey: row.processKey,
    processName: row.processName,
    version: row.version,
    businessKey: row.businessKey,
    state: row.state,
    startedAt: iso(row.startedAt),
    endedAt: row.endedAt ? iso(row.endedAt) : null,
    startedBy: row.startedById ? { id: row.startedById, name: row.startedByName ?? "" } : null,
  };
}

async function toTask(ctx: Ctx, engine: WorkflowEngine, row: TaskListRow) {
  const { model } = await engine.definition(ctx.tx, row.definitionId);
  const form = model.elements[row.elementId]?.userTask?.form ?? null;
  const dueAt = row.dueAt ? iso(row.dueAt) : null;
  return {
    id: row.id,
    instanceId: row.instanceId,
    processKey: row.processKey,
    processName: row.processName,
    elementId: row.elementId,
    name: row.name,
    businessKey: row.businessKey,
    subject: row.subject,
    state: row.state,
    assignee: row.assignee
      ? { id: row.assigneeId, name: row.assigneeName ?? row.assignee, username: row.assignee }
      : null,
    candidateGroups: row.candidateGroups,
    candidateUsers: row.candidateUsers,
    createdAt: iso(row.createdAt),
    dueAt,
    overdue: row.state === "open" && dueAt !== null && new Date(dueAt) < ctx.clock.now(),
    completedAt: row.completedAt ? iso(row.completedAt) : null,
    completedBy: row.completedById ? { id: row.completedById, name: row.completedByName ?? "" } : null,
    formKey: row.formKey,
    form,
    priority: row.priority,
  };
}

function iso(value: string | Date): string {
  return new Date(value).toISOString();
}
