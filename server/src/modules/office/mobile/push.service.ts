import type { Ctx } from "../../../kernel/http/context";
import { loadActors } from "../../../kernel/identity/actors";
import type { FormSchema, TaskListRow, WorkflowEngine } from "../../../workflow";
import { actorGroups, findTaskRow, searchTaskRows } from "../../../workflow";
import type { NoticeCreatedV1 } from "../notices/notices.service";
import {
  activateCards,
  activateNoticeCards,
  activateUnreadNoticeCards,
  activeCards,
  activeTaskIdsOfInstance,
  insertDeliveries,
  linkedTaskRecipients,
  lockDelivery,
  lockSubject,
  markDelivered,
  type NewDelivery,
  type Recipient,
  withdrawCards,
  withdrawUserCards,
} from "./push.queries";
import { signedHeaders } from "./signature";

/** Push (platform → 粤政易): cards for tasks and notices, sent as signed webhooks by the job runner. */

export const DELIVER_JOB = "office.mobile.deliver";
/** With the runner's back-off (2 s doubling, at most an hour) 25 attempts span about 15 hours. */
export const DELIVERY_MAX_ATTEMPTS = 25;
/** A delivery holds its job's transaction while it waits; an app that hangs must not hold it long. */
export const DELIVERY_TIMEOUT_MS = 5000;

/** What the adapter needs to know at run time. */
export interface MobileSettings {
  appId: string;
  secret: string;
  /** Where webhooks go: the configured URL, or the built-in simulator on this server. */
  webhookUrl(): string;
  /** The web app's external address, for deep links. */
  publicUrl: string;
}

/** A button the app shows on a task card and the variables completing the task with it sends. */
export interface QuickAction {
  key: "approve" | "reject";
  label: string;
  variables: Record<string, unknown>;
}

/**
 * The decisions a phone can take in one tap: a form whose only required field is a yes/no or an
 * approve/send-back choice, a task without a form (a countersign counts `approved`), and nothing
 * for a form that needs typing — the card then leads to the web page.
 */
export function quickActions(form: FormSchema | undefined, multiInstance: boolean): QuickAction[] {
  const properties = Object.entries(form?.properties ?? {});
  const required = form?.required ?? [];
  const onlyNeeds = (name: string) => required.every((r) => r === name);
  const yesNo = properties.find(([, p]) => p.type === "boolean");
  if (yesNo && onlyNeeds(yesNo[0])) {
    const label = typeof yesNo[1].title === "string" ? yesNo[1].title : "同意";
    return [
      { key: "approve", label, variables: { [yesNo[0]]: true } },
      { key: "reject", label: "退回", variables: { [yesNo[0]]: false } },
    ];
  }
  const choice = properties.find(([, p]) => Array.isArray(p.enum) && p.enum.includes("approve"));
  if (choice && onlyNeeds(choice[0])) {
    const values = choice[1].enum as string[];
    const names = (choice[1]["x-enumNames"] as string[] | undefined) ?? values;
    const back = ["correct", "reject", "deny"].find((v) => values.includes(v));
    const labelOf = (v: string) => names[values.indexOf(v)] ?? v;
    return [
      { key: "approve", label: labelOf("approve"), variables: { [choice[0]]: "approve" } },
      ...(back ? [{ key: "reject" as const, label: labelOf(back), variables: { [choice[0]]: back } }] : []),
    ];
  }
  if (required.length > 0) return [];
  if (multiInstance) {
    return [
      { key: "approve", label: "同意", variables: { approved: true } },
      { key: "reject", label: "退回", variables: { approved: false } },
    ];
  }
  return [{ key: "approve", label: "办结", variables: {} }];
}

async function taskCard(engine: WorkflowEngine, ctx: Ctx, settings: MobileSettings, task: TaskListRow) {
  const { model } = await engine.definition(ctx.tx, task.definitionId);
  const element = model.elements[task.elementId];
  return {
    id: task.id,
    name: task.name,
    processName: task.processName,
    dueAt: task.dueAt ? new Date(task.dueAt).toISOString() : null,
    link: `${settings.publicUrl}/office/tasks?task=${task.id}`,
    claimable: task.assignee === null,
    actions: quickActions(element?.userTask?.form, element?.multiInstance !== undefined),
  };
}

/**
 * Brings a task's cards in line with the task: a card for each linked person it is offered to now,
 * a withdrawal for each card whose holder it is no longer offered to (completed, cancelled,
 * claimed by someone else, delegated). Idempotent, so an event delivered twice changes nothing.
 */
export async function syncTaskCards(
  ctx: Ctx,
  engine: WorkflowEngine,
  settings: MobileSettings,
  taskId: string,
): Promise<number> {
  await lockSubject(ctx.tx, `office.mobile.task:${taskId}`);
  const task = await findTaskRow(ctx.tx, taskId);
  const wanted = task?.state === "open" ? await linkedTaskRecipients(ctx.tx, task) : [];
  const held = await activeCards(ctx.tx, "task", taskId);
  const gain = wanted.filter((w) => !held.some((h) => h.userId === w.userId));
  const lose = held.filter((h) => !wanted.some((w) => w.userId === h.userId));
  const at = ctx.clock.now().toISOString();
  const deliveries: NewDelivery[] = [];
  if (task && gain.length > 0) {
    const card = await taskCard(engine, ctx, settings, task);
    await activateCards(ctx.tx, { kind: "task", subjectId: taskId, instanceId: task.instanceId, at }, gain);
    for (const r of gain) deliveries.push(delivery(r, "task.created", taskId, at, { task: card }));
  }
  if (lose.length > 0) {
    await withdrawCards(
      ctx.tx,
      "task",
      taskId,
      lose.map((r) => r.userId),
      at,
    );
    const reason = task?.state === "open" ? "reassigned" : (task?.state ?? "gone");
    for (const r of lose)
      deliveries.push(delivery(r, "task.withdrawn", taskId, at, { task: { id: taskId }, reason }));
  }
  await schedule(ctx, deliveries);
  return deliveries.length;
}

