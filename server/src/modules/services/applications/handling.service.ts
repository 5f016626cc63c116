import { eq } from "drizzle-orm";
import type { Actor } from "../../../kernel/access/actor";
import { appendAudit } from "../../../kernel/audit/audit";
import { shanghaiDate } from "../../../kernel/calendar/calendar";
import { rawQuery } from "../../../kernel/db/db";
import { newId } from "../../../kernel/db/ids";
import { clearDeadline } from "../../../kernel/deadlines/deadlines";
import { publishEvent } from "../../../kernel/events/events";
import type { Ctx } from "../../../kernel/http/context";
import { AppError, HttpErrors } from "../../../kernel/http/errors";
import { scheduleJob } from "../../../kernel/jobs/jobs";
import { findFrozenVersion } from "../catalog/catalog.queries";
import { ServicesErrors } from "../errors";
import { applications, specialSteps } from "../schema";
import {
  APPLICATION_STATUSES,
  type ApplicationRow,
  findApplicationRow,
  listApplicationRows,
  listSpecialStepRows,
} from "./applications.queries";
import {
  actorOf,
  addHistory,
  completeOpenTask,
  DEADLINE_KIND,
  getApplicationRow,
  isHandlingStaff,
  openTask,
  pauseClock,
  resumeClock,
  type ServicesDeps,
} from "./applications.service";

export const EVALUATION_DEFAULT_JOB = "services.evaluation.default";

/**
 * The window's and the department's steps on an application: 受理, 不予受理, 补正, 特殊环节,
 * 审查与决定, 送达. Each completes the process task of its step, records who did it, when and why,
 * and keeps the clock. A task completed from the generic inbox instead is applied by `applyTask`.
 */

function assertClerk(actor: Actor) {
  if (!actor.roles.includes("clerk"))
    throw new AppError(HttpErrors.FORBIDDEN, { message: "Only a window clerk (综合窗口) does this" });
}

function assertReviewer(actor: Actor, row: ApplicationRow) {
  const role =
    actor.roles.includes("approver") || actor.roles.includes("leader") || actor.roles.includes("admin");
  if (!role || !isHandlingStaff(actor, row)) throw new AppError(ServicesErrors.NOT_HANDLING_DEPARTMENT);
}

/** 清单之外无审批: an item taken off the list is neither accepted nor approved. */
function assertListed(row: ApplicationRow) {
  if (!row.itemPublished) throw new AppError(ServicesErrors.SERVICE_NOT_PUBLISHED);
}

function assertStatus(row: ApplicationRow, ...statuses: string[]) {
  if (!statuses.includes(row.status)) throw new AppError(ServicesErrors.APPLICATION_WRONG_STATE);
}

async function audited(ctx: Ctx, row: ApplicationRow, action: string, details: Record<string, unknown> = {}) {
  await appendAudit(ctx.tx, ctx, {
    action: `services.application.${action}`,
    resourceType: "application",
    resourceId: row.id,
    details,
  });
  await publishEvent(ctx.tx, `services.application.${action}`, {
    applicationId: row.id,
    itemId: row.itemId,
    departmentId: row.departmentId,
    applicantUserId: row.applicantUserId,
    status: action,
  });
}

type AcceptOutcome =
  | { decision: "accept"; opinion?: string }
  | { decision: "reject"; opinion: string }
  | { decision: "correct"; opinion: string; items: { field?: string; material?: string; note: string }[] };

/** The window's outcome on a submitted application, from the API or from the inbox. */
async function applyAcceptance(
  ctx: Ctx,
  deps: ServicesDeps,
  row: ApplicationRow,
  outcome: AcceptOutcome,
  taskId: string,
) {
  const now = ctx.clock.now();
  const set = (values: Partial<typeof applications.$inferInsert>) =>
    ctx.tx
      .update(applications)
      .set({ ...values, updatedAt: now })
      .where(eq(applications.id, row.id));
  if (outcome.decision === "accept") {
    const instant = row.promisedDays === 0;
    await set({ status: "accepted", acceptedAt: now, acceptedBy: ctx.actor?.id ?? null });
    await addHistory(ctx, row.id, "accepted", outcome.opinion ?? "", taskId);
    await audited(ctx, row, "accepted");
    if (instant) {
      // 即办件: the window decides on the spot, completing the department's review step itself.
      const opinion = outcome.opinion || "即办件当场办结";
      const review = await openTask(ctx, deps.engine, row, "review");
      await completeOpenTask(ctx, deps.engine, row, review, { approved: true, opinion });
      await applyDecision(ctx, deps, row, { approved: true, opinion }, review.id);
    }
  } else if (outcome.decision === "reject") {
    await set({ status: "not-accepted", refusalReason: outcome.opinion, decidedAt: now, pausedSince: null });
    await clearDeadline(ctx.tx, DEADLINE_KIND, row.id);
    await scheduleEvaluationDefault(ctx, deps, row.id);
    await addHistory(ctx, row.id, "not-accepted", outcome.opinion, taskId);
    await audited(ctx, row, "not-accepted", { reason: outcome.opinion });
  } else {
    await set({
      status: "correction-requested",
      correction: { reason: outcome.opinion, items: outcome.items, at: now.toISOString() },
    });
    await pauseClock(ctx, row, "补正");
    await addHistory(ctx, row.id, "correction-requested", outcome.opinion, taskId);
    await audited(ctx, row, "correction-requested", { items: outcome.items.length });
  }
}

