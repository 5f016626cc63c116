import { eq } from "drizzle-orm";
import { appendAudit } from "../../../kernel/audit/audit";
import { shanghaiDate } from "../../../kernel/calendar/calendar";
import { newId } from "../../../kernel/db/ids";
import { publishEvent } from "../../../kernel/events/events";
import type { Ctx } from "../../../kernel/http/context";
import { AppError, type FieldError, HttpErrors } from "../../../kernel/http/errors";
import { cancelJob, scheduleJob } from "../../../kernel/jobs/jobs";
import { actorGroups, completeTask, type WorkflowEngine } from "../../../workflow";
import { getResourceRow } from "../catalog/catalog.service";
import { DatahubErrors } from "../errors";
import { actorOf, isDataBureau, unitOfActor } from "../org";
import { grants, sharingRequests } from "../schema";
import {
  findGrantRow,
  findRequestRow,
  type GrantRow,
  listGrantRows,
  listRequestRows,
  type RequestRow,
} from "./sharing.queries";

export const GRANT_EXPIRY_JOB = "datahub.grant.expire";

export interface SharingSettings {
  checkDays: number;
  providerDays: number;
  disputeDays: number;
  rateLimitPerMinute: number;
}

export interface CreateRequestInput {
  resourceId: string;
  fields: string[];
  clearFields?: string[] | undefined;
  purposeCode: string;
  purpose: string;
  legalBasis: string;
  periodFrom: string;
  periodTo: string;
  expectedDailyVolume: number;
}

/** Midnight China time at the start of a date, and the end of a date (exclusive). */
const startOfDay = (date: string) => new Date(`${date}T00:00:00+08:00`);
const endOfDay = (date: string) => new Date(startOfDay(date).getTime() + 86_400_000);

/**
 * A consumer department asks for fields of a resource for a purpose (共享申请). 无条件共享 resources are
 * granted at once; 有条件 ones go through the data-sharing-request process; 不予共享 cannot be asked for.
 */
export async function createSharingRequest(
  ctx: Ctx,
  engine: WorkflowEngine,
  settings: SharingSettings,
  input: CreateRequestInput,
): Promise<RequestRow> {
  const actor = actorOf(ctx);
  const consumer = await unitOfActor(ctx);
  const resource = await getResourceRow(ctx, input.resourceId);
  if (resource.status !== "published") throw new AppError(DatahubErrors.RESOURCE_WITHDRAWN);
  if (resource.sharingType === "none")
    throw new AppError(DatahubErrors.RESOURCE_NOT_SHAREABLE, {
      message: `${resource.name} 不予共享: ${resource.sharingBasis ?? ""}`.trim(),
    });
  if (resource.providerDepartmentId === consumer.id) throw new AppError(DatahubErrors.OWN_RESOURCE);
  const items = new Map(resource.items.map((i) => [i.name, i]));
  const errors: FieldError[] = [];
  input.fields.forEach((f, i) => {
    if (!items.has(f))
      errors.push({ field: `/body/fields/${i}`, message: `${f} is not an item of the resource` });
  });
  (input.clearFields ?? []).forEach((f, i) => {
    const item = items.get(f);
    if (!input.fields.includes(f))
      errors.push({ field: `/body/clearFields/${i}`, message: "a clear field must be among the fields" });
    else if (item?.grade === "core")
      errors.push({ field: `/body/clearFields/${i}`, message: "核心数据 is never shared in clear" });
  });
  if (input.periodTo < input.periodFrom)
    errors.push({ field: "/body/periodTo", message: "the period ends before it begins" });
  const today = shanghaiDate(ctx.clock.now());
  if (input.periodTo < today) errors.push({ field: "/body/periodTo", message: "the period is over already" });
  if (errors.length > 0) throw new AppError(HttpErrors.VALIDATION_FAILED, { errors });

  const now = ctx.clock.now();
  const id = newId(now.getTime());
  const conditional = resource.sharingType === "conditional";
  await ctx.tx.insert(sharingRequests).values({
    id,
    resourceId: resource.id,
    consumerDepartmentId: consumer.id,
    requesterId: actor.id,
    fields: input.fields,
    clearFields: input.clearFields ?? [],
    purposeCode: input.purposeCode,
    purpose: input.purpose,
    legalBasis: input.legalBasis,
    periodFrom: input.periodFrom,
    periodTo: input.periodTo,
    expectedDailyVolume: input.expectedDailyVolume,
    status: conditional ? "checking" : "granted",
    createdAt: now,
  });
  await appendAudit(ctx.tx, ctx, {
    action: "datahub.request.submitted",
    resourceType: "sharing-request",
    resourceId: id,
    details: { resource: resource.code, fields: input.fields, purpose: input.purposeCode },
  });
  if (conditional) {
    const instance = await engine.start(ctx, "data-sharing-request", {
      businessKey: id,
      variables: {
        requestId: id,
        title: `数据共享申请：${consumer.name}申请${resource.name}`,
        checkGroups: ["databureau"],
        reviewGroups: [
          `dataofficer@${resource.providerDepartmentCode}`,
          `leader@${resource.providerDepartmentCode}`,
        ],
        appealGroups: [`dataofficer@${consumer.code}`, `leader@${consumer.code}`],
        appealUsers: [actor.username],
        arbitrateGroups: ["databureau"],
        checkDays: settings.checkDays,
        providerDays: settings.providerDays,
        disputeDays: settings.disputeDays,
      },
    });
    await ctx.tx.update(sharingRequests).set({ instanceId: instance.id }).where(eq(sharingRequests.id, id));
  } else {
    await provisionGrant(ctx, (await findRequestRow(ctx.tx, id))!, settings.rateLimitPerMinute);
  }
  return (await findRequestRow(ctx.tx, id))!;
}

