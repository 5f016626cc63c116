import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../../kernel/db/db";
import { queryRows, rawQuery } from "../../../kernel/db/db";
import type { Ctx } from "../../../kernel/http/context";
import { type ChatAttachmentRef, chatAttachments, chatMembers, chatPresence, chatRooms } from "./schema";

export interface RoomRow {
  id: string;
  kind: "direct" | "group";
  name: string | null;
  directKey: string | null;
  linkType: string | null;
  linkId: string | null;
  linkTitle: string | null;
  createdBy: string;
  createdAt: Date;
}

export async function findRoom(tx: Db, roomId: string): Promise<RoomRow | undefined> {
  const [row] = await tx.select().from(chatRooms).where(eq(chatRooms.id, roomId));
  return row as RoomRow | undefined;
}

export async function findRoomByDirectKey(tx: Db, key: string): Promise<RoomRow | undefined> {
  const [row] = await tx.select().from(chatRooms).where(eq(chatRooms.directKey, key));
  return row as RoomRow | undefined;
}

export async function findRoomByLink(tx: Db, type: string, id: string): Promise<RoomRow | undefined> {
  const [row] = await tx
    .select()
    .from(chatRooms)
    .where(and(eq(chatRooms.linkType, type), eq(chatRooms.linkId, id)));
  return row as RoomRow | undefined;
}

/** Inserts the room unless its direct pair or linked object has one already; returns whether it did. */
export async function insertRoom(tx: Db, row: RoomRow): Promise<boolean> {
  const inserted = await tx
    .insert(chatRooms)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: chatRooms.id });
  return inserted.length > 0;
}

/** Adds members who are not in the room yet; returns the ids actually added. */
export async function insertMembers(
  tx: Db,
  roomId: string,
  userIds: string[],
  addedBy: string | null,
  at: Date,
): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await tx
    .insert(chatMembers)
    .values(userIds.map((userId) => ({ roomId, userId, addedBy, joinedAt: at })))
    .onConflictDoNothing()
    .returning({ userId: chatMembers.userId });
  return rows.map((r) => r.userId);
}

export async function deleteMember(tx: Db, roomId: string, userId: string): Promise<boolean> {
  const rows = await tx
    .delete(chatMembers)
    .where(and(eq(chatMembers.roomId, roomId), eq(chatMembers.userId, userId)))
    .returning({ userId: chatMembers.userId });
  return rows.length > 0;
}

export async function isMember(tx: Db, roomId: string, userId: string): Promise<boolean> {
  const rows = await queryRows<{ one: number }>(
    tx,
    sql`select 1 as one from office.chat_members where room_id = ${roomId} and user_id = ${userId}`,
  );
  return rows.length > 0;
}

export async function memberIdsOf(tx: Db, roomId: string): Promise<string[]> {
  const rows = await queryRows<{ user_id: string }>(
    tx,
    sql`select user_id from office.chat_members where room_id = ${roomId}`,
  );
  return rows.map((r) => r.user_id);
}

export interface MemberRow {
  userId: string;
  name: string;
  position: string | null;
  departmentName: string | null;
  joinedAt: string;
  lastReadId: string | null;
  lastSeenAt: string | null;
}

export async function listMembers(tx: Db, roomId: string): Promise<MemberRow[]> {
  return queryRows<MemberRow>(
    tx,
    sql`select m.user_id as "userId", coalesce(u.display_name, '') as name, u.position,
          d.name as "departmentName", m.joined_at as "joinedAt", m.last_read_id as "lastReadId",
          p.last_seen_at as "lastSeenAt"
        from office.chat_members m
        left join identity.users u on u.id = m.user_id
        left join identity.departments d on d.id = u.department_id
        left join office.chat_presence p on p.user_id = m.user_id
        where m.room_id = ${roomId}
        order by m.joined_at, u.display_name`,
  );
}

/** Of the given ids, the active staff accounts, with their names. */
export async function findActiveStaff(tx: Db, ids: string[]): Promise<{ id: string; name: string }[]> {
  if (ids.length === 0) return [];
  return rawQuery<{ id: string; name: string }>(
    tx,
    `select id, display_name as name from identity.users
     where id = any($1::uuid[]) and kind = 'staff' and not disabled`,
    [ids],
  );
}

