import { eq, sql } from "drizzle-orm";
import { type Actor, scopeOf } from "../../../kernel/access/actor";
import type { Role } from "../../../kernel/access/roles";
import { appendAudit } from "../../../kernel/audit/audit";
import type { WorkingDayCalendar } from "../../../kernel/calendar/calendar";
import { newId, UUID_PATTERN } from "../../../kernel/db/ids";
import {
  clearDeadline,
  type DeadlineEvent,
  endOfWorkingDays,
  scheduleDeadline,
  workingDaysBefore,
} from "../../../kernel/deadlines/deadlines";
import type { Ctx } from "../../../kernel/http/context";
import { AppError, type FieldError, HttpErrors } from "../../../kernel/http/errors";
import { OfficeErrors } from "../errors";
import type { Notifier } from "../notify";
import { supervisionItems, supervisionReports } from "../schema";
import {
  departmentPaths,
  findSupervisionRow,
  reportRows,
  type SupervisionRow,
  searchSupervisionRows,
} from "./supervision.queries";

export const SUPERVISION_KIND = "office.supervision";
export const REPORT_KIND = "office.supervision-report";
export const SOURCE_TYPES = ["instruction", "document", "meeting", "case"] as const;
/** Roles that assign supervision items (督办): leaders, the office, the command centre, administrators. */
export const ASSIGNING_ROLES = [
  "leader",
  "officer",
  "dispatcher",
  "admin",
] as const satisfies readonly Role[];

export type Light = "red" | "yellow" | "green" | "done";

export interface CreateSupervisionInput {
  title: string;
  description: string;
  sourceType: (typeof SOURCE_TYPES)[number];
  sourceRef?: string | undefined;
  leadDepartmentId: string;
  coDepartmentIds?: string[] | undefined;
  /** an instant, or … */
  dueAt?: string | undefined;
  /** … the end of the n-th working day from today */
  dueInWorkingDays?: number | undefined;
  reportEveryDays?: number | null | undefined;
  remindDays?: number | undefined;
}

function actorOf(ctx: Ctx): Actor {
  if (!ctx.actor) throw new AppError(HttpErrors.UNAUTHENTICATED);
  return ctx.actor;
}

/**
 * The board colour: red when overdue; yellow inside the reminder window or when a required progress
 * report is late; green otherwise; done when closed.
 */
export function lightOf(row: SupervisionRow, now: Date, calendar: WorkingDayCalendar): Light {
  if (row.status !== "open") return "done";
  const due = new Date(row.dueAt);
  if (now > due) return "red";
  if (now >= workingDaysBefore(calendar, due, row.remindDays)) return "yellow";
  if (row.reportEveryDays) {
    const since = new Date(row.lastReportAt ?? row.createdAt);
    if (now > endOfWorkingDays(calendar, since, row.reportEveryDays)) return "yellow";
  }
  return "green";
}

function view(
  row: SupervisionRow,
  now: Date,
  calendar: WorkingDayCalendar,
  names: Map<string, { name: string }>,
) {
  const { leadDepartmentPath: _p, createdBy, createdByName, coDepartmentIds, ...rest } = row;
  return {
    ...rest,
    coDepartments: coDepartmentIds.map((id) => ({ id, name: names.get(id)?.name ?? "" })),
    createdBy: { id: createdBy, name: createdByName },
    light: lightOf(row, now, calendar),
  };
}

export async function createSupervisionItem(
  ctx: Ctx,
  calendar: WorkingDayCalendar,
  notify: Notifier,
  input: CreateSupervisionInput,
) {
  const actor = actorOf(ctx);
  const now = ctx.clock.now();
  const errors: FieldError[] = [];
  const co = [...new Set(input.coDepartmentIds ?? [])].filter((id) => id !== input.leadDepartmentId);
  const known = await departmentPaths(ctx.tx, [input.leadDepartmentId, ...co]);
  if (!known.has(input.leadDepartmentId))
    errors.push({ field: "/body/leadDepartmentId", message: "no such department" });
  co.forEach((id, i) => {
    if (!known.has(id)) errors.push({ field: `/body/coDepartmentIds/${i}`, message: "no such department" });
  });
  if ((input.dueAt === undefined) === (input.dueInWorkingDays === undefined))
    errors.push({ field: "/body/dueAt", message: "give either dueAt or dueInWorkingDays" });
  const dueAt =
    input.dueAt !== undefined
      ? new Date(input.dueAt)
      : endOfWorkingDays(calendar, now, input.dueInWorkingDays ?? 0);
  if (input.dueAt !== undefined && !(dueAt > now))
    errors.push({ field: "/body/dueAt", message: "the deadline must lie in the future" });
  if (errors.length > 0) throw new AppError(HttpErrors.VALIDATION_FAILED, { errors });

  const id = newId();
  const remindDays = input.remindDays ?? 2;
  await ctx.tx.insert(supervisionItems).values({
    id,
    title: input.title,
    description: input.description,
    sourceType: input.sourceType,
    sourceRef: input.sourceRef ?? null,
    leadDepartmentId: input.leadDepartmentId,
    coDepartmentIds: co,
    dueAt,
    reportEveryDays: input.reportEveryDays ?? null,
    remindDays,
    status: "open",
    createdBy: actor.id,
    createdAt: now,
  });
  await scheduleDeadline(ctx.tx, ctx.clock, {
    kind: SUPERVISION_KIND,
    subjectId: id,
    dueAt,
    remindAt: workingDaysBefore(calendar, dueAt, remindDays),
    escalateEveryWorkingDays: 1,
  });
  if (input.reportEveryDays) await scheduleReport(ctx, calendar, id, now, input.reportEveryDays);
  await appendAudit(ctx.tx, ctx, {
    action: "office.supervision.created",
    resourceType: "supervision",
    resourceId: id,
    details: { leadDepartmentId: input.leadDepartmentId, dueAt: dueAt.toISOString() },
  });
  await notify(ctx, {
    departmentIds: [input.leadDepartmentId, ...co],
    kind: "supervision.assigned",
    title: `督办事项：${input.title}`,
    body: `请于${dueAt.toISOString().slice(0, 10)}前办结，并按要求报送进展。`,
    link: `/office/supervision/${id}`,
    sourceType: "supervision",
    sourceId: id,
  });
  return getSupervisionItem(ctx, calendar, id);
}

