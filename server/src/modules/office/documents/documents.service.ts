import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { type Actor, departmentInScope, hasAnyRole, scopeOf } from "../../../kernel/access/actor";
import type { Role } from "../../../kernel/access/roles";
import { appendAudit } from "../../../kernel/audit/audit";
import { shanghaiDate } from "../../../kernel/calendar/calendar";
import type { Db } from "../../../kernel/db/db";
import { newId, UUID_PATTERN } from "../../../kernel/db/ids";
import type { Ctx } from "../../../kernel/http/context";
import { AppError, type FieldError, HttpErrors } from "../../../kernel/http/errors";
import { actorGroups, isInvolved, type WorkflowEngine } from "../../../workflow";
import { OfficeErrors } from "../errors";
import { distributions, documentFiles, documentRevisions, documents, sealKeepers } from "../schema";
import { type DiffOp, diffText } from "./diff";
import {
  activeStaffUsernames,
  type DepartmentInfo,
  type DocumentRow,
  distributionRows,
  documentCounts,
  fileRows,
  findDepartmentInfo,
  findDepartments,
  findDocumentRow,
  findFile,
  governmentName,
  recordRead,
  revisionRows,
  sealKeeperUsernames,
  searchDocumentRows,
  staffInSubtree,
  takeNumberSequence,
} from "./documents.queries";
import { type Classification, type DocType, formatDocumentNumber, type Urgency } from "./elements";

/** Roles that work with official documents. */
export const DOCUMENT_ROLES = [
  "clerk",
  "approver",
  "officer",
  "leader",
  "admin",
  "databureau",
  "dataofficer",
  "dispatcher",
] as const satisfies readonly Role[];
/** Roles that may number and distribute the documents of their own department. */
const ISSUING_ROLES: readonly Role[] = ["officer", "approver", "leader", "admin"];

/** The elements a drafter writes (the rest the flow fills in: number, signer, seal, dates). */
export interface DocumentElements {
  title: string;
  docType: DocType;
  body: string;
  urgency: Urgency;
  classification: Classification;
  secrecyPeriod: string | null;
  copyNo: string | null;
  organMark: string;
  mainRecipients: string[];
  attachmentNotes: string[];
  signatureOrg: string;
  writtenDate: string | null;
  note: string | null;
  ccRecipients: string[];
  printingOrg: string | null;
  printingDate: string | null;
  recipients: { departmentId: string; role: "main" | "cc" }[];
  countersignDepartmentIds: string[];
}

export type CreateDocumentInput = Pick<DocumentElements, "title" | "docType" | "body"> &
  Partial<Omit<DocumentElements, "title" | "docType" | "body">>;
export type UpdateDocumentInput = Partial<DocumentElements> & { revision?: number; comment?: string };

const EDITABLE_FIELDS = [
  "title",
  "docType",
  "body",
  "urgency",
  "classification",
  "secrecyPeriod",
  "copyNo",
  "organMark",
  "mainRecipients",
  "attachmentNotes",
  "signatureOrg",
  "writtenDate",
  "note",
  "ccRecipients",
  "printingOrg",
  "printingDate",
  "recipients",
  "countersignDepartmentIds",
] as const satisfies readonly (keyof DocumentElements)[];

/** Steps of the 发文 process at which the holder of the open task may edit the text (track changes). */
const EDITING_STEPS = new Set(["review", "revise"]);

function staffOf(ctx: Ctx): Actor & { departmentId: string; departmentPath: string } {
  const actor = ctx.actor;
  if (!actor) throw new AppError(HttpErrors.UNAUTHENTICATED);
  if (actor.kind !== "staff" || !actor.departmentId || !actor.departmentPath)
    throw new AppError(OfficeErrors.NOT_STAFF_OF_A_DEPARTMENT);
  return actor as Actor & { departmentId: string; departmentPath: string };
}

const nowIso = (ctx: Ctx) => ctx.clock.now().toISOString();