export interface RoomListRow {
  id: string;
  kind: "direct" | "group";
  name: string | null;
  linkType: string | null;
  linkId: string | null;
  linkTitle: string | null;
  createdAt: string;
  joinedAt: string;
  lastReadId: string | null;
  memberCount: number;
  unreadCount: number;
  peerId: string | null;
  peerName: string | null;
  lastId: string | null;
  lastText: string | null;
  lastAt: string | null;
  lastSenderId: string | null;
  lastSenderName: string | null;
  lastAttachments: number | null;
}

/** Unread counts stop at this many: the list shows 99+ long before. */
export const UNREAD_CAP = 1000;

const ROOM_LIST_SELECT = sql`select r.id, r.kind, r.name, r.link_type as "linkType", r.link_id as "linkId",
    r.link_title as "linkTitle", r.created_at as "createdAt", m.joined_at as "joinedAt",
    m.last_read_id as "lastReadId",
    (select count(*) from office.chat_members c where c.room_id = r.id)::int as "memberCount",
    (select count(*) from (select 1 from office.chat_messages x
       where x.room_id = r.id and x.sender_id <> m.user_id and (m.last_read_id is null or x.id > m.last_read_id)
       limit ${UNREAD_CAP}) u)::int as "unreadCount",
    peer.user_id as "peerId", pu.display_name as "peerName",
    lm.id as "lastId", left(lm.text, 200) as "lastText", lm.created_at as "lastAt",
    lm.sender_id as "lastSenderId", su.display_name as "lastSenderName",
    jsonb_array_length(lm.attachments) as "lastAttachments"
  from office.chat_members m
  join office.chat_rooms r on r.id = m.room_id
  left join lateral (select x.id, x.text, x.created_at, x.sender_id, x.attachments from office.chat_messages x
                     where x.room_id = r.id order by x.id desc limit 1) lm on true
  left join identity.users su on su.id = lm.sender_id
  left join lateral (select c.user_id from office.chat_members c
                     where r.kind = 'direct' and c.room_id = r.id and c.user_id <> m.user_id limit 1) peer on true
  left join identity.users pu on pu.id = peer.user_id`;

/** The rooms a user is in, the most recently active first. */
export async function listRoomsOf(tx: Db, userId: string): Promise<RoomListRow[]> {
  return queryRows<RoomListRow>(
    tx,
    sql`${ROOM_LIST_SELECT} where m.user_id = ${userId}
        order by coalesce(lm.created_at, m.joined_at) desc, r.id desc`,
  );
}

export async function findRoomOf(tx: Db, userId: string, roomId: string): Promise<RoomListRow | undefined> {
  const [row] = await queryRows<RoomListRow>(
    tx,
    sql`${ROOM_LIST_SELECT} where m.user_id = ${userId} and m.room_id = ${roomId}`,
  );
  return row;
}

export interface MessageRow {
  id: string;
  roomId: string;
  senderId: string;
  senderName: string | null;
  clientMessageId: string;
  text: string;
  attachments: ChatAttachmentRef[];
  createdAt: string;
}

/** jsonb arrives parsed from both drivers, but a text fallback costs nothing to handle. */
function parsedAttachments<T extends { attachments: ChatAttachmentRef[] }>(row: T): T {
  const raw = row.attachments as ChatAttachmentRef[] | string;
  return typeof raw === "string" ? { ...row, attachments: JSON.parse(raw) as ChatAttachmentRef[] } : row;
}

const MESSAGE_COLUMNS = sql`m.id, m.room_id as "roomId", m.sender_id as "senderId", u.display_name as "senderName",
  m.client_message_id as "clientMessageId", m.text, m.attachments, m.created_at as "createdAt"`;

/** A page of a room's messages, newest first, before the cursor (a message id) when given. */
export async function listMessagesPage(
  tx: Db,
  roomId: string,
  before: string | null,
  limit: number,
): Promise<MessageRow[]> {
  const rows = await queryRows<MessageRow>(
    tx,
    sql`select ${MESSAGE_COLUMNS} from office.chat_messages m
        left join identity.users u on u.id = m.sender_id
        where m.room_id = ${roomId} ${before ? sql`and m.id < ${before}` : sql``}
        order by m.id desc limit ${limit}`,
  );
  return rows.map(parsedAttachments);
}

