import type { Db } from "../../../kernel/db/db";
import { rawQuery } from "../../../kernel/db/db";

/** Queries of notices: reads and plain writes, no rules. */

export interface NoticeRow {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  sourceType: string | null;
  sourceId: string | null;
  audience: string;
  departmentId: string | null;
  departmentName: string | null;
  createdById: string | null;
  createdByName: string | null;
  createdAt: string;
  readAt: string | null;
}

export async function insertNotice(
  db: Db,
  row: {
    id: string;
    kind: string;
    title: string;
    body: string;
    link: string | null;
    sourceType: string | null;
    sourceId: string | null;
    audience: string;
    departmentId: string | null;
    createdBy: string | null;
    createdAt: string;
  },
): Promise<void> {
  await rawQuery(
    db,
    `insert into office.notices (id, kind, title, body, link, source_type, source_id, audience, department_id, created_by, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      row.id,
      row.kind,
      row.title,
      row.body,
      row.link,
      row.sourceType,
      row.sourceId,
      row.audience,
      row.departmentId,
      row.createdBy,
      row.createdAt,
    ],
  );
}

/**
 * Adds the recipients of a notice in one statement and returns how many there are. Recipients are
 * active accounts: the given ids, the staff of a department and its sub-departments, or all staff.
 */
export async function insertRecipients(
  db: Db,
  noticeId: string,
  createdAt: string,
  to: { userIds: string[] } | { departmentPath: string } | { district: true },
): Promise<number> {
  const params: unknown[] = [noticeId, createdAt];
  let where = "u.kind = 'staff'";
  if ("userIds" in to) {
    params.push(to.userIds);
    where = "u.id = any($3::uuid[])";
  } else if ("departmentPath" in to) {
    params.push(to.departmentPath);
    where = `u.kind = 'staff' and exists (select 1 from identity.departments d
               where d.id = u.department_id and d.path like $3 || '%')`;
  }
  const [row] = await rawQuery<{ n: number }>(
    db,
    `with added as (
       insert into office.notice_recipients (notice_id, user_id, created_at)
       select $1, u.id, $2 from identity.users u where not u.disabled and ${where}
       on conflict do nothing returning 1)
     select count(*)::int as n from added`,
    params,
  );
  return row?.n ?? 0;
}

export async function findDepartment(db: Db, id: string) {
  const [row] = await rawQuery<{ id: string; name: string; path: string }>(
    db,
    "select id, name, path from identity.departments where id = $1",
    [id],
  );
  return row ?? null;
}

const NOTICE_COLUMNS = `n.id, n.kind, n.title, n.body, n.link, n.source_type as "sourceType", n.source_id as "sourceId",
  n.audience, n.department_id as "departmentId", d.name as "departmentName", n.created_by as "createdById",
  u.display_name as "createdByName", n.created_at as "createdAt", r.read_at as "readAt"`;
const NOTICE_FROM = `office.notice_recipients r join office.notices n on n.id = r.notice_id
  left join identity.departments d on d.id = n.department_id
  left join identity.users u on u.id = n.created_by`;

/** A user's notices, unread first, newest first; with the total and the number unread. */
export async function searchNoticeRows(
  db: Db,
  userId: string,
  filter: { unreadOnly: boolean },
  page: number,
  pageSize: number,
) {
  const rows = await rawQuery<NoticeRow & { total: number }>(
    db,
    `select ${NOTICE_COLUMNS}, count(*) over ()::int as total from ${NOTICE_FROM}
     where r.user_id = $1 and ($2::boolean = false or r.read_at is null)
     order by (r.read_at is null) desc, r.created_at desc, r.notice_id desc
     limit $3 offset $4`,
    [userId, filter.unreadOnly, pageSize, (page - 1) * pageSize],
  );
  const [counts] = await rawQuery<{ unread: number }>(
    db,
    "select count(*)::int as unread from office.notice_recipients where user_id = $1 and read_at is null",
    [userId],
  );
  return { rows, total: rows[0]?.total ?? 0, unread: counts?.unread ?? 0 };
}

export async function findNoticeRow(db: Db, noticeId: string, userId: string): Promise<NoticeRow | null> {
  const [row] = await rawQuery<NoticeRow>(
    db,
    `select ${NOTICE_COLUMNS} from ${NOTICE_FROM} where r.notice_id = $1 and r.user_id = $2`,
    [noticeId, userId],
  );
  return row ?? null;
}

/**
 * Marks a notice read for a recipient. Returns when it was first read and whether this call did it,
 * or null when the user is not a recipient.
 */
export async function markRead(
  db: Db,
  noticeId: string,
  userId: string,
  at: string,
): Promise<{ readAt: string; changed: boolean } | null> {
  const [updated] = await rawQuery<{ readAt: string }>(
    db,
    `update office.notice_recipients set read_at = $3 where notice_id = $1 and user_id = $2 and read_at is null
     returning read_at as "readAt"`,
    [noticeId, userId, at],
  );
  if (updated) return { readAt: updated.readAt, changed: true };
  const [earlier] = await rawQuery<{ readAt: string }>(
    db,
    `select read_at as "readAt" from office.notice_recipients where notice_id = $1 and user_id = $2`,
    [noticeId, userId],
  );
  return earlier ? { readAt: earlier.readAt, changed: false } : null;
}