/** The columns a decision sets: the outcome, and the working days it took (pauses excluded). */
async function decided(
  ctx: Ctx,
  deps: ServicesDeps,
  row: ApplicationRow,
  approved: boolean,
  opinion: string,
) {
  const now = ctx.clock.now();
  const calendar = deps.calendar();
  const start = row.clockStartedAt ? shanghaiDate(new Date(row.clockStartedAt)) : shanghaiDate(now);
  await clearDeadline(ctx.tx, DEADLINE_KIND, row.id);
  await scheduleEvaluationDefault(ctx, deps, row.id);
  return {
    decision: { approved, opinion, at: now.toISOString(), by: ctx.actor?.displayName ?? "" },
    decidedAt: now,
    elapsedDays: Math.max(0, calendar.workingDaysBetween(start, shanghaiDate(now)) - row.pausedDays),
  };
}

/** No rating within the period counts as 基本满意 (GB/T 39734; Guangdong's seven days). */
async function scheduleEvaluationDefault(ctx: Ctx, deps: ServicesDeps, applicationId: string) {
  await scheduleJob(ctx.tx, ctx.clock, {
    kind: EVALUATION_DEFAULT_JOB,
    runAt: new Date(ctx.clock.now().getTime() + deps.evaluationDays * 86_400_000),
    dedupeKey: `services:evaluation-default:${applicationId}`,
    payload: { applicationId },
  });
}

async function clerkStep(ctx: Ctx, deps: ServicesDeps, id: string, outcome: AcceptOutcome) {
  const actor = actorOf(ctx);
  assertClerk(actor);
  const row = await getApplicationRow(ctx, id, true);
  assertStatus(row, "submitted");
  if (outcome.decision === "accept") assertListed(row);
  const task = await openTask(ctx, deps.engine, row, "accept");
  await completeOpenTask(ctx, deps.engine, row, task, {
    decision: outcome.decision,
    opinion: outcome.opinion ?? "",
    ...(outcome.decision === "correct" ? { corrections: outcome.items } : {}),
  });
  await applyAcceptance(ctx, deps, row, outcome, task.id);
  return (await findApplicationRow(ctx.tx, id))!;
}

/** 受理 */
export const acceptApplication = (ctx: Ctx, deps: ServicesDeps, id: string, opinion?: string) =>
  clerkStep(ctx, deps, id, { decision: "accept", opinion: opinion ?? "" });

/** 不予受理, with the reason the applicant is told. */
export const rejectApplication = (ctx: Ctx, deps: ServicesDeps, id: string, reason: string) =>
  clerkStep(ctx, deps, id, { decision: "reject", opinion: reason });

/** 补正: what to fix; the clock stands still until the applicant resubmits. */
export async function requestCorrection(
  ctx: Ctx,
  deps: ServicesDeps,
  id: string,
  input: {
    reason: string;
    items: { field?: string | undefined; material?: string | undefined; note: string }[];
  },
) {
  const row = await getApplicationRow(ctx, id);
  const item = (await findFrozenVersion(ctx.tx, row.itemId, row.itemVersion))!;
  const properties = Object.keys((item.spec.form as { properties: object }).properties);
  const materials = item.spec.materials.map((m) => m.code);
  const errors = input.items.flatMap((it, i) => [
    ...(it.field && !properties.includes(it.field)
      ? [{ field: `/body/items/${i}/field`, message: `${it.field} is not a field of the form` }]
      : []),
    ...(it.material && !materials.includes(it.material)
      ? [{ field: `/body/items/${i}/material`, message: `${it.material} is not a material of the item` }]
      : []),
  ]);
  if (errors.length > 0) throw new AppError(HttpErrors.VALIDATION_FAILED, { errors });
  const items = input.items.map((it) => ({
    ...(it.field ? { field: it.field } : {}),
    ...(it.material ? { material: it.material } : {}),
    note: it.note,
  }));
  return clerkStep(ctx, deps, id, { decision: "correct", opinion: input.reason, items });
}