async function validateDepartments(
  tx: Db,
  recipients: { departmentId: string }[] | undefined,
  countersign: string[] | undefined,
): Promise<void> {
  const errors: FieldError[] = [];
  const ids = [...new Set([...(recipients ?? []).map((r) => r.departmentId), ...(countersign ?? [])])];
  const known = new Set((await findDepartments(tx, ids)).map((d) => d.id));
  (recipients ?? []).forEach((r, i) => {
    if (!known.has(r.departmentId))
      errors.push({ field: `/body/recipients/${i}/departmentId`, message: "no such department" });
  });
  (countersign ?? []).forEach((id, i) => {
    if (!known.has(id))
      errors.push({ field: `/body/countersignDepartmentIds/${i}`, message: "no such department" });
  });
  if (errors.length > 0) throw new AppError(HttpErrors.VALIDATION_FAILED, { errors });
}

/**
 * The issuing organ's 机关代字 and full name. Short names of district bodies get the district in
 * front, as the 发文机关标志 spells them: 区政府办公室 → 云溪区人民政府办公室, 区民政局 → 云溪区民政局.
 */
async function organOf(
  tx: Db,
  department: DepartmentInfo,
): Promise<{ organCode: string; organName: string }> {
  let organName = department.organName;
  if (organName.startsWith("区")) {
    const government = (await governmentName(tx)) ?? "";
    const district = /^(.+?区)/.exec(government)?.[1];
    if (organName.startsWith("区政府") && government) organName = `${government}${organName.slice(3)}`;
    else if (district) organName = `${district}${organName.slice(1)}`;
  }
  return { organCode: department.orgPrefix ?? department.name.slice(0, 4), organName };
}

export async function createDocument(ctx: Ctx, input: CreateDocumentInput) {
  const actor = staffOf(ctx);
  await validateDepartments(ctx.tx, input.recipients, input.countersignDepartmentIds);
  const department = (await findDepartmentInfo(ctx.tx, actor.departmentId))!;
  const { organCode, organName } = await organOf(ctx.tx, department);
  const id = newId();
  const at = nowIso(ctx);
  await ctx.tx.insert(documents).values({
    id,
    direction: "outgoing",
    docType: input.docType,
    status: "draft",
    departmentId: actor.departmentId,
    copyNo: input.copyNo ?? null,
    classification: input.classification ?? "none",
    secrecyPeriod: input.secrecyPeriod ?? null,
    urgency: input.urgency ?? "normal",
    organMark: input.organMark ?? `${organName}文件`,
    organCode,
    title: input.title,
    mainRecipients: input.mainRecipients ?? [],
    body: input.body,
    attachmentNotes: input.attachmentNotes ?? [],
    signatureOrg: input.signatureOrg ?? organName,
    writtenDate: input.writtenDate ?? null,
    note: input.note ?? null,
    ccRecipients: input.ccRecipients ?? [],
    printingOrg: input.printingOrg ?? null,
    printingDate: input.printingDate ?? null,
    recipients: input.recipients ?? [],
    countersignDepartmentIds: input.countersignDepartmentIds ?? [],
    createdBy: actor.id,
    createdAt: new Date(at),
    updatedAt: new Date(at),
  });
  await ctx.tx.insert(documentRevisions).values({
    documentId: id,
    revision: 1,
    changedBy: actor.id,
    changedByName: actor.displayName,
    changedAt: new Date(at),
    changes: {},
    bodyDiff: [{ op: "insert", text: input.body }],
    comment: "拟稿",
  });
  await appendAudit(ctx.tx, ctx, {
    action: "office.document.created",
    resourceType: "document",
    resourceId: id,
    details: { docType: input.docType },
  });
  return (await findDocumentRow(ctx.tx, id))!;
}

/** Whether the actor may see a document: its department (by the role's scope), countersigners, admins. */
async function visibleDocument(
  ctx: Ctx,
  id: string,
  lock = false,
): Promise<{ row: DocumentRow; actor: Actor }> {
  const actor = ctx.actor;
  if (!actor) throw new AppError(HttpErrors.UNAUTHENTICATED);
  const row = await findDocumentRow(ctx.tx, id, lock);
  if (!row) throw new AppError(OfficeErrors.DOCUMENT_NOT_FOUND);
  // Whoever a step of its process is (or was) offered to reads it too: a reviewer from elsewhere.
  const involved = async () =>
    row.instanceId !== null && isInvolved(ctx.tx, row.instanceId, actor, await actorGroups(ctx.tx, actor));
  if (!mayRead(actor, row) && !(await involved())) throw new AppError(OfficeErrors.DOCUMENT_NOT_FOUND);
  return { row, actor };
}

