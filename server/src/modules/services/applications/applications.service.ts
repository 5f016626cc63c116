import { randomInt } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Actor } from "../../../kernel/access/actor";
import { appendAudit } from "../../../kernel/audit/audit";
import type { WorkingDayCalendar } from "../../../kernel/calendar/calendar";
import { shanghaiDate } from "../../../kernel/calendar/calendar";
import { rawQuery } from "../../../kernel/db/db";
import { newId } from "../../../kernel/db/ids";
import { clearDeadline, scheduleDeadline } from "../../../kernel/deadlines/deadlines";
import { publishEvent } from "../../../kernel/events/events";
import { actorOf, type Ctx } from "../../../kernel/http/context";
import { AppError, type FieldError, HttpErrors } from "../../../kernel/http/errors";
import type { WorkflowEngine } from "../../../workflow";
import { prefill } from "../../datahub";
import { type FrozenVersion, findFrozenVersion, findItemVersion } from "../catalog/catalog.queries";
import { getItemVersion } from "../catalog/catalog.service";
import { formErrors, prefillBindings, propertyAccepts } from "../catalog/forms";
import { ServicesErrors } from "../errors";
import { applicationHistory, applications, type PrefilledField } from "../schema";
import {
  type ApplicationRow,
  findApplicationDetails,
  findApplicationRow,
  listApplicationRows,
  listMaterialRows,
} from "./applications.queries";
import { clockView, deadlineOf } from "./clock";

export const DEADLINE_KIND = "services.application";
export type Channel = "web" | "mobile" | "kiosk" | "window";

/** What the use cases of this feature need from the platform besides the ctx. */
export interface ServicesDeps {
  engine: WorkflowEngine;
  calendar: () => WorkingDayCalendar;
  acceptDays: number;
  evaluationDays: number;
  rectificationDays: number;
  maxMaterialBytes: number;
  divisionCode: string;
}

export { actorOf };

const isApplicantKind = (actor: Actor) => actor.kind === "citizen" || actor.kind === "enterprise";
const DISTRICT_ROLES = ["admin", "databureau"] as const;

/** The applicant's side: the account that made it, or the citizen or enterprise it is about. */
export function isOwner(actor: Actor, row: ApplicationRow): boolean {
  return (
    row.applicantUserId === actor.id ||
    (!!actor.citizenId && row.citizenId === actor.citizenId) ||
    (!!actor.enterpriseId && row.enterpriseId === actor.enterpriseId)
  );
}

/** Staff of the implementing department (or above it), who review and decide. */
export function isHandlingStaff(actor: Actor, row: ApplicationRow): boolean {
  if (actor.kind !== "staff") return false;
  if (actor.roles.some((r) => (DISTRICT_ROLES as readonly string[]).includes(r))) return true;
  return !!actor.departmentPath?.startsWith(row.departmentPath);
}

/** May read: the applicant's side, any window clerk (综合窗口), the handling department, the district. */
export function mayRead(actor: Actor, row: ApplicationRow): boolean {
  return isOwner(actor, row) || actor.roles.includes("clerk") || isHandlingStaff(actor, row);
}

/** The application, if the actor may read it (staff reads are audited as personal-data reads). */
export async function getApplicationRow(ctx: Ctx, id: string, lock = false): Promise<ApplicationRow> {
  const actor = actorOf(ctx);
  const row = await findApplicationRow(ctx.tx, id, lock);
  if (!row || !mayRead(actor, row)) throw new AppError(ServicesErrors.APPLICATION_NOT_FOUND);
  return row;
}

export async function addHistory(
  ctx: Ctx,
  applicationId: string,
  action: string,
  reason = "",
  taskId: string | null = null,
): Promise<boolean> {
  const inserted = await ctx.tx
    .insert(applicationHistory)
    .values({
      id: newId(ctx.clock.now().getTime()),
      applicationId,
      at: ctx.clock.now(),
      action,
      actorId: ctx.actor?.id ?? null,
      actorName: ctx.actor?.displayName ?? "系统",
      reason,
      taskId,
    })
    .onConflictDoNothing()
    .returning({ id: applicationHistory.id });
  return inserted.length > 0;
}