export async function findMessageByClientId(
  tx: Db,
  senderId: string,
  clientMessageId: string,
): Promise<MessageRow | undefined> {
  const [row] = await queryRows<MessageRow>(
    tx,
    sql`select ${MESSAGE_COLUMNS} from office.chat_messages m left join identity.users u on u.id = m.sender_id
        where m.sender_id = ${senderId} and m.client_message_id = ${clientMessageId}`,
  );
  return row && parsedAttachments(row);
}

export async function messageInRoom(tx: Db, roomId: string, messageId: string): Promise<boolean> {
  const rows = await queryRows<{ one: number }>(
    tx,
    sql`select 1 as one from office.chat_messages where id = ${messageId} and room_id = ${roomId}`,
  );
  return rows.length > 0;
}

export interface PendingMessage {
  ctx: Ctx;
  id: string;
  roomId: string;
  clientMessageId: string;
  text: string;
  attachmentIds: string[];
  searchTerms: string[];
}

/**
 * Stores messages with their audit records and outbox events as one statement, for one request or
 * many grouped by WriteBatcher (like auditedBatchQuery, but audited against the room, not the
 * message). A message is stored only if its sender is a member of the room and every attachment
 * was uploaded by the sender; a clientMessageId the sender used before stores nothing. Returns,
 * for each stored message, its attachments and the room's members at that moment (its recipients).
 */
export async function insertMessages(
  db: Db,
  items: PendingMessage[],
): Promise<Map<string, { attachments: ChatAttachmentRef[]; recipients: string[] }>> {
  const params: unknown[] = [];
  const p = (value: unknown, type: string) => `$${params.push(value)}::${type}`;
  const tuples = items.map((m) => {
    const actor = m.ctx.actor!;
    return `(${[
      p(m.id, "uuid"),
      p(m.roomId, "uuid"),
      p(actor.id, "uuid"),
      p(m.clientMessageId, "text"),
      p(m.text, "text"),
      p(m.attachmentIds, "uuid[]"),
      p(m.searchTerms, "text[]"),
      p(m.ctx.clock.now().toISOString(), "timestamptz"),
      p(actor.displayName, "text"),
      p(actor.roles, "text[]"),
      p(m.ctx.ip, "text"),
      p(m.ctx.requestId, "text"),
    ].join(", ")})`;
  });
  const text = `with input (id, room_id, sender_id, client_message_id, text, attachment_ids, search_terms, at,
                             actor_name, actor_roles, ip, request_id) as (values ${tuples.join(", ")}),
    accepted as (
      select i.*, coalesce((select jsonb_agg(jsonb_build_object('id', a.id, 'name', a.name,
                                  'mediaType', a.media_type, 'size', a.size) order by array_position(i.attachment_ids, a.id))
                            from office.chat_attachments a
                            where a.id = any(i.attachment_ids) and a.uploaded_by = i.sender_id), '[]'::jsonb) as attachments
      from input i
      where exists (select 1 from office.chat_members m where m.room_id = i.room_id and m.user_id = i.sender_id)),
    stored as (
      insert into office.chat_messages (id, room_id, sender_id, client_message_id, text, attachments, search_terms, created_at)
      select id, room_id, sender_id, client_message_id, text, attachments, search_terms, at from accepted
      where jsonb_array_length(attachments) = cardinality(attachment_ids)
      on conflict (sender_id, client_message_id) do nothing
      returning id, room_id, attachments),
    audited as (
      insert into audit.records (at, actor_id, actor_name, actor_roles, action, resource_type, resource_id,
                                 outcome, ip, request_id, details)
      select i.at, i.sender_id, i.actor_name, i.actor_roles, 'chat.message.sent', 'chat_room', i.room_id::text,
             'success', i.ip, i.request_id,
             jsonb_build_object('messageId', i.id, 'attachments', cardinality(i.attachment_ids),
                                'length', char_length(i.text))
      from input i join stored s on s.id = i.id),
    -- Writing in a room means having read it up to one's own message.
    caught_up as (
      update office.chat_members m set last_read_id = s.id, last_read_at = i.at
      from stored s join input i on i.id = s.id
      where m.room_id = s.room_id and m.user_id = i.sender_id and (m.last_read_id is null or m.last_read_id < s.id)
      returning 1),
    published as (
      insert into platform.outbox (event_id, topic, version, payload)
      select gen_random_uuid(), 'office.chat.message.sent', 1,
             jsonb_build_object('messageId', i.id, 'roomId', i.room_id, 'senderId', i.sender_id)
      from input i join stored s on s.id = i.id)
    select s.id, s.attachments,
      array(select m.user_id from office.chat_members m where m.room_id = s.room_id) as recipients
    from stored s`;
  const rows = await rawQuery<{
    id: string;
    attachments: ChatAttachmentRef[] | string;
    recipients: string[];
  }>(db, text, params);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        attachments: parsedAttachments(r as { attachments: ChatAttachmentRef[] }).attachments,
        recipients: r.recipients,
      },
    ]),
  );
}