function mayRead(actor: Actor, row: DocumentRow): boolean {
  if (departmentInScope(actor, scopeOf(actor), row.departmentPath)) return true;
  // Staff of the issuing (or receiving) organ, its sections included.
  if (actor.departmentPath?.startsWith(row.organPath)) return true;
  if (actor.departmentId && row.countersignDepartmentIds.includes(actor.departmentId)) return true;
  return (
    actor.departmentPath !== null &&
    row.departmentPath.startsWith(actor.departmentPath) &&
    actor.roles.includes("leader")
  );
}

/** The open steps of the document's process, and which of them the actor can act on. */
type OpenStep = { taskId: string; elementId: string; name: string; mine: boolean };

async function openSteps(
  ctx: Ctx,
  engine: WorkflowEngine,
  row: DocumentRow,
  actor: Actor,
): Promise<OpenStep[]> {
  if (!row.instanceId) return [];
  const tasks = await engine.openTasks(ctx.tx, row.instanceId);
  if (tasks.length === 0) return [];
  const groups = await actorGroups(ctx.tx, actor);
  return tasks.map((t) => ({
    taskId: t.id,
    elementId: t.elementId,
    name: t.name,
    mine: t.assignee
      ? t.assignee === actor.username
      : t.candidateUsers.includes(actor.username) || t.candidateGroups.some((g) => groups.includes(g)),
  }));
}

/** The drafter before 送审; afterwards whoever holds the open 核稿 or 修改 step. */
function editableBy(row: DocumentRow, actor: Actor, steps: OpenStep[]): boolean {
  if (row.direction !== "outgoing") return false;
  if (row.status === "draft" && !row.instanceId) return row.createdBy === actor.id;
  return steps.some((s) => s.mine && EDITING_STEPS.has(s.elementId));
}

async function mayEdit(ctx: Ctx, engine: WorkflowEngine, row: DocumentRow, actor: Actor): Promise<boolean> {
  return editableBy(row, actor, await openSteps(ctx, engine, row, actor));
}

const mayIssue = (actor: Actor, row: DocumentRow) =>
  row.direction === "outgoing" &&
  (actor.roles.includes("admin") ||
    (hasAnyRole(actor, ISSUING_ROLES) &&
      actor.departmentPath !== null &&
      row.departmentPath.startsWith(actor.departmentPath)));

export async function getDocument(ctx: Ctx, engine: WorkflowEngine, id: string) {
  const { row, actor } = await visibleDocument(ctx, id);
  if (await recordRead(ctx.tx, id, actor.id, nowIso(ctx))) {
    await appendAudit(ctx.tx, ctx, {
      action: "office.document.read",
      resourceType: "document",
      resourceId: id,
    });
  }
  return documentView(ctx, engine, row, actor);
}

async function documentView(ctx: Ctx, engine: WorkflowEngine, row: DocumentRow, actor: Actor) {
  const steps = await openSteps(ctx, engine, row, actor);
  const {
    departmentPath: _path,
    departmentCode: _code,
    organPath: _op,
    organDeptCode: _oc,
    createdBy,
    createdByName,
    ...rest
  } = row;
  return {
    ...rest,
    createdBy: { id: createdBy, name: createdByName },
    steps,
    files: (await fileRows(ctx.tx, row.sourceDocumentId ?? row.id)).map((f) => ({
      ...f,
      url: `/api/office/documents/${row.id}/files/${f.id}`,
    })),
    distribution: row.direction === "outgoing" ? await distributionRows(ctx.tx, row.id) : [],
    permissions: {
      edit: editableBy(row, actor, steps),
      submit:
        row.direction === "outgoing" &&
        row.status === "draft" &&
        !row.instanceId &&
        row.createdBy === actor.id,
      // 编号 follows 签发; a document outside the 发文 process (registered afterwards) may be numbered any time.
      number:
        mayIssue(actor, row) &&
        row.number === null &&
        row.status !== "withdrawn" &&
        (row.instanceId === null || row.signedOffAt !== null),
      distribute: mayIssue(actor, row) && row.number !== null,
    },
  };
}

export type DocumentView = Awaited<ReturnType<typeof documentView>>;