interface Subject {
  kind: "person" | "legal";
  key: string;
  name: string;
  citizenId: string | null;
  enterpriseId: string | null;
}

const PERSON_ID = /^\d{17}[\dX]$/;

/** Whom the application is about: the signed-in citizen or enterprise, or the walk-in a clerk serves. */
async function subjectOf(ctx: Ctx, actor: Actor, given: string | undefined): Promise<Subject> {
  if (actor.kind === "citizen" && actor.citizenId) {
    const [c] = await rawQuery<{ key: string; name: string }>(
      ctx.tx,
      "select id_number as key, name from identity.citizens where id = $1",
      [actor.citizenId],
    );
    if (c)
      return { kind: "person", key: c.key, name: c.name, citizenId: actor.citizenId, enterpriseId: null };
  }
  if (actor.kind === "enterprise" && actor.enterpriseId) {
    const [e] = await rawQuery<{ key: string; name: string }>(
      ctx.tx,
      "select uscc as key, name from identity.enterprises where id = $1",
      [actor.enterpriseId],
    );
    if (e)
      return { kind: "legal", key: e.key, name: e.name, citizenId: null, enterpriseId: actor.enterpriseId };
  }
  if (actor.kind === "staff" && given) {
    const key = given.trim().toUpperCase();
    if (PERSON_ID.test(key)) {
      const [c] = await rawQuery<{ id: string; name: string }>(
        ctx.tx,
        "select id, name from identity.citizens where upper(id_number) = $1",
        [key],
      );
      if (c) return { kind: "person", key, name: c.name, citizenId: c.id, enterpriseId: null };
    } else {
      const [e] = await rawQuery<{ id: string; name: string }>(
        ctx.tx,
        "select id, name from identity.enterprises where uscc = $1",
        [key],
      );
      if (e) return { kind: "legal", key, name: e.name, citizenId: null, enterpriseId: e.id };
    }
    throw new AppError(ServicesErrors.SUBJECT_NOT_FOUND, {
      errors: [{ field: "/body/subject", message: "没有找到该身份证号或统一社会信用代码" }],
    });
  }
  throw new AppError(HttpErrors.FORBIDDEN, {
    message: "Citizens and enterprises apply for themselves; a window clerk applies for a named walk-in",
  });
}

/**
 * The form's pre-filled values for a subject, by form property, from the master data (人口库/法人库)
 * through the registry's prefill (which records the consent receipt and the audit entry). A subject
 * the base does not know yet gets nothing pre-filled rather than an error.
 */
export async function prefillFor(
  ctx: Ctx,
  item: FrozenVersion,
  subject: { kind: "person" | "legal"; key: string },
) {
  const bindings = prefillBindings(item.spec.form);
  const values: Record<string, unknown> = {};
  const sources: Record<string, PrefilledField> = {};
  const readOnly: string[] = [];
  if (bindings.size === 0 || item.applicantTypes.length !== 1) return { values, sources, readOnly };
  const fields = [...new Set([...bindings.values()].map((b) => b.field))];
  let supplied: Record<string, { value: unknown; departmentName: string | null; at: string | null }>;
  try {
    ({ values: supplied } = await prefill(ctx, subject.kind === "person" ? "population" : "legalPerson", {
      subject: subject.key,
      fields,
      purpose: `一网通办：${item.name}`,
    }));
  } catch (e) {
    if (e instanceof AppError && e.code === "GOLDEN_NOT_FOUND") return { values, sources, readOnly };
    throw e;
  }
  const properties = (item.spec.form as { properties: Record<string, { type?: string }> }).properties;
  for (const [property, { field, correctable }] of bindings) {
    const got = supplied[field];
    if (!got || got.value === null || got.value === undefined || got.value === "") continue;
    const type = properties[property]?.type;
    const value =
      type === "number" || type === "integer"
        ? Number(got.value)
        : type === "string"
          ? String(got.value)
          : got.value;
    // A value the form would refuse (an old phone format, a too long address) is left for the applicant.
    if (!propertyAccepts(`${item.id}:${item.version}`, item.spec.form, property, value)) continue;
    values[property] = value;
    sources[property] = { field, value, departmentName: got.departmentName ?? "", at: got.at };
    if (!correctable) readOnly.push(property);
  }
  return { values, sources, readOnly };
}