/** Of the given attachment ids, those the user uploaded. */
export async function ownAttachmentIds(tx: Db, userId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await rawQuery<{ id: string }>(
    tx,
    "select id from office.chat_attachments where id = any($1::uuid[]) and uploaded_by = $2",
    [ids, userId],
  );
  return new Set(rows.map((r) => r.id));
}

/** Moves a member's read pointer forward (never back); returns the pointer after the change. */
export async function advanceReadPointer(
  tx: Db,
  roomId: string,
  userId: string,
  messageId: string,
  at: Date,
): Promise<{ lastReadId: string; moved: boolean }> {
  const [row] = await queryRows<{ last_read_id: string; moved: boolean }>(
    tx,
    sql`with before as (select last_read_id from office.chat_members where room_id = ${roomId} and user_id = ${userId}),
        updated as (
          update office.chat_members set last_read_id = ${messageId}, last_read_at = ${at.toISOString()}
          where room_id = ${roomId} and user_id = ${userId}
            and (last_read_id is null or last_read_id < ${messageId})
          returning last_read_id)
        select coalesce((select last_read_id from updated), (select last_read_id from before)) as last_read_id,
               exists (select 1 from updated) as moved`,
  );
  return { lastReadId: row!.last_read_id, moved: row!.moved };
}

export async function insertAttachment(tx: Db, row: typeof chatAttachments.$inferInsert): Promise<void> {
  await tx.insert(chatAttachments).values(row);
}

export interface AttachmentRow {
  id: string;
  name: string;
  mediaType: string;
  size: number;
  sha256: string;
  content: Buffer;
  uploadedBy: string;
  createdAt: Date;
}

/**
 * The attachment, if the user may read it: they uploaded it, or they are a member of a room with a
 * message carrying it.
 */
export async function findReadableAttachment(
  tx: Db,
  attachmentId: string,
  userId: string,
): Promise<{ row: AttachmentRow; roomId: string | null } | { row: null; exists: boolean }> {
  const [row] = await tx.select().from(chatAttachments).where(eq(chatAttachments.id, attachmentId));
  if (!row) return { row: null, exists: false };
  const [room] = await queryRows<{ room_id: string }>(
    tx,
    sql`select m.room_id from office.chat_messages m
        join office.chat_members mb on mb.room_id = m.room_id and mb.user_id = ${userId}
        where m.attachments @> jsonb_build_array(jsonb_build_object('id', ${attachmentId}::text))
        limit 1`,
  );
  if (room) return { row: row as AttachmentRow, roomId: room.room_id };
  if (row.uploadedBy === userId) return { row: row as AttachmentRow, roomId: null };
  return { row: null, exists: true };
}

export interface SearchRow extends MessageRow {
  roomKind: "direct" | "group";
  roomName: string | null;
  peerName: string | null;
}

/**
 * Messages of the user's rooms whose terms contain all `terms` (or, with no terms, whose text
 * contains `needle`), newest first, before the cursor.
 */
