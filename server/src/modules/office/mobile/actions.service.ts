import type { Actor } from "../../../kernel/access/actor";
import { type AuditOutcome, appendAudit } from "../../../kernel/audit/audit";
import type { Ctx } from "../../../kernel/http/context";
import { AppError, type FieldError, HttpErrors, problemFor } from "../../../kernel/http/errors";
import { loadActors } from "../../../kernel/identity/actors";
import { claimTask, completeTask, type WorkflowEngine } from "../../../workflow";
import { markNoticeRead } from "../notices/notices.service";
import { findLinkedStaff } from "./accounts.queries";
import { findAction, insertAction, lockActionId } from "./actions.queries";
import { MobileErrors } from "./errors";

/** Actions taken in 粤政易 (app → platform), applied exactly once as the linked staff member. */

export const ACTION_TYPES = ["complete_task", "claim_task", "read_notice"] as const;
export type ActionType = (typeof ACTION_TYPES)[number];
export const ACTIONS_PATH = "/api/office/mobile/actions";

export interface ActionInput {
  actionId: string;
  openId: string;
  type: ActionType;
  taskId?: string;
  noticeId?: string;
  variables?: Record<string, unknown>;
  comment?: string;
}

/** What the endpoint answers: the first outcome of an action id, every time it is asked. */
export interface ActionOutcome {
  status: number;
  body: Record<string, unknown>;
  replayed: boolean;
}

/** The fields each type needs, checked before anything is looked up. */
export function checkActionFields(input: ActionInput): void {
  const errors: FieldError[] = [];
  const needsTask = input.type === "complete_task" || input.type === "claim_task";
  if (needsTask && !input.taskId)
    errors.push({ field: "/body/taskId", message: `is required for ${input.type}` });
  if (!needsTask && !input.noticeId)
    errors.push({ field: "/body/noticeId", message: `is required for ${input.type}` });
  if (input.variables && input.type !== "complete_task")
    errors.push({ field: "/body/variables", message: "only complete_task takes variables" });
  if (errors.length > 0) throw new AppError(HttpErrors.VALIDATION_FAILED, { errors });
}

/**
 * Applies an action whose signature was verified. In one transaction: the action id is taken (a
 * repeat waits for and replays the first outcome), the effect runs as the linked user through the
 * inbox's own use cases (so their checks and audit records apply), and the outcome is stored with
 * it. A refused action stores its problem document as its outcome and leaves a "denied" audit
 * record; its effect is rolled back to a savepoint, so nothing else changes.
 */
export async function applyAction(
  ctx: Ctx,
  engine: WorkflowEngine,
  input: ActionInput,
  requestHash: string,
): Promise<ActionOutcome> {
  await lockActionId(ctx.tx, input.actionId);
  const earlier = await findAction(ctx.tx, input.actionId);
  if (earlier) {
    if (earlier.requestHash === requestHash) {
      const body = typeof earlier.response === "string" ? JSON.parse(earlier.response) : earlier.response;
      return { status: earlier.statusCode, body, replayed: true };
    }
    const refused = new AppError(MobileErrors.MOBILE_ACTION_ID_REUSED, {
      errors: [{ field: "/body/actionId", message: "was used for a different action" }],
    });
    await auditRefusal(ctx, null, input, refused);
    return { status: refused.status, body: problem(ctx, refused), replayed: false };
  }
  // The linked account acts with its own roles and department, as its session would (kernel/identity).
  const linked = await findLinkedStaff(ctx.tx, input.openId);
  const actor = linked
    ? ((await loadActors(ctx.tx, { ids: [linked.userId] })).get(linked.userId) ?? null)
    : null;
  let outcome: { status: number; body: Record<string, unknown> };
  try {
    if (!actor) throw new AppError(MobileErrors.MOBILE_ACCOUNT_NOT_LINKED);
    if (linked?.mustChangePassword) throw new AppError(HttpErrors.PASSWORD_CHANGE_REQUIRED);
    const result = await ctx.tx.transaction((savepoint) =>
      runEffect({ ...ctx, tx: savepoint, actor }, engine, input),
    );
    outcome = {
      status: 200,
      body: { actionId: input.actionId, type: input.type, outcome: "applied", ...result },
    };
    await appendAudit(
      ctx.tx,
      { ...ctx, actor },
      {
        action: "office.mobile.action.applied",
        resourceType: input.taskId ? "task" : "notice",
        resourceId: input.taskId ?? input.noticeId ?? null,
        details: {
          actionId: input.actionId,
          type: input.type,
          channel: "yuezhengyi",
          comment: input.comment ?? null,
        },
      },
    );
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    outcome = { status: e.status, body: problem(ctx, e) };
    await auditRefusal(ctx, actor, input, e);
  }
  await insertAction(ctx.tx, {
    actionId: input.actionId,
    openId: input.openId,
    userId: actor?.id ?? null,
    type: input.type,
    subjectId: input.taskId ?? input.noticeId ?? null,
    comment: input.comment ?? null,
    requestHash,
    statusCode: outcome.status,
    response: outcome.body,
    receivedAt: ctx.clock.now().toISOString(),
  });
  return { ...outcome, replayed: false };
}

async function runEffect(ctx: Ctx, engine: WorkflowEngine, input: ActionInput) {
  if (input.type === "read_notice") {
    const notice = await markNoticeRead(ctx, input.noticeId!);
    return { notice: { id: notice.id, readAt: notice.readAt } };
  }
  const task =
    input.type === "claim_task"
      ? await claimTask(ctx, engine, input.taskId!)
      : await completeTask(ctx, engine, input.taskId!, input.variables ?? {});
  return {
    task: { id: task.id, name: task.name, state: task.state, assignee: task.assignee?.username ?? null },
  };
}

function problem(ctx: Ctx, error: AppError): Record<string, unknown> {
  return problemFor(error, ACTIONS_PATH, ctx.requestId) as Record<string, unknown>;
}

/** Refusals for who-you-are reasons are "denied"; the rest (wrong state, bad variables) "failure". */
function auditOutcome(error: AppError): AuditOutcome {
  const denied =
    [401, 403, 404].includes(error.status) || error.code === MobileErrors.MOBILE_ACTION_ID_REUSED;
  return denied ? "denied" : "failure";
}

async function auditRefusal(
  ctx: Ctx,
  actor: Actor | null,
  input: ActionInput,
  error: AppError,
): Promise<void> {
  await appendAudit(
    ctx.tx,
    { ...ctx, actor },
    {
      action: "office.mobile.action.refused",
      resourceType: input.taskId ? "task" : "notice",
      resourceId: input.taskId ?? input.noticeId ?? null,
      outcome: auditOutcome(error),
      details: { actionId: input.actionId, type: input.type, reason: error.code, channel: "yuezhengyi" },
    },
  );
}

/** A request refused before its body could be trusted (signature, timestamp, app id). */
export async function auditUnsignedRequest(ctx: Ctx, reason: string): Promise<void> {
  await appendAudit(ctx.tx, ctx, {
    action: "office.mobile.action.refused",
    resourceType: "mobile-action",
    outcome: "denied",
    details: { reason, channel: "yuezhengyi" },
  });
}