/**
 * Something happened in an instance (a task came, went or changed hands; the instance ended): the
 * task it names is synced, and so is every other task of the instance with cards out — tasks can
 * also end without an event of their own (an interrupting timer, a countersign decided early).
 */
export async function syncInstanceCards(
  ctx: Ctx,
  engine: WorkflowEngine,
  settings: MobileSettings,
  instanceId: string,
  taskId?: string,
): Promise<number> {
  let scheduled = taskId ? await syncTaskCards(ctx, engine, settings, taskId) : 0;
  for (const other of await activeTaskIdsOfInstance(ctx.tx, instanceId))
    if (other !== taskId) scheduled += await syncTaskCards(ctx, engine, settings, other);
  return scheduled;
}

function noticeCard(
  settings: MobileSettings,
  notice: { id: string; kind: string; title: string; link: string | null },
) {
  return {
    id: notice.id,
    kind: notice.kind,
    title: notice.title,
    link: `${settings.publicUrl}${notice.link ?? `/office?notice=${notice.id}`}`,
  };
}

/** A notice was created: a card for each linked recipient who has none for it yet. */
export async function pushNotice(
  ctx: Ctx,
  settings: MobileSettings,
  event: NoticeCreatedV1,
): Promise<number> {
  const at = ctx.clock.now().toISOString();
  const to = await activateNoticeCards(ctx.tx, event.noticeId, at);
  const notice = noticeCard(settings, {
    id: event.noticeId,
    kind: event.kind,
    title: event.title,
    link: event.link,
  });
  await schedule(
    ctx,
    to.map((r) => delivery(r, "notice.created", event.noticeId, at, { notice })),
  );
  return to.length;
}

/** How much of a newly linked person's inbox goes to their phone at once. */
const LINK_TASKS = 100;
const LINK_NOTICES = 20;

/**
 * A person just linked their app account: what waits for them now (their 待办, their latest
 * unread notices) goes to the phone, not only what comes later.
 */
export async function syncUserCards(
  ctx: Ctx,
  engine: WorkflowEngine,
  settings: MobileSettings,
  to: Recipient,
): Promise<number> {
  const actor = (await loadActors(ctx.tx, { ids: [to.userId] })).get(to.userId);
  if (!actor) return 0;
  const groups = await actorGroups(ctx.tx, actor);
  const { rows } = await searchTaskRows(ctx.tx, actor, groups, { view: "todo" }, 1, LINK_TASKS);
  let scheduled = 0;
  for (const task of rows) scheduled += await syncTaskCards(ctx, engine, settings, task.id);
  const at = ctx.clock.now().toISOString();
  const notices = await activateUnreadNoticeCards(ctx.tx, to, at, LINK_NOTICES);
  await schedule(
    ctx,
    notices.map((n) => delivery(to, "notice.created", n.id, at, { notice: noticeCard(settings, n) })),
  );
  return scheduled + notices.length;
}

/** Withdraws everything a user's app account shows (the account is unlinked or replaced). */
export async function withdrawAllCards(ctx: Ctx, userId: string): Promise<number> {
  const at = ctx.clock.now().toISOString();
  const cards = await withdrawUserCards(ctx.tx, userId, at);
  await schedule(
    ctx,
    cards.map((c) =>
      delivery(
        { userId, openId: c.openId },
        c.kind === "task" ? "task.withdrawn" : "notice.withdrawn",
        c.subjectId,
        at,
        { [c.kind]: { id: c.subjectId }, reason: "unlinked" },
      ),
    ),
  );
  return cards.length;
}

function delivery(
  to: Recipient,
  event: NewDelivery["event"],
  subjectId: string,
  occurredAt: string,
  content: Record<string, unknown>,
): NewDelivery {
  return {
    userId: to.userId,
    openId: to.openId,
    event,
    subjectId,
    payload: { event, occurredAt, openId: to.openId, ...content },
  };
}

async function schedule(ctx: Ctx, deliveries: NewDelivery[]): Promise<void> {
  await insertDeliveries(ctx.tx, deliveries, {
    kind: DELIVER_JOB,
    runAt: ctx.clock.now(),
    maxAttempts: DELIVERY_MAX_ATTEMPTS,
  });
}

/**
 * The delivery job: sends one webhook, signed now. Anything but a 2xx answer throws, so the job
 * runner retries it later with back-off; the delivery id stays the same, so the app keeps one copy
 * even if an answer was lost after it had stored the card.
 */
export async function deliver(
  ctx: Ctx,
  settings: MobileSettings,
  deliveryId: string,
  attempt: number,
): Promise<void> {
  const row = await lockDelivery(ctx.tx, deliveryId);
  if (!row || row.status === "delivered") return;
  const payload = typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload;
  const body = JSON.stringify({ deliveryId: row.id, appId: settings.appId, ...payload });
  const headers = signedHeaders(
    { appId: settings.appId, secret: settings.secret, now: ctx.clock.now(), deliveryId: row.id },
    body,
  );
  const response = await fetch(settings.webhookUrl(), {
    method: "POST",
    headers,
    body,
    redirect: "manual",
    signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
  });
  await response.body?.cancel().catch(() => undefined); // the answer's content is not read
  if (response.status < 200 || response.status > 299)
    throw new Error(`the mobile app answered HTTP ${response.status} to delivery ${row.id}`);
  await markDelivered(ctx.tx, row.id, attempt + 1, ctx.clock.now().toISOString());
}