async function scheduleReport(ctx: Ctx, calendar: WorkingDayCalendar, id: string, from: Date, every: number) {
  await scheduleDeadline(ctx.tx, ctx.clock, {
    kind: REPORT_KIND,
    subjectId: id,
    dueAt: endOfWorkingDays(calendar, from, every),
  });
}

function mayRead(actor: Actor, row: SupervisionRow, coPaths: string[]): boolean {
  const scope = scopeOf(actor);
  if (scope === "district" || row.createdBy === actor.id) return true;
  if (!actor.departmentPath) return false;
  const path = actor.departmentPath;
  const owners = [row.leadDepartmentPath, ...coPaths];
  // Staff of an owner department or of a unit under it (a section of the bureau); leaders also
  // see the items of the units under them.
  return owners.some((p) => path.startsWith(p) || (scope === "subtree" && p.startsWith(path)));
}

async function visibleItem(ctx: Ctx, id: string, lock = false) {
  const actor = actorOf(ctx);
  const row = await findSupervisionRow(ctx.tx, id, lock);
  const co = row ? await departmentPaths(ctx.tx, row.coDepartmentIds) : new Map();
  if (
    !row ||
    !mayRead(
      actor,
      row,
      [...co.values()].map((d) => d.path),
    )
  )
    throw new AppError(OfficeErrors.SUPERVISION_NOT_FOUND);
  return { row, actor, co };
}

export async function getSupervisionItem(ctx: Ctx, calendar: WorkingDayCalendar, id: string) {
  const { row, co } = await visibleItem(ctx, id);
  return { ...view(row, ctx.clock.now(), calendar, co), reports: await reportRows(ctx.tx, id) };
}

export async function listSupervisionItems(
  ctx: Ctx,
  calendar: WorkingDayCalendar,
  filter: { status?: string | undefined; light?: Light | undefined; limit: number },
) {
  const actor = actorOf(ctx);
  const scope = scopeOf(actor);
  const rows = await searchSupervisionRows(ctx.tx, {
    paths: scope === "district" ? null : actor.departmentPath ? [actor.departmentPath] : [],
    actorPath: actor.departmentPath,
    userId: actor.id,
    status: filter.status,
    limit: filter.light ? 1000 : filter.limit,
  });
  const names = await departmentPaths(ctx.tx, [...new Set(rows.flatMap((r) => r.coDepartmentIds))]);
  const now = ctx.clock.now();
  const items = rows
    .map((r) => view(r, now, calendar, names))
    .filter((i) => !filter.light || i.light === filter.light);
  return items.slice(0, filter.limit);
}

/** The leaders' board: counts by colour, overall and per lead department. */
export async function supervisionBoard(ctx: Ctx, calendar: WorkingDayCalendar) {
  const items = await listSupervisionItems(ctx, calendar, { limit: 1000 });
  const zero = () => ({ red: 0, yellow: 0, green: 0, done: 0 });
  const totals = zero();
  const byDepartment = new Map<
    string,
    { departmentId: string; departmentName: string } & ReturnType<typeof zero>
  >();
  for (const item of items) {
    totals[item.light]++;
    const entry = byDepartment.get(item.leadDepartmentId) ?? {
      departmentId: item.leadDepartmentId,
      departmentName: item.leadDepartmentName,
      ...zero(),
    };
    entry[item.light]++;
    byDepartment.set(item.leadDepartmentId, entry);
  }
  return {
    totals,
    departments: [...byDepartment.values()].sort((a, b) => b.red - a.red || b.yellow - a.yellow),
    attention: items.filter((i) => i.light === "red" || i.light === "yellow").slice(0, 20),
  };
}