/** Provisions the gateway grant of an approved request, and schedules its expiry. */
export async function provisionGrant(
  ctx: Ctx,
  request: RequestRow,
  rateLimitPerMinute: number,
): Promise<string> {
  const now = ctx.clock.now();
  const grantId = newId(now.getTime());
  const expiresAt = endOfDay(request.periodTo);
  const validFrom = startOfDay(request.periodFrom);
  await ctx.tx.insert(grants).values({
    id: grantId,
    requestId: request.id,
    resourceId: request.resourceId,
    consumerDepartmentId: request.consumerDepartmentId,
    fields: request.fields,
    clearFields: request.clearFields,
    purposeCode: request.purposeCode,
    purpose: request.purpose,
    validFrom,
    expiresAt,
    rateLimitPerMinute,
    status: "active",
    createdAt: now,
  });
  await ctx.tx
    .update(sharingRequests)
    .set({ status: "granted", grantId, decidedAt: now })
    .where(eq(sharingRequests.id, request.id));
  await scheduleJob(ctx.tx, ctx.clock, {
    kind: GRANT_EXPIRY_JOB,
    runAt: expiresAt,
    dedupeKey: `datahub:grant-expiry:${grantId}`,
    payload: { grantId },
  });
  await appendAudit(ctx.tx, ctx, {
    action: "datahub.grant.provisioned",
    resourceType: "grant",
    resourceId: grantId,
    details: {
      requestId: request.id,
      resource: request.resourceCode,
      consumer: request.consumerDepartmentCode,
      fields: request.fields,
      purpose: request.purposeCode,
      expiresAt: expiresAt.toISOString(),
    },
  });
  await publishEvent(ctx.tx, "datahub.grant.provisioned", {
    grantId,
    requestId: request.id,
    resourceId: request.resourceId,
    consumerDepartmentId: request.consumerDepartmentId,
    providerDepartmentId: request.providerDepartmentId,
  });
  return grantId;
}

