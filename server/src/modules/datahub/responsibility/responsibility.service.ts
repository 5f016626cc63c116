import { and, eq } from "drizzle-orm";
import { appendAudit } from "../../../kernel/audit/audit";
import { isoTimestampSql, rawQuery } from "../../../kernel/db/db";
import { newId } from "../../../kernel/db/ids";
import { publishEvent } from "../../../kernel/events/events";
import type { Ctx } from "../../../kernel/http/context";
import { AppError, HttpErrors } from "../../../kernel/http/errors";
import type { WorkflowEngine } from "../../../workflow";
import { getResourceRow } from "../catalog/catalog.service";
import { DatahubErrors } from "../errors";
import { maskValue } from "../exchange/masking";
import { actorOf, findUnit, getUnit, unitOfActor } from "../org";
import { errorReports, responsibilities } from "../schema";

export const BASES = ["population", "legalPerson"] as const;
export type Base = (typeof BASES)[number];
/** The prefix a data item's baseField carries for each base. */
const BASE_PREFIX: Record<Base, string> = { population: "person.", legalPerson: "enterprise." };

export async function listResponsibilities(ctx: Ctx, base?: Base) {
  return rawQuery<{ base: Base; field: string; title: string; departmentId: string; departmentName: string }>(
    ctx.tx,
    `select r.base, r.field, r.title, r.department_id as "departmentId", d.name as "departmentName"
     from datahub.responsibilities r join identity.departments d on d.id = r.department_id
     ${base ? "where r.base = $1" : ""} order by r.base, r.field`,
    base ? [base] : [],
  );
}

/**
 * Names the one authoritative department of a base field (数源责任清单). A field held by another
 * department is a conflict, refused: the data bureau must first release it.
 */
export async function assignResponsibility(
  ctx: Ctx,
  input: { base: Base; field: string; title: string; departmentId: string },
  options: { replace?: boolean } = {},
) {
  const unit = await findUnit(ctx.tx, (await getUnit(ctx.tx, input.departmentId)).id);
  if (!unit) throw new AppError(DatahubErrors.DEPARTMENT_NOT_FOUND);
  const [held] = await rawQuery<{ departmentId: string; departmentName: string }>(
    ctx.tx,
    `select r.department_id as "departmentId", d.name as "departmentName" from datahub.responsibilities r
       join identity.departments d on d.id = r.department_id where r.base = $1 and r.field = $2 for update of r`,
    [input.base, input.field],
  );
  if (held && held.departmentId !== unit.id && !options.replace)
    throw new AppError(DatahubErrors.RESPONSIBILITY_CONFLICT, {
      message: `${input.field} 的数源部门已是${held.departmentName}`,
      details: { holder: held.departmentName },
    });
  const now = ctx.clock.now();
  await ctx.tx
    .insert(responsibilities)
    .values({ ...input, departmentId: unit.id, assignedBy: ctx.actor?.id ?? null, assignedAt: now })
    .onConflictDoUpdate({
      target: [responsibilities.base, responsibilities.field],
      set: { title: input.title, departmentId: unit.id, assignedBy: ctx.actor?.id ?? null, assignedAt: now },
    });
  await appendAudit(ctx.tx, ctx, {
    action: "datahub.responsibility.assigned",
    resourceType: "responsibility",
    resourceId: `${input.base}:${input.field}`,
    details: { department: unit.code, previous: held?.departmentName ?? null },
  });
  return { ...input, departmentId: unit.id, departmentName: unit.name };
}

export async function releaseResponsibility(ctx: Ctx, base: Base, field: string) {
  const [row] = await ctx.tx
    .delete(responsibilities)
    .where(and(eq(responsibilities.base, base), eq(responsibilities.field, field)))
    .returning({ field: responsibilities.field });
  if (!row) throw new AppError(HttpErrors.NOT_FOUND);
  await appendAudit(ctx.tx, ctx, {
    action: "datahub.responsibility.released",
    resourceType: "responsibility",
    resourceId: `${base}:${field}`,
  });
}

export interface ErrorReportInput {
  resourceId: string;
  recordKey: string;
  item: string;
  correctValue: string;
  reason: string;
}

/** The authoritative department of an item: from the responsibility list, else the resource's provider. */
async function authorityOf(ctx: Ctx, baseField: string | null, providerId: string) {
  if (baseField) {
    const base = (Object.entries(BASE_PREFIX) as [Base, string][]).find(([, p]) => baseField.startsWith(p));
    if (base) {
      const [row] = await ctx.tx
        .select({ departmentId: responsibilities.departmentId })
        .from(responsibilities)
        .where(
          and(
            eq(responsibilities.base, base[0]),
            eq(responsibilities.field, baseField.slice(base[1].length)),
          ),
        );
      if (row) return getUnit(ctx.tx, row.departmentId);
    }
  }
  return getUnit(ctx.tx, providerId);
}