/** Applies the pre-filled values: read-only ones win over what was sent; changed correctable ones are marked. */
function withPrefilled(
  item: FrozenVersion,
  data: Record<string, unknown>,
  prefilled: Record<string, PrefilledField>,
) {
  const bindings = prefillBindings(item.spec.form);
  const out = { ...data };
  const marked: Record<string, PrefilledField> = {};
  for (const [property, source] of Object.entries(prefilled)) {
    const correctable = bindings.get(property)?.correctable ?? false;
    if (!correctable || !(property in out)) out[property] = source.value;
    marked[property] = { ...source, changed: correctable && out[property] !== source.value };
  }
  return { data: out, prefilled: marked };
}

/** 办件编号: division code, date, and a six-digit serial. */
async function nextReceiptNo(ctx: Ctx, division: string): Promise<string> {
  const [row] = await rawQuery<{ n: string }>(
    ctx.tx,
    "select nextval('services.receipt_seq')::text as n",
    [],
  );
  const date = shanghaiDate(ctx.clock.now()).replaceAll("-", "");
  return `${division}${date}${String(Number(row!.n) % 1_000_000).padStart(6, "0")}`;
}

const TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const trackingCode = () =>
  Array.from({ length: 8 }, () => TRACKING_ALPHABET[randomInt(TRACKING_ALPHABET.length)]).join("");

export interface CreateApplicationInput {
  serviceId: string;
  data: Record<string, unknown>;
  channel?: Channel | undefined;
  subject?: string | undefined;
}

/** A draft application (the form can be saved unfinished); the pre-filled values are applied. */
export async function createApplication(
  ctx: Ctx,
  deps: ServicesDeps,
  input: CreateApplicationInput,
): Promise<ApplicationRow> {
  const actor = actorOf(ctx);
  const item = await getItemVersion(ctx, input.serviceId);
  if (item.status !== "published") throw new AppError(ServicesErrors.SERVICE_NOT_PUBLISHED);
  const onBehalf = actor.kind === "staff";
  if (onBehalf && !actor.roles.includes("clerk")) throw new AppError(HttpErrors.FORBIDDEN);
  if (!onBehalf && input.subject) {
    throw new AppError(HttpErrors.VALIDATION_FAILED, {
      errors: [{ field: "/body/subject", message: "只有窗口人员可以代他人申请" }],
    });
  }
  if (onBehalf && !input.subject)
    throw new AppError(HttpErrors.VALIDATION_FAILED, {
      errors: [{ field: "/body/subject", message: "请填写申请人的身份证号或统一社会信用代码" }],
    });
  const subject = await subjectOf(ctx, actor, input.subject);
  if (!item.applicantTypes.includes(subject.kind)) throw new AppError(ServicesErrors.WRONG_APPLICANT_TYPE);
  const filled = await prefillFor(ctx, item, subject);
  const { data, prefilled } = withPrefilled(item, input.data, filled.sources);
  const now = ctx.clock.now();
  const id = newId(now.getTime());
  const channel: Channel = onBehalf ? "window" : (input.channel ?? "web");
  await ctx.tx.insert(applications).values({
    id,
    receiptNo: await nextReceiptNo(ctx, deps.divisionCode),
    trackingCode: trackingCode(),
    itemId: item.id,
    itemVersion: item.version,
    departmentId: item.departmentId,
    applicantUserId: actor.id,
    subjectKind: subject.kind,
    subjectKey: subject.key,
    subjectName: subject.name,
    citizenId: subject.citizenId,
    enterpriseId: subject.enterpriseId,
    onBehalf,
    channel,
    data,
    prefilled,
    status: "draft",
    promisedDays: item.promisedDays,
    statutoryDays: item.statutoryDays,
    visits: channel === "window" || channel === "kiosk" ? 1 : 0,
    createdAt: now,
    updatedAt: now,
  });
  await addHistory(ctx, id, "created");
  await appendAudit(ctx.tx, ctx, {
    action: "services.application.created",
    resourceType: "application",
    resourceId: id,
    details: { item: item.code, version: item.version, channel, onBehalf },
  });
  return (await findApplicationRow(ctx.tx, id))!;
}