/** The department paths whose documents the actor lists: its own unit and its issuing organ (null: all). */
async function listPaths(ctx: Ctx, actor: Actor): Promise<string[] | null> {
  if (scopeOf(actor) === "district") return null;
  const organ = actor.departmentId ? await findDepartmentInfo(ctx.tx, actor.departmentId) : null;
  return [actor.departmentPath, organ?.organPath].filter((p): p is string => !!p);
}

export async function listDocuments(
  ctx: Ctx,
  filter: {
    direction?: "outgoing" | "incoming";
    status?: string;
    q?: string;
    unread?: boolean;
    page: number;
    pageSize: number;
  },
) {
  const actor = ctx.actor;
  if (!actor) throw new AppError(HttpErrors.UNAUTHENTICATED);
  const { rows, total } = await searchDocumentRows(ctx.tx, {
    direction: filter.direction,
    status: filter.status,
    q: filter.q,
    unread: filter.unread,
    departmentPaths: await listPaths(ctx, actor),
    countersignDepartmentId: actor.departmentId,
    userId: actor.id,
    limit: filter.pageSize,
    offset: (filter.page - 1) * filter.pageSize,
  });
  return {
    items: rows.map(
      ({
        body: _b,
        departmentPath: _p,
        departmentCode: _c,
        organPath: _op,
        organDeptCode: _oc,
        createdByName,
        createdBy,
        ...r
      }) => ({
        ...r,
        createdBy: { id: createdBy, name: createdByName },
      }),
    ),
    total,
    page: filter.page,
    pageSize: filter.pageSize,
  };
}

/** Counts by direction and status of what the caller sees (the leader's statistics). */
export async function documentStats(ctx: Ctx) {
  const actor = ctx.actor;
  if (!actor) throw new AppError(HttpErrors.UNAUTHENTICATED);
  return documentCounts(ctx.tx, {
    departmentPaths: await listPaths(ctx, actor),
    countersignDepartmentId: actor.departmentId,
  });
}

export async function updateDocument(
  ctx: Ctx,
  engine: WorkflowEngine,
  id: string,
  input: UpdateDocumentInput,
) {
  const { row, actor } = await visibleDocument(ctx, id, true);
  if (!(await mayEdit(ctx, engine, row, actor))) {
    throw new AppError(OfficeErrors.DOCUMENT_NOT_EDITABLE, {
      message:
        row.signedOffAt || row.number
          ? "The document has been signed off; its text can no longer change"
          : "Only the drafter, or whoever holds the 核稿/修改 step, may edit the document now",
    });
  }
  if (input.revision !== undefined && input.revision !== row.revision) {
    throw new AppError(OfficeErrors.DOCUMENT_REVISION_STALE, {
      errors: [{ field: "/body/revision", message: `the document is at revision ${row.revision}` }],
    });
  }
  await validateDepartments(ctx.tx, input.recipients, input.countersignDepartmentIds);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const set: Record<string, unknown> = {};
  for (const field of EDITABLE_FIELDS) {
    const next = input[field];
    if (next === undefined) continue;
    const before = row[field];
    if (JSON.stringify(before) === JSON.stringify(next)) continue;
    set[field] = next;
    if (field !== "body") changes[field] = { from: before, to: next };
  }
  const bodyDiff: DiffOp[] | null = "body" in set ? diffText(row.body, set.body as string) : null;
  if (Object.keys(set).length === 0) return documentView(ctx, engine, row, actor);
  const revision = row.revision + 1;
  const at = new Date(nowIso(ctx));
  await ctx.tx
    .update(documents)
    .set({ ...(set as Partial<typeof documents.$inferInsert>), revision, updatedAt: at })
    .where(eq(documents.id, id));
  await ctx.tx.insert(documentRevisions).values({
    documentId: id,
    revision,
    changedBy: actor.id,
    changedByName: actor.displayName,
    changedAt: at,
    changes,
    bodyDiff,
    comment: input.comment ?? null,
  });
  await appendAudit(ctx.tx, ctx, {
    action: "office.document.updated",
    resourceType: "document",
    resourceId: id,
    details: { revision, fields: Object.keys(set) },
  });
  return documentView(ctx, engine, (await findDocumentRow(ctx.tx, id))!, actor);
}