/** The expiry job: the gateway already refuses an expired grant; this records it. */
export async function expireGrant(ctx: Ctx, grantId: string): Promise<void> {
  const grant = await findGrantRow(ctx.tx, grantId, ctx.clock.now(), true);
  if (!grant || grant.status === "revoked") return;
  await ctx.tx.update(grants).set({ status: "expired" }).where(eq(grants.id, grantId));
  await appendAudit(ctx.tx, ctx, {
    action: "datahub.grant.expired",
    resourceType: "grant",
    resourceId: grantId,
  });
  await publishEvent(ctx.tx, "datahub.grant.expired", { grantId, resourceId: grant.resourceId });
}

export async function revokeGrant(ctx: Ctx, grantId: string, reason: string): Promise<GrantRow> {
  const actor = actorOf(ctx);
  const now = ctx.clock.now();
  const grant = await findGrantRow(ctx.tx, grantId, now, true);
  if (!grant) throw new AppError(DatahubErrors.GRANT_NOT_FOUND);
  const provider = !!actor.departmentPath?.startsWith(grant.providerDepartmentPath);
  if (
    !isDataBureau(actor) &&
    !(provider && (actor.roles.includes("dataofficer") || actor.roles.includes("leader")))
  )
    throw new AppError(DatahubErrors.NOT_PROVIDER);
  if (grant.status !== "active") throw new AppError(DatahubErrors.GRANT_NOT_ACTIVE);
  await ctx.tx
    .update(grants)
    .set({ status: "revoked", revokedReason: reason, revokedAt: now })
    .where(eq(grants.id, grantId));
  await cancelJob(ctx.tx, `datahub:grant-expiry:${grantId}`);
  await appendAudit(ctx.tx, ctx, {
    action: "datahub.grant.revoked",
    resourceType: "grant",
    resourceId: grantId,
    details: { reason },
  });
  await publishEvent(ctx.tx, "datahub.grant.revoked", { grantId, resourceId: grant.resourceId });
  return (await findGrantRow(ctx.tx, grantId, now))!;
}

/** What a service task of the process does, by its element. */
export async function requestStep(
  ctx: Ctx,
  engine: WorkflowEngine,
  settings: SharingSettings,
  request: RequestRow,
  elementId: string,
  instanceId: string,
): Promise<void> {
  const now = ctx.clock.now();
  const set = (values: Partial<typeof sharingRequests.$inferInsert>) =>
    ctx.tx.update(sharingRequests).set(values).where(eq(sharingRequests.id, request.id));
  const decision = async (element: string) => engine.lastCompletion(ctx.tx, instanceId, element);
  switch (elementId) {
    case "recordCheck": {
      const check = await decision("check");
      if (check?.outcome?.approved) await set({ status: "provider-review" });
      return;
    }
    case "recordReview":
      return;
    case "refuse": {
      const by = (await decision("review")) ?? (await decision("check"));
      const reason = String(by?.outcome?.opinion ?? "");
      await set({
        status: "refused",
        refusal: { by: by?.name ?? "", reason, at: now.toISOString() },
        decidedAt: now,
      });
      await appendAudit(ctx.tx, ctx, {
        action: "datahub.request.refused",
        resourceType: "sharing-request",
        resourceId: request.id,
        details: { reason },
      });
      await publishEvent(ctx.tx, "datahub.request.refused", {
        requestId: request.id,
        consumerDepartmentId: request.consumerDepartmentId,
      });
      return;
    }
    case "recordDispute": {
      const appeal = await decision("appeal");
      await set({
        status: "disputed",
        dispute: { reason: String(appeal?.outcome?.disputeReason ?? ""), at: now.toISOString() },
      });
      return;
    }
    case "closeRefused":
      if (request.status !== "refused") await set({ status: "refused" });
      return;
    case "grant": {
      if (request.grantId) return; // a retried step: the grant exists
      const review = await decision("review");
      const rate = Number(review?.outcome?.rateLimitPerMinute ?? 0) || settings.rateLimitPerMinute;
      await provisionGrant(ctx, request, rate);
      return;
    }
    default:
      throw new Error(`data-sharing-request has no step ${elementId}`);
  }
}