/** Who may change and submit: the applicant's side, or the clerk who made it for a walk-in. */
function assertMayEdit(actor: Actor, row: ApplicationRow) {
  const mine = isOwner(actor, row) && (isApplicantKind(actor) || row.applicantUserId === actor.id);
  if (!mine)
    throw new AppError(HttpErrors.FORBIDDEN, { message: "Only the applicant changes the application" });
}

export async function updateApplication(
  ctx: Ctx,
  id: string,
  data: Record<string, unknown>,
): Promise<ApplicationRow> {
  const actor = actorOf(ctx);
  const row = await getApplicationRow(ctx, id, true);
  assertMayEdit(actor, row);
  if (row.status !== "draft" && row.status !== "correction-requested")
    throw new AppError(ServicesErrors.APPLICATION_NOT_EDITABLE);
  const item = (await findFrozenVersion(ctx.tx, row.itemId, row.itemVersion))!;
  const merged = withPrefilled(item, data, row.prefilled);
  await ctx.tx
    .update(applications)
    .set({ data: merged.data, prefilled: merged.prefilled, updatedAt: ctx.clock.now() })
    .where(eq(applications.id, id));
  await appendAudit(ctx.tx, ctx, {
    action: "services.application.updated",
    resourceType: "application",
    resourceId: id,
    details: { fields: Object.keys(data) },
  });
  return (await findApplicationRow(ctx.tx, id))!;
}

/** Mandatory materials not supplied, each as a field error the form can show. */
async function missingMaterials(ctx: Ctx, row: ApplicationRow, item: FrozenVersion): Promise<FieldError[]> {
  const have = new Set((await listMaterialRows(ctx.tx, row.id)).map((m) => m.code));
  return item.spec.materials
    .filter((m) => m.mandatory && !m.sharedData && !have.has(m.code))
    .map((m) => ({ field: `/materials/${m.code}`, message: `请提交${m.name}` }));
}

/**
 * Submits the application (or resubmits it after a correction request): the form is validated with
 * its version's schema, the mandatory materials must be there, the process starts (or goes back to
 * the window) and the clock starts (or runs again).
 */