export async function listRevisions(ctx: Ctx, id: string) {
  await visibleDocument(ctx, id);
  return revisionRows(ctx.tx, id);
}

/** 送审: starts the 发文 process on a draft. */
export async function submitDocument(
  ctx: Ctx,
  engine: WorkflowEngine,
  id: string,
  choice: { reviewer?: string | undefined; signer?: string | undefined } = {},
) {
  const { row, actor } = await visibleDocument(ctx, id, true);
  if (row.direction !== "outgoing" || row.status !== "draft" || row.instanceId || row.createdBy !== actor.id)
    throw new AppError(OfficeErrors.DOCUMENT_NOT_SUBMITTABLE);
  const chosen = await activeStaffUsernames(
    ctx.tx,
    [choice.reviewer, choice.signer].filter((u): u is string => !!u),
  );
  const errors: FieldError[] = [];
  if (choice.reviewer && (!chosen.has(choice.reviewer) || choice.reviewer === actor.username))
    errors.push({ field: "/body/reviewer", message: "choose an active staff member other than yourself" });
  if (choice.signer && !chosen.has(choice.signer))
    errors.push({ field: "/body/signer", message: "no active staff member has this username" });
  if (errors.length > 0) throw new AppError(HttpErrors.VALIDATION_FAILED, { errors });
  const keepers = await sealKeeperUsernames(ctx.tx, row.organId);
  if (keepers.length === 0) throw new AppError(OfficeErrors.NO_SEAL_KEEPER);
  const countersign = await findDepartments(ctx.tx, row.countersignDepartmentIds);
  const instance = await engine.start(ctx, "outgoing-document", {
    businessKey: id,
    variables: {
      documentId: id,
      title: row.title,
      // 核稿 and 签发 go to the people the drafter chose, or else to the department's approvers and leaders.
      reviewGroups: choice.reviewer
        ? []
        : [...new Set([`approver@${row.departmentCode}`, `approver@${row.organDeptCode}`])],
      reviewUsers: choice.reviewer ? [choice.reviewer] : [],
      signGroups: choice.signer ? [] : [`leader@${row.organDeptCode}`],
      signUsers: choice.signer ? [choice.signer] : [],
      countersignDepartments: countersign.map((d) => d.code),
      countersignRequired: countersign.length > 0,
      sealKeepers: keepers,
    },
  });
  await ctx.tx
    .update(documents)
    .set({ instanceId: instance.id, status: "reviewing", updatedAt: new Date(nowIso(ctx)) })
    .where(eq(documents.id, id));
  await appendAudit(ctx.tx, ctx, {
    action: "office.document.submitted",
    resourceType: "document",
    resourceId: id,
    details: { instanceId: instance.id },
  });
  return documentView(ctx, engine, (await findDocumentRow(ctx.tx, id))!, actor);
}

/** Assigns the 发文字号 to a locked outgoing document that has none (the 编号 step and the API). */
async function numberDocument(ctx: Ctx, row: DocumentRow): Promise<string> {
  const year = Number(shanghaiDate(ctx.clock.now()).slice(0, 4));
  const seq = await takeNumberSequence(ctx.tx, row.organCode, year);
  const number = formatDocumentNumber(row.organCode, year, seq);
  await ctx.tx
    .update(documents)
    .set({
      number,
      numberYear: year,
      numberSeq: seq,
      status: row.status === "signed_off" ? "numbered" : row.status,
      updatedAt: new Date(nowIso(ctx)),
    })
    .where(eq(documents.id, row.id));
  await appendAudit(ctx.tx, ctx, {
    action: "office.document.numbered",
    resourceType: "document",
    resourceId: row.id,
    details: { number },
  });
  return number;
}

export async function assignDocumentNumber(ctx: Ctx, engine: WorkflowEngine, id: string) {
  const { row, actor } = await visibleDocument(ctx, id, true);
  if (!mayIssue(actor, row)) throw new AppError(OfficeErrors.NOT_ISSUER);
  if (row.number) {
    throw new AppError(OfficeErrors.DOCUMENT_ALREADY_NUMBERED, {
      message: `The document already has the number ${row.number}`,
      details: { number: row.number },
    });
  }
  if (row.status === "withdrawn") throw new AppError(OfficeErrors.DOCUMENT_WITHDRAWN);
  if (row.instanceId && !row.signedOffAt) throw new AppError(OfficeErrors.DOCUMENT_NOT_SIGNED_OFF);
  await numberDocument(ctx, row);
  return documentView(ctx, engine, (await findDocumentRow(ctx.tx, id))!, actor);
}