/** 审查与决定 by the implementing department: approve or deny, with the opinion. */
export async function decideApplication(
  ctx: Ctx,
  deps: ServicesDeps,
  id: string,
  input: { approved: boolean; opinion: string },
) {
  const actor = actorOf(ctx);
  const row = await getApplicationRow(ctx, id, true);
  assertReviewer(actor, row);
  assertStatus(row, "accepted");
  assertListed(row);
  if ((await listSpecialStepRows(ctx.tx, id)).some((s) => !s.finishedAt))
    throw new AppError(ServicesErrors.SPECIAL_STEP_OPEN, {
      message: "Finish the special step before deciding",
    });
  const task = await openTask(ctx, deps.engine, row, "review");
  await completeOpenTask(ctx, deps.engine, row, task, { approved: input.approved, opinion: input.opinion });
  await applyDecision(ctx, deps, row, input, task.id);
  return (await findApplicationRow(ctx.tx, id))!;
}

async function applyDecision(
  ctx: Ctx,
  deps: ServicesDeps,
  row: ApplicationRow,
  input: { approved: boolean; opinion: string },
  taskId: string,
) {
  await ctx.tx
    .update(applications)
    .set({
      status: input.approved ? "approved" : "denied",
      updatedAt: ctx.clock.now(),
      ...(await decided(ctx, deps, row, input.approved, input.opinion)),
    })
    .where(eq(applications.id, row.id));
  await addHistory(ctx, row.id, input.approved ? "approved" : "denied", input.opinion, taskId);
  await audited(ctx, row, input.approved ? "approved" : "denied");
}

const STEP_NAMES: Record<string, string> = {
  "site-inspection": "现场核查",
  testing: "检验检测",
  "expert-review": "专家评审",
  hearing: "听证",
  "public-notice": "公示",
  quarantine: "检疫",
};

/** 特殊环节 (site inspection, testing, expert review, hearing …): the clock stands still. */
export async function startSpecialStep(ctx: Ctx, id: string, input: { kind: string; reason: string }) {
  const actor = actorOf(ctx);
  const row = await getApplicationRow(ctx, id, true);
  assertReviewer(actor, row);
  assertStatus(row, "accepted");
  if ((await listSpecialStepRows(ctx.tx, id)).some((s) => !s.finishedAt))
    throw new AppError(ServicesErrors.SPECIAL_STEP_OPEN);
  const item = (await findFrozenVersion(ctx.tx, row.itemId, row.itemVersion))!;
  const declared = item.spec.specialSteps.find((s) => s.kind === input.kind);
  const name = declared?.name ?? STEP_NAMES[input.kind] ?? input.kind;
  const stepId = newId(ctx.clock.now().getTime());
  await ctx.tx.insert(specialSteps).values({
    id: stepId,
    applicationId: id,
    kind: input.kind,
    name,
    reason: input.reason,
    startedBy: actor.id,
    startedAt: ctx.clock.now(),
  });
  await pauseClock(ctx, row, name);
  await addHistory(ctx, id, "special-step-started", `${name}：${input.reason}`);
  await audited(ctx, row, "special-step-started", { kind: input.kind });
  return (await findApplicationRow(ctx.tx, id))!;
}

export async function finishSpecialStep(
  ctx: Ctx,
  deps: ServicesDeps,
  id: string,
  stepId: string,
  result: string,
) {
  const actor = actorOf(ctx);
  const row = await getApplicationRow(ctx, id, true);
  assertReviewer(actor, row);
  const step = (await listSpecialStepRows(ctx.tx, id)).find((s) => s.id === stepId);
  if (!step) throw new AppError(ServicesErrors.SPECIAL_STEP_NOT_FOUND);
  if (step.finishedAt)
    throw new AppError(ServicesErrors.APPLICATION_WRONG_STATE, { message: "The step is finished already" });
  await ctx.tx
    .update(specialSteps)
    .set({ finishedAt: ctx.clock.now(), finishedBy: actor.id, result })
    .where(eq(specialSteps.id, stepId));
  await resumeClock(ctx, deps, row);
  await addHistory(ctx, id, "special-step-finished", `${step.name}：${result}`);
  await audited(ctx, row, "special-step-finished", { kind: step.kind });
  return (await findApplicationRow(ctx.tx, id))!;
}