export async function submitApplication(ctx: Ctx, deps: ServicesDeps, id: string): Promise<ApplicationRow> {
  const actor = actorOf(ctx);
  const row = await getApplicationRow(ctx, id, true);
  assertMayEdit(actor, row);
  if (row.status !== "draft" && row.status !== "correction-requested")
    throw new AppError(ServicesErrors.APPLICATION_WRONG_STATE, {
      message: row.status === "submitted" ? "The application is submitted already" : undefined,
    });
  if (!row.itemPublished) throw new AppError(ServicesErrors.SERVICE_NOT_PUBLISHED);
  const item = (await findFrozenVersion(ctx.tx, row.itemId, row.itemVersion))!;
  const errors = formErrors(`${item.id}:${item.version}`, item.spec.form, row.data, "/data");
  if (errors.length > 0) throw new AppError(HttpErrors.VALIDATION_FAILED, { errors });
  const missing = await missingMaterials(ctx, row, item);
  if (missing.length > 0) throw new AppError(ServicesErrors.MATERIALS_MISSING, { errors: missing });

  const now = ctx.clock.now();
  const counts = fieldCounts(row);
  if (row.status === "draft") {
    const { dueAt, warnAt } = deadlineOf(deps.calendar(), now, row.promisedDays, 0);
    const instance = await deps.engine.start(ctx, "service-application", {
      businessKey: id,
      variables: {
        applicationId: id,
        title: `${item.name}（${row.subjectName}）`,
        acceptGroups: ["clerk"],
        reviewGroups: [`approver@${row.departmentCode}`, `leader@${row.departmentCode}`],
        applicantUsers: [row.applicantUsername],
        acceptDays: deps.acceptDays,
        reviewDays: Math.max(1, row.promisedDays),
      },
    });
    await ctx.tx
      .update(applications)
      .set({
        status: "submitted",
        instanceId: instance.id,
        submittedAt: now,
        clockStartedAt: now,
        dueAt,
        warnAt,
        updatedAt: now,
        ...counts,
      })
      .where(eq(applications.id, id));
    await scheduleDeadline(ctx.tx, ctx.clock, {
      kind: DEADLINE_KIND,
      subjectId: id,
      dueAt,
      remindAt: warnAt,
    });
    await addHistory(ctx, id, "submitted");
  } else {
    const task = await openTask(ctx, deps.engine, row, "correct");
    await completeOpenTask(ctx, deps.engine, row, task, { note: "已补正" });
    await resumeClock(ctx, deps, row);
    await ctx.tx
      .update(applications)
      .set({ status: "submitted", correction: null, updatedAt: now, ...counts })
      .where(eq(applications.id, id));
    await addHistory(ctx, id, "resubmitted", "", task.id);
  }
  await appendAudit(ctx.tx, ctx, {
    action: "services.application.submitted",
    resourceType: "application",
    resourceId: id,
    details: { item: row.itemCode, version: row.itemVersion, resubmitted: row.status !== "draft" },
  });
  await publishEvent(ctx.tx, "services.application.submitted", {
    applicationId: id,
    itemId: row.itemId,
    departmentId: row.departmentId,
  });
  return (await findApplicationRow(ctx.tx, id))!;
}

/** 四少一快: how many fields the master data filled (and stayed as supplied) and how many were typed. */
function fieldCounts(row: ApplicationRow) {
  const prefilled = Object.values(row.prefilled).filter((p) => !p.changed).length;
  const typed = Object.entries(row.data).filter(
    ([k, v]) =>
      !(k in row.prefilled && !row.prefilled[k]!.changed) && v !== undefined && v !== null && v !== "",
  ).length;
  return { fieldsPrefilled: prefilled, fieldsTyped: typed };
}

/** The open task of the application's process at an element; none is a wrong-state conflict. */
export async function openTask(ctx: Ctx, engine: WorkflowEngine, row: ApplicationRow, elementId: string) {
  const tasks = row.instanceId ? await engine.openTasks(ctx.tx, row.instanceId) : [];
  const task = tasks.find((t) => t.elementId === elementId);
  if (!task) throw new AppError(ServicesErrors.APPLICATION_WRONG_STATE);
  return task;
}

/** Completes a task of the application's process for the module's use case (which checked the actor). */
export async function completeOpenTask(
  ctx: Ctx,
  engine: WorkflowEngine,
  row: ApplicationRow,
  task: { id: string },
  variables: Record<string, unknown>,
) {
  await engine.withInstance(
    ctx,
    row.instanceId!,
    {
      taskId: task.id,
      audit: () => [
        {
          action: "workflow.task.completed",
          resourceType: "task",
          resourceId: task.id,
          details: { variables: Object.keys(variables) },
        },
      ],
    },
    async (step, t) => {
      if (t?.state !== "open") throw new AppError(ServicesErrors.APPLICATION_WRONG_STATE);
      await engine.completeTask(ctx, t, step, variables);
    },
  );
}