/**
 * 分发: each recipient department gets an incoming record of its own, routed by the 收文 process,
 * and a notice. Departments that have it already are skipped, so a retry adds nothing.
 */
async function distribute(
  ctx: Ctx,
  engine: WorkflowEngine,
  row: DocumentRow,
  recipients: { departmentId: string; role: "main" | "cc" }[],
  notify: (ctx: Ctx, departmentId: string, incomingId: string, row: DocumentRow) => Promise<void>,
): Promise<number> {
  const existing = new Set((await distributionRows(ctx.tx, row.id)).map((d) => d.departmentId));
  const at = new Date(nowIso(ctx));
  let sent = 0;
  for (const recipient of recipients) {
    if (existing.has(recipient.departmentId)) continue;
    existing.add(recipient.departmentId);
    const department = (await findDepartmentInfo(ctx.tx, recipient.departmentId))!;
    const incomingId = newId();
    await ctx.tx.insert(documents).values({
      id: incomingId,
      direction: "incoming",
      docType: row.docType,
      status: "pending",
      departmentId: recipient.departmentId,
      copyNo: row.copyNo,
      classification: row.classification,
      secrecyPeriod: row.secrecyPeriod,
      urgency: row.urgency,
      organMark: row.organMark,
      organCode: row.organCode,
      number: row.number,
      signer: row.signer,
      signedOffAt: row.signedOffAt ? new Date(row.signedOffAt) : null,
      title: row.title,
      mainRecipients: row.mainRecipients,
      body: row.body,
      attachmentNotes: row.attachmentNotes,
      signatureOrg: row.signatureOrg,
      writtenDate: row.writtenDate,
      note: row.note,
      ccRecipients: row.ccRecipients,
      printingOrg: row.printingOrg,
      printingDate: row.printingDate,
      sealedAt: row.sealedAt ? new Date(row.sealedAt) : null,
      sealKeyId: row.sealKeyId,
      recipients: [],
      countersignDepartmentIds: [],
      sourceDocumentId: row.id,
      createdBy: row.createdBy,
      createdAt: at,
      updatedAt: at,
    });
    await ctx.tx.insert(distributions).values({
      documentId: row.id,
      departmentId: recipient.departmentId,
      role: recipient.role,
      incomingDocumentId: incomingId,
      sentAt: at,
    });
    const code = department.code;
    const instance = await engine.start(ctx, "incoming-document", {
      businessKey: incomingId,
      variables: {
        documentId: incomingId,
        title: row.title,
        number: row.number,
        receiveGroups: [`clerk@${code}`, `officer@${code}`],
        proposeGroups: [`officer@${code}`, `approver@${code}`],
        instructGroups: [`leader@${code}`],
        handleGroups: [`officer@${code}`, `approver@${code}`],
      },
    });
    await ctx.tx.update(documents).set({ instanceId: instance.id }).where(eq(documents.id, incomingId));
    await notify(ctx, recipient.departmentId, incomingId, row);
    sent++;
  }
  if (sent > 0 || row.status !== "distributed") {
    await ctx.tx
      .update(documents)
      .set({ status: "distributed", updatedAt: at })
      .where(eq(documents.id, row.id));
  }
  await appendAudit(ctx.tx, ctx, {
    action: "office.document.distributed",
    resourceType: "document",
    resourceId: row.id,
    details: { departments: recipients.map((r) => r.departmentId), sent },
  });
  return sent;
}

export type DistributionNotifier = (
  ctx: Ctx,
  departmentId: string,
  incomingId: string,
  row: DocumentRow,
) => Promise<void>;

