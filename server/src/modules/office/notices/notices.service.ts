import { type Actor, departmentInScope, hasAnyRole, scopeOf } from "../../../kernel/access/actor";
import type { Role } from "../../../kernel/access/roles";
import { appendAudit } from "../../../kernel/audit/audit";
import { newId } from "../../../kernel/db/ids";
import { publishEvent } from "../../../kernel/events/events";
import type { Ctx } from "../../../kernel/http/context";
import { AppError, HttpErrors } from "../../../kernel/http/errors";
import { NoticeErrors } from "./errors";
import {
  findDepartment,
  findNoticeRow,
  insertNotice,
  insertRecipients,
  markRead,
  type NoticeRow,
  searchNoticeRows,
} from "./notices.queries";

/** Who may publish a 通知公告: an officer to their department, a leader to their subtree, an admin anywhere. */
export const PUBLISHING_ROLES = ["officer", "leader", "admin"] as const satisfies readonly Role[];

export const NOTICE_CREATED = "office.notice.created";

/** Payload of `office.notice.created` (version 1). Recipients are in office.notice_recipients. */
export interface NoticeCreatedV1 {
  noticeId: string;
  kind: string;
  title: string;
  link: string | null;
  audience: "personal" | "department" | "district";
  departmentId: string | null;
  recipients: number;
  createdAt: string;
}

export interface NoticeInput {
  /** Personal: these accounts; or every staff member of a department (sub-departments included); or all staff. */
  recipientIds: string[] | { departmentId: string } | "district";
  /** announcement (通知公告), document_distributed, supervision_due, … */
  kind: string;
  title: string;
  body: string;
  /** A path in the web app, e.g. /office/documents/<id> */
  link?: string | null;
  sourceType?: string | null;
  sourceId?: string | null;
}

/**
 * Creates a notice for its recipients in the caller's transaction, with its audit record and the
 * `office.notice.created` event (which the mobile adapter pushes to linked 粤政易 accounts).
 * Other office features call this to tell people about their records.
 */
export async function createNotice(
  ctx: Ctx,
  input: NoticeInput,
): Promise<{ id: string; recipients: number }> {
  const id = newId();
  const createdAt = ctx.clock.now().toISOString();
  let audience: NoticeCreatedV1["audience"] = "personal";
  let departmentId: string | null = null;
  let to: Parameters<typeof insertRecipients>[3];
  if (input.recipientIds === "district") {
    audience = "district";
    to = { district: true };
  } else if (Array.isArray(input.recipientIds)) {
    to = { userIds: [...new Set(input.recipientIds)] };
  } else {
    const department = await findDepartment(ctx.tx, input.recipientIds.departmentId);
    if (!department) throw new AppError(NoticeErrors.NOTICE_DEPARTMENT_NOT_FOUND);
    audience = "department";
    departmentId = department.id;
    to = { departmentPath: department.path };
  }
  await insertNotice(ctx.tx, {
    id,
    kind: input.kind,
    title: input.title,
    body: input.body,
    link: input.link ?? null,
    sourceType: input.sourceType ?? null,
    sourceId: input.sourceId ?? null,
    audience,
    departmentId,
    createdBy: ctx.actor?.id ?? null,
    createdAt,
  });
  const recipients = await insertRecipients(ctx.tx, id, createdAt, to);
  await appendAudit(ctx.tx, ctx, {
    action: NOTICE_CREATED,
    resourceType: "notice",
    resourceId: id,
    details: {
      kind: input.kind,
      audience,
      departmentId,
      recipients,
      sourceType: input.sourceType ?? null,
      sourceId: input.sourceId ?? null,
    },
  });
  const event: NoticeCreatedV1 = {
    noticeId: id,
    kind: input.kind,
    title: input.title,
    link: input.link ?? null,
    audience,
    departmentId,
    recipients,
    createdAt,
  };
  await publishEvent(ctx.tx, NOTICE_CREATED, event);
  return { id, recipients };
}

function actorOf(ctx: Ctx): Actor {
  if (!ctx.actor) throw new AppError(HttpErrors.UNAUTHENTICATED);
  return ctx.actor;
}

/**
 * Publishes a 通知公告 to a department (by default the publisher's own) or to the whole district.
 * The audience must lie within the publisher's scope; the district needs district scope, or a
 * leader of the top-level government.
 */
export async function publishNotice(
  ctx: Ctx,
  input: {
    audience: "department" | "district";
    departmentId?: string;
    title: string;
    body: string;
    link?: string;
  },
): Promise<{ id: string; recipients: number }> {
  const actor = actorOf(ctx);
  const scope = hasAnyRole(actor, PUBLISHING_ROLES) ? scopeOf(actor, PUBLISHING_ROLES) : "own";
  let recipientIds: NoticeInput["recipientIds"];
  if (input.audience === "district") {
    const topLeader =
      actor.roles.includes("leader") && actor.departmentPath?.split("/").filter(Boolean).length === 1;
    if (scope !== "district" && !topLeader) throw new AppError(NoticeErrors.NOTICE_AUDIENCE_FORBIDDEN);
    recipientIds = "district";
  } else {
    const departmentId = input.departmentId ?? actor.departmentId;
    const department = departmentId ? await findDepartment(ctx.tx, departmentId) : null;
    if (!department) {
      throw new AppError(NoticeErrors.NOTICE_DEPARTMENT_NOT_FOUND, {
        errors: [{ field: "/body/departmentId", message: "no such department" }],
      });
    }
    if (!departmentInScope(actor, scope, department.path)) {
      throw new AppError(NoticeErrors.NOTICE_AUDIENCE_FORBIDDEN, {
        message: "The department lies outside what you may publish to",
      });
    }
    recipientIds = { departmentId: department.id };
  }
  const created = await createNotice(ctx, {
    recipientIds,
    kind: "announcement",
    title: input.title,
    body: input.body,
    link: input.link ?? null,
  });
  if (created.recipients === 0) throw new AppError(NoticeErrors.NOTICE_NO_RECIPIENTS);
  return created;
}

export async function listNotices(ctx: Ctx, filter: { unreadOnly: boolean }, page: number, pageSize: number) {
  const actor = actorOf(ctx);
  const { rows, total, unread } = await searchNoticeRows(ctx.tx, actor.id, filter, page, pageSize);
  return { items: rows.map(toNotice), total, unread, page, pageSize };
}

/** Marks one of the caller's notices read; reading it again keeps the first time. */
export async function markNoticeRead(ctx: Ctx, noticeId: string) {
  const actor = actorOf(ctx);
  const result = await markRead(ctx.tx, noticeId, actor.id, ctx.clock.now().toISOString());
  if (!result) throw new AppError(NoticeErrors.NOTICE_NOT_FOUND);
  if (result.changed) {
    await appendAudit(ctx.tx, ctx, {
      action: "office.notice.read",
      resourceType: "notice",
      resourceId: noticeId,
    });
  }
  return toNotice((await findNoticeRow(ctx.tx, noticeId, actor.id))!);
}

function toNotice(row: NoticeRow) {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    link: row.link,
    sourceType: row.sourceType,
    sourceId: row.sourceId,
    audience: row.audience,
    department: row.departmentId ? { id: row.departmentId, name: row.departmentName ?? "" } : null,
    publishedBy: row.createdById ? { id: row.createdById, name: row.createdByName ?? "" } : null,
    createdAt: iso(row.createdAt),
    readAt: row.readAt ? iso(row.readAt) : null,
  };
}

function iso(value: string | Date): string {
  return new Date(value).toISOString();
}