/** Stops the clock (a correction request, a special step). */
export async function pauseClock(ctx: Ctx, row: ApplicationRow, reason: string) {
  if (row.pausedSince) return;
  await ctx.tx
    .update(applications)
    .set({ pausedSince: ctx.clock.now(), pauseReason: reason })
    .where(eq(applications.id, row.id));
  await clearDeadline(ctx.tx, DEADLINE_KIND, row.id);
}

/** Runs the clock again: the working days it stood still extend the deadline. */
export async function resumeClock(ctx: Ctx, deps: ServicesDeps, row: ApplicationRow) {
  if (!row.pausedSince || !row.clockStartedAt) return;
  const calendar = deps.calendar();
  const now = ctx.clock.now();
  const since = new Date(row.pausedSince);
  const added = Math.max(0, calendar.workingDaysBetween(shanghaiDate(since), shanghaiDate(now)));
  const pausedDays = row.pausedDays + added;
  const { dueAt, warnAt } = deadlineOf(calendar, new Date(row.clockStartedAt), row.promisedDays, pausedDays);
  await ctx.tx
    .update(applications)
    .set({ pausedSince: null, pauseReason: null, pausedDays, dueAt, warnAt })
    .where(eq(applications.id, row.id));
  await scheduleDeadline(ctx.tx, ctx.clock, {
    kind: DEADLINE_KIND,
    subjectId: row.id,
    dueAt,
    remindAt: warnAt,
  });
}

export async function withdrawApplication(
  ctx: Ctx,
  engine: WorkflowEngine,
  id: string,
  reason: string,
): Promise<ApplicationRow> {
  const actor = actorOf(ctx);
  const row = await getApplicationRow(ctx, id, true);
  assertMayEdit(actor, row);
  if (!["draft", "submitted", "correction-requested", "accepted"].includes(row.status))
    throw new AppError(ServicesErrors.APPLICATION_WRONG_STATE, {
      message: "A decided application cannot be withdrawn",
    });
  if (row.instanceId)
    await engine.withInstance(ctx, row.instanceId, {}, (step) => {
      if (step.instance.state === "active") step.cancel("申请人撤回");
    });
  await ctx.tx
    .update(applications)
    .set({ status: "withdrawn", updatedAt: ctx.clock.now(), pausedSince: null })
    .where(eq(applications.id, id));
  await clearDeadline(ctx.tx, DEADLINE_KIND, id);
  await addHistory(ctx, id, "withdrawn", reason);
  await appendAudit(ctx.tx, ctx, {
    action: "services.application.withdrawn",
    resourceType: "application",
    resourceId: id,
    details: { reason },
  });
  return (await findApplicationRow(ctx.tx, id))!;
}

export async function listMyApplications(
  ctx: Ctx,
  input: { status?: string | undefined; page: number; pageSize: number },
) {
  const actor = actorOf(ctx);
  return listApplicationRows(ctx.tx, {
    mine: { userId: actor.id, citizenId: actor.citizenId, enterpriseId: actor.enterpriseId },
    statuses: input.status ? [input.status] : undefined,
    limit: input.pageSize,
    offset: (input.page - 1) * input.pageSize,
  });
}

const iso = (s: string | null) => (s ? new Date(s).toISOString() : null);
const maskKey = (key: string) =>
  key.length > 8 ? `${key.slice(0, 4)}${"*".repeat(key.length - 8)}${key.slice(-4)}` : key;