export async function distributeDocument(
  ctx: Ctx,
  engine: WorkflowEngine,
  notify: DistributionNotifier,
  id: string,
  recipients: { departmentId: string; role: "main" | "cc" }[] | undefined,
) {
  const { row, actor } = await visibleDocument(ctx, id, true);
  if (!mayIssue(actor, row)) throw new AppError(OfficeErrors.NOT_ISSUER);
  if (!row.number) throw new AppError(OfficeErrors.DOCUMENT_NOT_NUMBERED);
  await validateDepartments(ctx.tx, recipients, undefined);
  const targets = recipients ?? row.recipients;
  if (targets.length === 0) {
    throw new AppError(HttpErrors.VALIDATION_FAILED, {
      errors: [{ field: "/body/recipients", message: "name at least one recipient department" }],
    });
  }
  await distribute(ctx, engine, row, targets, notify);
  return documentView(ctx, engine, (await findDocumentRow(ctx.tx, id))!, actor);
}

// ─── steps of the 发文 / 收文 processes (service tasks; ctx.actor is null) ────────────────────────

const OUTGOING_STATUS_STEPS: Record<string, string> = {
  markCountersigning: "countersigning",
  markSigning: "signing",
  markReturned: "draft",
  markResubmitted: "reviewing",
  markWithdrawn: "withdrawn",
  markSignedOff: "signed_off",
};
const INCOMING_STATUS_STEPS: Record<string, string> = {
  markReceived: "received",
  markProposed: "proposed",
  markInstructed: "instructed",
  markClosed: "closed",
  markArchived: "archived",
};

export async function outgoingStep(
  ctx: Ctx,
  engine: WorkflowEngine,
  row: DocumentRow,
  elementId: string,
  notify: DistributionNotifier,
): Promise<void> {
  const at = new Date(nowIso(ctx));
  if (elementId === "number") {
    if (!row.number) await numberDocument(ctx, row);
    return;
  }
  if (elementId === "distribute") {
    await distribute(ctx, engine, row, row.recipients, notify);
    return;
  }
  const status = OUTGOING_STATUS_STEPS[elementId];
  if (!status) throw new Error(`office.document.status has no meaning at ${elementId}`);
  const set: Partial<typeof documents.$inferInsert> = { status, updatedAt: at };
  if (status === "signed_off" && row.instanceId) {
    const signed = await engine.lastCompletion(ctx.tx, row.instanceId, "signOff");
    set.signer = signed?.name ?? null;
    set.signedOffAt = signed ? new Date(signed.completedAt) : at;
  }
  await ctx.tx.update(documents).set(set).where(eq(documents.id, row.id));
}

export async function incomingStep(ctx: Ctx, engine: WorkflowEngine, row: DocumentRow, elementId: string) {
  const status = INCOMING_STATUS_STEPS[elementId];
  if (!status) throw new Error(`office.incoming.status has no meaning at ${elementId}`);
  const at = new Date(nowIso(ctx));
  await ctx.tx.update(documents).set({ status, updatedAt: at }).where(eq(documents.id, row.id));
  if (status === "received" && row.instanceId) {
    const received = await engine.lastCompletion(ctx.tx, row.instanceId, "receive");
    await ctx.tx
      .update(distributions)
      .set({
        receivedAt: received ? new Date(received.completedAt) : at,
        receivedBy: received?.userId ?? null,
      })
      .where(eq(distributions.incomingDocumentId, row.id));
  }
}

/** 用印: stores the sealed PDF made by `seal` and records which key sealed it. */
export async function storeSealedPdf(
  ctx: Ctx,
  row: DocumentRow,
  sealed: { pdf: Uint8Array; keyId: string },
  sealedBy: string | null,
): Promise<void> {
  const at = new Date(nowIso(ctx));
  const content = Buffer.from(sealed.pdf);
  await ctx.tx.insert(documentFiles).values({
    id: newId(),
    documentId: row.id,
    kind: "sealed_pdf",
    name: `${row.number ?? row.title}.pdf`,
    mediaType: "application/pdf",
    size: content.length,
    sha256: createHash("sha256").update(content).digest("hex"),
    content,
    createdBy: sealedBy,
    createdAt: at,
  });
  await ctx.tx
    .update(documents)
    .set({ status: "sealed", sealedAt: at, sealKeyId: sealed.keyId, updatedAt: at })
    .where(eq(documents.id, row.id));
  await appendAudit(ctx.tx, ctx, {
    action: "office.document.sealed",
    resourceType: "document",
    resourceId: row.id,
    details: { keyId: sealed.keyId, sealedBy },
  });
}