/** A review that ran past its deadline: flagged, and the supervising leaders are told (督办). */
export async function escalateRequest(ctx: Ctx, request: RequestRow, elementId: string): Promise<void> {
  await ctx.tx.update(sharingRequests).set({ escalated: true }).where(eq(sharingRequests.id, request.id));
  const step = elementId === "escalateCheck" ? "check" : "review";
  await appendAudit(ctx.tx, ctx, {
    action: "datahub.request.escalated",
    resourceType: "sharing-request",
    resourceId: request.id,
    details: { step },
  });
  await publishEvent(ctx.tx, "datahub.request.escalated", {
    requestId: request.id,
    step,
    departmentId: step === "check" ? null : request.providerDepartmentId,
    title: `${request.consumerDepartmentName}申请${request.resourceName}`,
  });
}

function mayRead(ctx: Ctx, request: RequestRow): boolean {
  const actor = actorOf(ctx);
  if (isDataBureau(actor)) return true;
  const path = actor.departmentPath ?? "";
  return path.startsWith(request.consumerDepartmentPath) || path.startsWith(request.providerDepartmentPath);
}

export async function getRequestRow(ctx: Ctx, id: string, lock = false): Promise<RequestRow> {
  const row = await findRequestRow(ctx.tx, id, lock);
  if (!row || !mayRead(ctx, row)) throw new AppError(DatahubErrors.REQUEST_NOT_FOUND);
  return row;
}

export async function requestView(ctx: Ctx, engine: WorkflowEngine, row: RequestRow, detail: boolean) {
  let openTaskId: string | null = null;
  let dueAt: string | null = null;
  const history: { at: string; step: string; actor: string; outcome: string; comment: string }[] = [
    {
      at: row.createdAt,
      step: "提出申请",
      actor: row.requesterName,
      outcome: "submitted",
      comment: row.purpose,
    },
  ];
  if (row.instanceId && !["granted", "withdrawn"].includes(row.status)) {
    const actor = actorOf(ctx);
    const tasks = await engine.openTasks(ctx.tx, row.instanceId);
    const groups = await actorGroups(ctx.tx, actor);
    const mine = tasks.find(
      (t) =>
        t.assignee === actor.username ||
        (!t.assignee &&
          (t.candidateUsers.includes(actor.username) || t.candidateGroups.some((g) => groups.includes(g)))),
    );
    openTaskId = mine?.id ?? null;
    dueAt = tasks[0]?.dueAt ?? null;
  }
  if (detail && row.instanceId) {
    const steps: [string, string][] = [
      ["check", "合规审核"],
      ["review", "提供方审核"],
      ["appeal", "驳回异议"],
      ["arbitrate", "异议协调"],
    ];
    for (const [element, name] of steps) {
      const done = await engine.lastCompletion(ctx.tx, row.instanceId, element);
      if (!done) continue;
      const outcome = done.outcome ?? {};
      history.push({
        at: done.completedAt,
        step: name,
        actor: done.name ?? "",
        outcome:
          element === "appeal"
            ? outcome.dispute
              ? "disputed"
              : "accepted"
            : outcome.approved
              ? "approved"
              : "refused",
        comment: String(outcome.opinion ?? outcome.disputeReason ?? ""),
      });
    }
  }
  if (row.status === "granted" && row.decidedAt)
    history.push({ at: row.decidedAt, step: "授权", actor: "", outcome: "granted", comment: "" });
  history.sort((a, b) => a.at.localeCompare(b.at));
  const { providerDepartmentPath: _p, consumerDepartmentPath: _c, ...rest } = row;
  return { ...rest, openTaskId, dueAt, history };
}