/** What the actor may do now, for the page to offer. */
export function actionsFor(actor: Actor, row: ApplicationRow, openSpecialStep: boolean): string[] {
  const actions: string[] = [];
  const owner = isOwner(actor, row) && (isApplicantKind(actor) || row.applicantUserId === actor.id);
  const decided = ["approved", "denied", "delivered", "not-accepted"].includes(row.status);
  if (owner) {
    if (row.status === "draft" || row.status === "correction-requested") actions.push("update", "submit");
    if (["draft", "submitted", "correction-requested", "accepted"].includes(row.status))
      actions.push("withdraw");
    if (decided && row.rating === null && isApplicantKind(actor)) actions.push("rate");
  }
  if (actor.roles.includes("clerk")) {
    if (row.status === "submitted" && row.itemPublished)
      actions.push("accept", "reject", "request-correction");
    if (row.status === "approved" || row.status === "denied") actions.push("deliver");
  }
  const reviewer =
    isHandlingStaff(actor, row) && (actor.roles.includes("approver") || actor.roles.includes("leader"));
  if (reviewer && row.status === "accepted" && row.itemPublished) {
    if (openSpecialStep) actions.push("finish-special-step");
    else actions.push("decide", "start-special-step");
  }
  return actions;
}

export function applicationSummary(deps: ServicesDeps, actor: Actor, row: ApplicationRow, now: Date) {
  const clock = clockView(deps.calendar(), row, now);
  return {
    id: row.id,
    receiptNo: row.receiptNo,
    serviceId: row.itemId,
    serviceCode: row.itemCode,
    serviceName: row.itemName,
    serviceVersion: row.itemVersion,
    department: { code: row.departmentCode, name: row.departmentName },
    applicant: { kind: row.subjectKind, name: row.subjectName, idMasked: maskKey(row.subjectKey) },
    onBehalf: row.onBehalf,
    channel: row.channel,
    status: row.status,
    deadline: clock && {
      ...clock,
      statutoryDays: row.statutoryDays,
      pauseReason: row.pauseReason,
    },
    evaluation:
      row.rating === null ? null : { rating: row.rating, at: iso(row.ratedAt), default: !!row.ratingDefault },
    trackingCode: isOwner(actor, row) || actor.kind === "staff" ? row.trackingCode : null,
    createdAt: iso(row.createdAt)!,
    submittedAt: iso(row.submittedAt),
    acceptedAt: iso(row.acceptedAt),
    decidedAt: iso(row.decidedAt),
    deliveredAt: iso(row.deliveredAt),
  };
}

/** The whole application as its page shows it, with what the actor may do next. */
export async function applicationView(ctx: Ctx, deps: ServicesDeps, row: ApplicationRow) {
  const actor = actorOf(ctx);
  const item = (await findFrozenVersion(ctx.tx, row.itemId, row.itemVersion))!;
  const { materials, history, steps } = await findApplicationDetails(ctx.tx, row.id);
  const openStep = steps.some((s) => !s.finishedAt);
  const names = new Map(item.spec.materials.map((m) => [m.code, m.name]));
  const bindings = prefillBindings(item.spec.form);
  return {
    ...applicationSummary(deps, actor, row, ctx.clock.now()),
    data: row.data,
    prefilled: Object.fromEntries(Object.entries(row.prefilled).map(([p, s]) => [p, s.departmentName])),
    readOnly: Object.keys(row.prefilled).filter((p) => !bindings.get(p)?.correctable),
    materials: materials.map((m) => ({
      id: m.id,
      code: m.code,
      name: names.get(m.code) ?? m.code,
      fileName: m.fileName,
      mime: m.mime,
      size: m.size,
      sha256: m.sha256,
      scanStatus: m.scanStatus,
      uploadedAt: iso(m.uploadedAt)!,
    })),
    requiredMaterials: item.spec.materials.map((m) => ({
      code: m.code,
      name: m.name,
      mandatory: m.mandatory && !m.sharedData,
      sharedData: !!m.sharedData,
      uploaded: materials.some((x) => x.code === m.code),
    })),
    correction: row.correction,
    decision: row.decision,
    refusalReason: row.refusalReason,
    delivery: row.delivery,
    specialSteps: steps.map((s) => ({ ...s, startedAt: iso(s.startedAt)!, finishedAt: iso(s.finishedAt) })),
    history: history.map((h) => ({ at: iso(h.at)!, action: h.action, actor: h.actorName, reason: h.reason })),
    actions: actionsFor(actor, row, openStep),
  };
}