export async function reportSupervisionProgress(
  ctx: Ctx,
  calendar: WorkingDayCalendar,
  notify: Notifier,
  id: string,
  input: { progress: number; text: string; completes?: boolean | undefined },
) {
  const { row, actor, co } = await visibleItem(ctx, id, true);
  if (row.status !== "open") throw new AppError(OfficeErrors.SUPERVISION_CLOSED);
  const owners = [
    { id: row.leadDepartmentId, path: row.leadDepartmentPath },
    ...[...co.entries()].map(([coId, d]) => ({ id: coId, path: d.path })),
  ];
  const own = owners.find((o) => actor.departmentPath?.startsWith(o.path));
  if (!own) throw new AppError(OfficeErrors.NOT_SUPERVISION_OWNER);
  const completes = input.completes === true;
  if (completes && own.id !== row.leadDepartmentId) {
    throw new AppError(OfficeErrors.NOT_SUPERVISION_OWNER, {
      message: "Only the lead department (牵头单位) closes a supervision item",
    });
  }
  const now = ctx.clock.now();
  await ctx.tx.insert(supervisionReports).values({
    itemId: id,
    departmentId: own.id,
    reportedBy: actor.id,
    progress: completes ? 100 : input.progress,
    text: input.text,
    completes,
    createdAt: now,
  });
  await ctx.tx
    .update(supervisionItems)
    .set({
      progress: completes ? 100 : sql`greatest(${supervisionItems.progress}, ${input.progress})`,
      lastReportAt: now,
      ...(completes ? { status: "completed", completedAt: now } : {}),
    })
    .where(eq(supervisionItems.id, id));
  if (completes) {
    await clearDeadline(ctx.tx, SUPERVISION_KIND, id);
    await clearDeadline(ctx.tx, REPORT_KIND, id);
    await notify(ctx, {
      userIds: [row.createdBy],
      kind: "supervision.completed",
      title: `督办事项已办结：${row.title}`,
      body: input.text,
      link: `/office/supervision/${id}`,
    });
  } else if (row.reportEveryDays) {
    await scheduleReport(ctx, calendar, id, now, row.reportEveryDays);
  }
  await appendAudit(ctx.tx, ctx, {
    action: completes ? "office.supervision.completed" : "office.supervision.reported",
    resourceType: "supervision",
    resourceId: id,
    details: { progress: completes ? 100 : input.progress, departmentId: own.id },
  });
  return getSupervisionItem(ctx, calendar, id);
}

/** A deadline event of a supervision item: remind before, escalate after, ask for overdue reports. */
export async function onSupervisionDeadline(
  ctx: Ctx,
  notify: Notifier,
  topic: string,
  event: DeadlineEvent,
): Promise<void> {
  const row = await findSupervisionRow(ctx.tx, event.subjectId, true);
  if (row?.status !== "open") return;
  const link = `/office/supervision/${row.id}`;
  const due = row.dueAt.slice(0, 10);
  if (topic === `${SUPERVISION_KIND}.due-soon`) {
    await notify(ctx, {
      departmentIds: [row.leadDepartmentId, ...row.coDepartmentIds],
      kind: "supervision.due-soon",
      title: `督办事项即将到期：${row.title}`,
      body: `办理期限为${due}，请抓紧办理并报送进展。`,
      link,
    });
    return;
  }
  if (topic === `${REPORT_KIND}.overdue`) {
    await notify(ctx, {
      departmentIds: [row.leadDepartmentId],
      kind: "supervision.report-due",
      title: `请报送督办事项进展：${row.title}`,
      body: "已超过规定的进展报送周期。",
      link,
    });
    return;
  }
  if (topic !== `${SUPERVISION_KIND}.overdue`) return;
  const level = event.level ?? 1;
  if (level <= row.escalationLevel) return; // a redelivered event
  await ctx.tx
    .update(supervisionItems)
    .set({ escalationLevel: level, escalatedAt: ctx.clock.now() })
    .where(eq(supervisionItems.id, row.id));
  await appendAudit(ctx.tx, ctx, {
    action: "office.supervision.escalated",
    resourceType: "supervision",
    resourceId: row.id,
    details: { level },
  });
  await notify(ctx, {
    departmentIds: [row.leadDepartmentId],
    userIds: [row.createdBy],
    kind: "supervision.overdue",
    title: `督办事项已逾期${level > 1 ? `（第${level}次催办）` : ""}：${row.title}`,
    body: `办理期限${due}已过，请立即办理并说明原因。`,
    link,
  });
}

/** Whether the caller may see the supervision item (for the chat room linked to it). */
export async function canReadSupervisionItem(ctx: Ctx, id: string): Promise<boolean> {
  if (!UUID.test(id)) return false;
  try {
    await visibleItem(ctx, id);
    return true;
  } catch (e) {
    if (e instanceof AppError && e.code === OfficeErrors.SUPERVISION_NOT_FOUND) return false;
    throw e;
  }
}

const UUID = new RegExp(UUID_PATTERN);