export async function documentPdf(ctx: Ctx, id: string) {
  const { row } = await visibleDocument(ctx, id);
  // An incoming copy shows the original's sealed PDF.
  const sealed = await findFile(ctx.tx, row.sourceDocumentId ?? row.id, "sealed_pdf");
  return { row, sealed };
}

export async function documentFile(ctx: Ctx, id: string, fileId: string) {
  const { row } = await visibleDocument(ctx, id);
  const owner = row.sourceDocumentId ?? id;
  const file =
    (await findFile(ctx.tx, owner, "attachment", fileId)) ??
    (await findFile(ctx.tx, owner, "sealed_pdf", fileId));
  if (!file) throw new AppError(OfficeErrors.FILE_NOT_FOUND);
  return file;
}

// ─── seal keepers (印章管理员) ────────────────────────────────────────────────────────────────

export async function listSealKeepers(ctx: Ctx, departmentId: string) {
  return sealKeeperUsernames(ctx.tx, departmentId);
}

export async function setSealKeepers(ctx: Ctx, departmentId: string, userIds: string[]) {
  const actor = staffOf(ctx);
  const department = await findDepartmentInfo(ctx.tx, departmentId);
  if (!department) throw new AppError(OfficeErrors.DEPARTMENT_NOT_FOUND);
  const isAdmin = actor.roles.includes("admin");
  if (!isAdmin && !(actor.roles.includes("leader") && department.path.startsWith(actor.departmentPath)))
    throw new AppError(OfficeErrors.NOT_ISSUER, {
      message: "Only an administrator or the department's leader names seal keepers",
    });
  const staff = await staffInSubtree(ctx.tx, userIds, department.path);
  const errors = userIds.flatMap((userId, i) =>
    staff.has(userId)
      ? []
      : [{ field: `/body/userIds/${i}`, message: "not a staff member of this department" }],
  );
  if (errors.length > 0) throw new AppError(HttpErrors.VALIDATION_FAILED, { errors });
  await ctx.tx.delete(sealKeepers).where(and(eq(sealKeepers.departmentId, departmentId)));
  if (userIds.length > 0) {
    await ctx.tx.insert(sealKeepers).values(
      userIds.map((userId) => ({
        departmentId,
        userId,
        grantedBy: actor.id,
        grantedAt: new Date(nowIso(ctx)),
      })),
    );
  }
  await appendAudit(ctx.tx, ctx, {
    action: "office.seal-keepers.set",
    resourceType: "department",
    resourceId: departmentId,
    details: { userIds },
  });
  return sealKeeperUsernames(ctx.tx, departmentId);
}

export async function uploadAttachment(
  ctx: Ctx,
  engine: WorkflowEngine,
  id: string,
  file: { name: string; mediaType: string; content: Buffer; sha256: string },
) {
  const { row, actor } = await visibleDocument(ctx, id, true);
  if (!(await mayEdit(ctx, engine, row, actor))) throw new AppError(OfficeErrors.DOCUMENT_NOT_EDITABLE);
  if (file.content.length === 0) {
    throw new AppError(HttpErrors.VALIDATION_FAILED, {
      errors: [{ field: "/body", message: "the file is empty" }],
    });
  }
  const fileId = newId();
  await ctx.tx.insert(documentFiles).values({
    id: fileId,
    documentId: id,
    kind: "attachment",
    name: file.name,
    mediaType: file.mediaType,
    size: file.content.length,
    sha256: file.sha256,
    content: file.content,
    createdBy: actor.id,
    createdAt: new Date(nowIso(ctx)),
  });
  await appendAudit(ctx.tx, ctx, {
    action: "office.document.attachment-added",
    resourceType: "document",
    resourceId: id,
    details: { fileId, size: file.content.length, sha256: file.sha256 },
  });
  return { id: fileId, name: file.name, size: file.content.length, sha256: file.sha256 };
}

/** Whether the caller may see the document (for the chat room linked to it). */
export async function canReadDocument(ctx: Ctx, id: string): Promise<boolean> {
  if (!UUID.test(id)) return false;
  try {
    await visibleDocument(ctx, id);
    return true;
  } catch (e) {
    if (e instanceof AppError && e.code === OfficeErrors.DOCUMENT_NOT_FOUND) return false;
    throw e;
  }
}

const UUID = new RegExp(UUID_PATTERN);