/** Reading an application: staff reads of someone else's data are audited. */
export async function readApplication(ctx: Ctx, deps: ServicesDeps, id: string) {
  const actor = actorOf(ctx);
  const row = await getApplicationRow(ctx, id);
  if (!isOwner(actor, row))
    await appendAudit(ctx.tx, ctx, {
      action: "read",
      resourceType: "application",
      resourceId: id,
      details: { subject: maskKey(row.subjectKey) },
    });
  return applicationView(ctx, deps, row);
}

/**
 * The service's form for the renderer: the published version, or a given version that was published
 * once (an application sent back for correction is edited with the form it was made under).
 */
export async function serviceForm(ctx: Ctx, serviceId: string, version?: number) {
  const item = version
    ? await findItemVersion(ctx.tx, serviceId, version)
    : await getItemVersion(ctx, serviceId);
  if (!item || (item.status === "draft" && ctx.actor?.kind !== "staff"))
    throw new AppError(ServicesErrors.SERVICE_NOT_FOUND);
  if (!version && item.status !== "published" && ctx.actor?.kind !== "staff")
    throw new AppError(ServicesErrors.SERVICE_NOT_PUBLISHED);
  return { version: item.version, schema: item.spec.form, uiSchema: item.spec.uiSchema };
}

/** The pre-filled values a form would get, for the applicant (or the clerk serving a walk-in). */
export async function prefillServiceForm(ctx: Ctx, serviceId: string, subjectKey: string | undefined) {
  const actor = actorOf(ctx);
  const item = await getItemVersion(ctx, serviceId);
  if (actor.kind === "staff" && !actor.roles.includes("clerk")) throw new AppError(HttpErrors.FORBIDDEN);
  const subject = await subjectOf(ctx, actor, subjectKey);
  if (!item.applicantTypes.includes(subject.kind)) throw new AppError(ServicesErrors.WRONG_APPLICANT_TYPE);
  const filled = await prefillFor(ctx, item, subject);
  return {
    values: filled.values,
    sources: Object.fromEntries(
      Object.entries(filled.sources).map(([p, s]) => [p, { departmentName: s.departmentName, at: s.at }]),
    ),
    readOnly: filled.readOnly,
    subject: { kind: subject.kind, name: subject.name, idMasked: maskKey(subject.key) },
  };
}

/**
 * What the receipt's QR code shows to whoever holds it: the item, the status and the dates, no
 * personal data. The tracking code printed beside the receipt number is the key.
 */
export async function trackApplication(ctx: Ctx, receiptNo: string, code: string) {
  const [row] = await rawQuery<{ id: string; trackingCode: string }>(
    ctx.tx,
    `select id, tracking_code as "trackingCode" from services.applications where receipt_no = $1`,
    [receiptNo],
  );
  if (!row || row.trackingCode !== code.toUpperCase()) throw new AppError(ServicesErrors.TRACKING_NOT_FOUND);
  const app = (await findApplicationRow(ctx.tx, row.id))!;
  return {
    receiptNo: app.receiptNo,
    serviceName: app.itemName,
    department: app.departmentName,
    status: app.status,
    submittedAt: iso(app.submittedAt),
    acceptedAt: iso(app.acceptedAt),
    decidedAt: iso(app.decidedAt),
    deliveredAt: iso(app.deliveredAt),
    dueAt: iso(app.dueAt),
  };
}