/** 数据纠错: a consumer reports a value as wrong; the authoritative department verifies it in its inbox. */
export async function reportDataError(
  ctx: Ctx,
  engine: WorkflowEngine,
  days: number,
  input: ErrorReportInput,
) {
  const actor = actorOf(ctx);
  const reporter = await unitOfActor(ctx);
  const resource = await getResourceRow(ctx, input.resourceId);
  const item = resource.items.find((i) => i.name === input.item);
  if (!item)
    throw new AppError(HttpErrors.VALIDATION_FAILED, {
      errors: [{ field: "/body/item", message: "is not an item of the resource" }],
    });
  const authority = await authorityOf(ctx, item.baseField, resource.providerDepartmentId);
  const now = ctx.clock.now();
  const id = newId(now.getTime());
  await ctx.tx.insert(errorReports).values({
    id,
    resourceId: resource.id,
    recordKey: input.recordKey,
    item: input.item,
    correctValue: input.correctValue,
    reason: input.reason,
    status: "open",
    departmentId: authority.id,
    reporterId: actor.id,
    reporterDepartmentId: reporter.id,
    createdAt: now,
  });
  const instance = await engine.start(ctx, "data-error-report", {
    businessKey: id,
    variables: {
      reportId: id,
      title: `数据纠错：${resource.name} · ${item.title}`,
      authorityGroups: [`dataofficer@${authority.code}`, `leader@${authority.code}`],
      days,
    },
  });
  const [task] = await engine.openTasks(ctx.tx, instance.id);
  await ctx.tx
    .update(errorReports)
    .set({ instanceId: instance.id, dueAt: task?.dueAt ? new Date(task.dueAt) : null })
    .where(eq(errorReports.id, id));
  await appendAudit(ctx.tx, ctx, {
    action: "datahub.error-report.submitted",
    resourceType: "error-report",
    resourceId: id,
    details: { resource: resource.code, item: input.item, authority: authority.code },
  });
  return (await findErrorReport(ctx, engine, id))!;
}

export async function answerErrorReport(
  ctx: Ctx,
  engine: WorkflowEngine,
  reportId: string,
  instanceId: string,
) {
  const verdict = await engine.lastCompletion(ctx.tx, instanceId, "verify");
  const accepted = verdict?.outcome?.accepted === true;
  const [row] = await ctx.tx
    .update(errorReports)
    .set({
      status: accepted ? "accepted" : "rejected",
      reply: String(verdict?.outcome?.reply ?? ""),
      resolvedAt: ctx.clock.now(),
    })
    .where(and(eq(errorReports.id, reportId), eq(errorReports.status, "open")))
    .returning({ reporterId: errorReports.reporterId });
  if (!row) return; // answered already (a retried step)
  await appendAudit(ctx.tx, ctx, {
    action: accepted ? "datahub.error-report.accepted" : "datahub.error-report.rejected",
    resourceType: "error-report",
    resourceId: reportId,
  });
  await publishEvent(ctx.tx, "datahub.error-report.answered", {
    reportId,
    reporterId: row.reporterId,
    accepted,
  });
}

interface ErrorReportRow {
  id: string;
  resourceId: string;
  resourceName: string;
  items: { name: string; title: string }[] | string;
  recordKey: string;
  item: string;
  correctValue: string;
  reason: string;
  status: string;
  reply: string | null;
  departmentId: string;
  departmentName: string;
  departmentPath: string;
  reporterId: string;
  reporterName: string;
  createdAt: string;
  dueAt: string | null;
  resolvedAt: string | null;
  instanceId: string | null;
}

const ts = isoTimestampSql;
const REPORT_SELECT = `select e.id, e.resource_id as "resourceId", r.name as "resourceName", r.items, e.record_key as "recordKey",
    e.item, e.correct_value as "correctValue", e.reason, e.status, e.reply, e.department_id as "departmentId",
    d.name as "departmentName", d.path as "departmentPath", e.reporter_id as "reporterId", u.display_name as "reporterName",
    ${ts("e.created_at")} as "createdAt", ${ts("e.due_at")} as "dueAt", ${ts("e.resolved_at")} as "resolvedAt",
    e.instance_id as "instanceId"
  from datahub.error_reports e join datahub.resources r on r.id = e.resource_id
    join identity.departments d on d.id = e.department_id left join identity.users u on u.id = e.reporter_id`;

async function reportView(ctx: Ctx, engine: WorkflowEngine, row: ErrorReportRow) {
  const items =
    typeof row.items === "string" ? (JSON.parse(row.items) as { name: string; title: string }[]) : row.items;
  const actor = actorOf(ctx);
  let taskId: string | null = null;
  if (row.instanceId && row.status === "open" && actor.departmentPath?.startsWith(row.departmentPath)) {
    taskId = (await engine.openTasks(ctx.tx, row.instanceId))[0]?.id ?? null;
  }
  return {
    id: row.id,
    resourceId: row.resourceId,
    resourceName: row.resourceName,
    recordKeyMasked: String(maskValue("id", row.recordKey)),
    item: row.item,
    itemTitle: items.find((i) => i.name === row.item)?.title ?? row.item,
    correctValue: row.correctValue,
    reason: row.reason,
    status: row.status,
    reply: row.reply,
    departmentId: row.departmentId,
    departmentName: row.departmentName,
    reporterName: row.reporterName,
    createdAt: row.createdAt,
    dueAt: row.dueAt,
    resolvedAt: row.resolvedAt,
    taskId,
  };
}

async function findErrorReport(ctx: Ctx, engine: WorkflowEngine, id: string) {
  const [row] = await rawQuery<ErrorReportRow>(ctx.tx, `${REPORT_SELECT} where e.id = $1`, [id]);
  return row ? reportView(ctx, engine, row) : null;
}

export async function listErrorReports(
  ctx: Ctx,
  engine: WorkflowEngine,
  input: { box: "mine" | "assigned"; status?: string | undefined },
) {
  const actor = actorOf(ctx);
  const params: unknown[] = [];
  const where: string[] = [];
  if (input.box === "mine") where.push(`e.reporter_id = $${params.push(actor.id)}`);
  else where.push(`e.department_id = $${params.push((await unitOfActor(ctx)).id)}`);
  if (input.status) where.push(`e.status = $${params.push(input.status)}`);
  const rows = await rawQuery<ErrorReportRow>(
    ctx.tx,
    `${REPORT_SELECT} where ${where.join(" and ")} order by e.created_at desc limit 200`,
    params,
  );
  return Promise.all(rows.map((r) => reportView(ctx, engine, r)));
}