export async function listSharingRequests(
  ctx: Ctx,
  input: { box: "mine" | "review" | "all"; status?: string | undefined; limit: number },
): Promise<RequestRow[]> {
  const actor = actorOf(ctx);
  if (input.box === "all") {
    if (!isDataBureau(actor))
      throw new AppError(HttpErrors.FORBIDDEN, { message: "Only the data bureau sees every request" });
    return listRequestRows(ctx.tx, { status: input.status, limit: input.limit });
  }
  const unit = await unitOfActor(ctx);
  if (input.box === "mine")
    return listRequestRows(ctx.tx, { consumerId: unit.id, status: input.status, limit: input.limit });
  // Awaiting review: the data bureau checks every request; a provider reviews those on its resources.
  const rows = isDataBureau(actor)
    ? await listRequestRows(ctx.tx, { status: input.status ?? "checking", limit: input.limit })
    : await listRequestRows(ctx.tx, { providerId: unit.id, status: input.status, limit: input.limit });
  return rows;
}

/** The consumer disputes a refusal (异议): the data bureau then decides. */
export async function disputeSharingRequest(
  ctx: Ctx,
  engine: WorkflowEngine,
  id: string,
  reason: string,
): Promise<RequestRow> {
  const request = await getRequestRow(ctx, id);
  const unit = await unitOfActor(ctx);
  if (request.status !== "refused" || request.consumerDepartmentId !== unit.id || !request.instanceId)
    throw new AppError(DatahubErrors.REQUEST_NOT_DISPUTABLE);
  const appeal = (await engine.openTasks(ctx.tx, request.instanceId)).find((t) => t.elementId === "appeal");
  if (!appeal)
    throw new AppError(DatahubErrors.REQUEST_NOT_DISPUTABLE, { message: "The time to dispute is over" });
  await completeTask(ctx, engine, appeal.id, { dispute: true, disputeReason: reason });
  return (await findRequestRow(ctx.tx, id))!;
}

export async function withdrawSharingRequest(
  ctx: Ctx,
  engine: WorkflowEngine,
  id: string,
): Promise<RequestRow> {
  const actor = actorOf(ctx);
  const request = await getRequestRow(ctx, id, true);
  if (request.requesterId !== actor.id && !isDataBureau(actor)) throw new AppError(HttpErrors.FORBIDDEN);
  if (!["checking", "provider-review"].includes(request.status))
    throw new AppError(DatahubErrors.REQUEST_CLOSED);
  if (request.instanceId) {
    await engine.withInstance(ctx, request.instanceId, {}, (step) => {
      if (step.instance.state === "active") step.cancel("申请人撤回");
    });
  }
  await ctx.tx
    .update(sharingRequests)
    .set({ status: "withdrawn", decidedAt: ctx.clock.now() })
    .where(eq(sharingRequests.id, id));
  await appendAudit(ctx.tx, ctx, {
    action: "datahub.request.withdrawn",
    resourceType: "sharing-request",
    resourceId: id,
  });
  return (await findRequestRow(ctx.tx, id))!;
}

export async function listGrants(
  ctx: Ctx,
  input: {
    box: "consumer" | "provider" | "all";
    status?: string | undefined;
    resourceId?: string | undefined;
    limit: number;
  },
): Promise<GrantRow[]> {
  const actor = actorOf(ctx);
  const now = ctx.clock.now();
  if (input.box === "all") {
    if (!isDataBureau(actor))
      throw new AppError(HttpErrors.FORBIDDEN, { message: "Only the data bureau sees every grant" });
    return listGrantRows(ctx.tx, now, {
      status: input.status,
      resourceId: input.resourceId,
      limit: input.limit,
    });
  }
  const unit = await unitOfActor(ctx);
  return listGrantRows(ctx.tx, now, {
    ...(input.box === "consumer" ? { consumerId: unit.id } : { providerId: unit.id }),
    status: input.status,
    resourceId: input.resourceId,
    limit: input.limit,
  });
}