export async function searchMessageCandidates(
  tx: Db,
  userId: string,
  filter: { terms: string[] } | { needle: string },
  before: string | null,
  limit: number,
): Promise<SearchRow[]> {
  const match =
    "terms" in filter
      ? sql`m.search_terms @> ${sql.param(filter.terms)}::text[]`
      : sql`strpos(lower(m.text), ${filter.needle}) > 0`;
  const rows = await queryRows<SearchRow>(
    tx,
    sql`select ${MESSAGE_COLUMNS}, r.kind as "roomKind", r.name as "roomName",
          (select pu.display_name from office.chat_members c join identity.users pu on pu.id = c.user_id
           where r.kind = 'direct' and c.room_id = r.id and c.user_id <> ${userId} limit 1) as "peerName"
        from office.chat_messages m
        join office.chat_members me on me.room_id = m.room_id and me.user_id = ${userId}
        join office.chat_rooms r on r.id = m.room_id
        left join identity.users u on u.id = m.sender_id
        where ${match} ${before ? sql`and m.id < ${before}` : sql``}
        order by m.id desc limit ${limit}`,
  );
  return rows.map(parsedAttachments);
}

export interface DirectoryDepartment {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
  staffCount: number;
}

export async function listDirectoryDepartments(tx: Db): Promise<DirectoryDepartment[]> {
  return queryRows<DirectoryDepartment>(
    tx,
    sql`select d.id, d.name, d.kind, d.parent_id as "parentId", coalesce(s.n, 0)::int as "staffCount"
        from identity.departments d
        left join (select department_id, count(*) as n from identity.users
                   where kind = 'staff' and not disabled group by department_id) s on s.department_id = d.id
        order by d.path`,
  );
}

export interface DirectoryStaff {
  id: string;
  name: string;
  position: string | null;
  departmentId: string | null;
  departmentName: string | null;
}

export async function searchDirectoryStaff(
  tx: Db,
  filter: { departmentId?: string | undefined; q?: string | undefined },
  limit: number,
): Promise<DirectoryStaff[]> {
  const q = filter.q?.trim();
  const like = q ? `%${q.replaceAll("\\", "\\\\").replaceAll("%", "\\%").replaceAll("_", "\\_")}%` : null;
  return queryRows<DirectoryStaff>(
    tx,
    sql`select u.id, u.display_name as name, u.position, u.department_id as "departmentId",
          d.name as "departmentName"
        from identity.users u left join identity.departments d on d.id = u.department_id
        where u.kind = 'staff' and not u.disabled
          ${filter.departmentId ? sql`and u.department_id = ${filter.departmentId}` : sql``}
          ${like ? sql`and (u.display_name like ${like} or u.username like ${like} or d.name like ${like})` : sql``}
        order by d.path nulls last, u.display_name limit ${limit}`,
  );
}

/** Everyone who shares a room with the user (whom their presence concerns). */
export async function roomPeersOf(db: Db, userId: string): Promise<string[]> {
  const rows = await queryRows<{ user_id: string }>(
    db,
    sql`select distinct o.user_id from office.chat_members m
        join office.chat_members o on o.room_id = m.room_id and o.user_id <> m.user_id
        where m.user_id = ${userId}`,
  );
  return rows.map((r) => r.user_id);
}

/** Of the given session token hashes, those still valid (not revoked or expired, account enabled). */
export async function liveSessionHashes(db: Db, hashes: string[], now: Date): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await rawQuery<{ token_hash: string }>(
    db,
    `select s.token_hash from identity.sessions s join identity.users u on u.id = s.user_id
     where s.token_hash = any($1::text[]) and s.revoked_at is null and s.expires_at > $2 and not u.disabled`,
    [hashes, now.toISOString()],
  );
  return new Set(rows.map((r) => r.token_hash));
}

export async function recordLastSeen(db: Db, userId: string, at: Date): Promise<void> {
  await db
    .insert(chatPresence)
    .values({ userId, lastSeenAt: at })
    .onConflictDoUpdate({ target: chatPresence.userId, set: { lastSeenAt: at } });
}

export async function lastSeenOf(tx: Db, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await rawQuery<{ user_id: string; last_seen_at: string }>(
    tx,
    "select user_id, last_seen_at from office.chat_presence where user_id = any($1::uuid[])",
    [userIds],
  );
  return new Map(rows.map((r) => [r.user_id, r.last_seen_at]));
}