/** 送达: the result (licence, decision) reaches the applicant online, at the window or by courier. */
export async function deliverResult(
  ctx: Ctx,
  deps: ServicesDeps,
  id: string,
  input: { method: "online" | "window" | "courier"; note?: string | undefined },
) {
  const actor = actorOf(ctx);
  assertClerk(actor);
  const row = await getApplicationRow(ctx, id, true);
  assertStatus(row, "approved", "denied");
  const task = await openTask(ctx, deps.engine, row, "deliver");
  await completeOpenTask(ctx, deps.engine, row, task, { method: input.method, note: input.note ?? "" });
  await applyDelivery(ctx, row, input, task.id);
  return (await findApplicationRow(ctx.tx, id))!;
}

async function applyDelivery(
  ctx: Ctx,
  row: ApplicationRow,
  input: { method: string; note?: string | undefined },
  taskId: string,
) {
  const now = ctx.clock.now();
  await ctx.tx
    .update(applications)
    .set({
      status: "delivered",
      deliveredAt: now,
      updatedAt: now,
      delivery: {
        method: input.method,
        note: input.note ?? "",
        at: now.toISOString(),
        by: ctx.actor?.displayName ?? "",
      },
      // Collecting the result at the window is one more visit (到现场).
      visits: row.visits + (input.method === "window" ? 1 : 0),
    })
    .where(eq(applications.id, row.id));
  await addHistory(ctx, row.id, "delivered", input.note ?? "", taskId);
  await audited(ctx, row, "delivered", { method: input.method });
}

/**
 * A task of an application's process completed somewhere other than this module's use cases (the
 * generic inbox, the mobile app): the same step is applied, once (the history keeps the task id).
 */
export async function applyTask(
  ctx: Ctx,
  deps: ServicesDeps,
  event: {
    taskId: string;
    elementId: string;
    businessKey: string | null;
    variables: Record<string, unknown>;
  },
) {
  if (!event.businessKey) return;
  const row = await findApplicationRow(ctx.tx, event.businessKey, true);
  if (!row) return;
  const v = event.variables;
  const opinion = String(v.opinion ?? v.note ?? "");
  // The history's unique task id tells whether the step was applied already.
  const [seen] = await rawQuery(ctx.tx, "select 1 from services.application_history where task_id = $1", [
    event.taskId,
  ]);
  if (seen) return;
  if (event.elementId === "accept" && row.status === "submitted") {
    const decision = String(v.decision);
    await applyAcceptance(
      ctx,
      deps,
      row,
      decision === "reject"
        ? { decision: "reject", opinion }
        : decision === "correct"
          ? {
              decision: "correct",
              opinion,
              items: Array.isArray(v.corrections) ? (v.corrections as never[]) : [],
            }
          : { decision: "accept", opinion },
      event.taskId,
    );
  } else if (event.elementId === "review" && row.status === "accepted") {
    await applyDecision(ctx, deps, row, { approved: v.approved === true, opinion }, event.taskId);
  } else if (event.elementId === "deliver" && (row.status === "approved" || row.status === "denied")) {
    await applyDelivery(ctx, row, { method: String(v.method ?? "online"), note: opinion }, event.taskId);
  } else if (event.elementId === "correct" && row.status === "correction-requested") {
    await resumeClock(ctx, deps, row);
    await ctx.tx
      .update(applications)
      .set({ status: "submitted", correction: null, updatedAt: ctx.clock.now() })
      .where(eq(applications.id, row.id));
    await addHistory(ctx, row.id, "resubmitted", opinion, event.taskId);
  }
}

/** The desk: what waits for the actor's window or department. */
export async function listDeskApplications(
  ctx: Ctx,
  input: {
    box: "accept" | "review" | "deliver" | "all";
    q?: string | undefined;
    level?: "yellow" | "red" | undefined;
    page: number;
    pageSize: number;
  },
) {
  const actor = actorOf(ctx);
  const clerk = actor.roles.includes("clerk");
  const district = actor.roles.includes("admin") || actor.roles.includes("databureau");
  const paging = {
    limit: input.pageSize,
    offset: (input.page - 1) * input.pageSize,
    q: input.q,
    level: input.level,
  };
  const ownDepartment = district ? {} : { departmentPathOf: actor.departmentPath ?? "-" };
  switch (input.box) {
    case "accept":
      if (!clerk) return { rows: [], total: 0 };
      return listApplicationRows(ctx.tx, { statuses: ["submitted"], ...paging });
    case "deliver":
      if (!clerk) return { rows: [], total: 0 };
      return listApplicationRows(ctx.tx, { statuses: ["approved", "denied"], ...paging });
    case "review":
      return listApplicationRows(ctx.tx, { statuses: ["accepted"], ...ownDepartment, ...paging });
    default: {
      const statuses = APPLICATION_STATUSES.filter((s) => s !== "draft");
      return listApplicationRows(ctx.tx, { statuses, ...(clerk ? {} : ownDepartment), ...paging });
    }
  }
}
