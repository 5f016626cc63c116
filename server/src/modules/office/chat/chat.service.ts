import { createHash } from "node:crypto";
import { appendAudit } from "../../../kernel/audit/audit";
import { WriteBatcher } from "../../../kernel/db/batcher";
import type { Db } from "../../../kernel/db/db";
import { isEmbedded } from "../../../kernel/db/db";
import { newId } from "../../../kernel/db/ids";
import { publishEvent } from "../../../kernel/events/events";
import type { Ctx } from "../../../kernel/http/context";
import { AppError, HttpErrors } from "../../../kernel/http/errors";
import { matchesQuery, parseQuery, searchTerms } from "../../../kernel/text/search";
import {
  advanceReadPointer,
  deleteMember,
  findActiveStaff,
  findMessageByClientId,
  findReadableAttachment,
  findRoom,
  findRoomByDirectKey,
  findRoomByLink,
  findRoomOf,
  insertAttachment,
  insertMembers,
  insertMessages,
  insertRoom,
  isMember,
  lastSeenOf,
  listDirectoryDepartments,
  listMembers,
  listMessagesPage,
  listRoomsOf,
  type MemberRow,
  type MessageRow,
  memberIdsOf,
  messageInRoom,
  ownAttachmentIds,
  type PendingMessage,
  type RoomListRow,
  type RoomRow,
  searchDirectoryStaff,
  searchMessageCandidates,
} from "./chat.queries";
import { ChatErrors } from "./errors";
import type { ChatAttachmentRef } from "./schema";

/** Who is online right now, across server processes (the socket hub knows). */
export interface Presence {
  isOnline(userId: string): boolean;
}

export const LINK_TYPES = ["document", "case", "supervision"] as const;
export type LinkType = (typeof LINK_TYPES)[number];
export const MAX_TEXT = 5000;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export interface ChatRoomView {
  id: string;
  kind: "direct" | "group";
  /** The group's name, or for a direct room the other person's. */
  name: string;
  peer: { id: string; name: string; online: boolean } | null;
  link: { type: string; id: string; title: string } | null;
  memberCount: number;
  unreadCount: number;
  lastReadId: string | null;
  lastMessage: {
    id: string;
    sender: { id: string; name: string };
    text: string;
    attachmentCount: number;
    createdAt: string;
  } | null;
  createdAt: string;
}

export interface ChatMemberView {
  id: string;
  name: string;
  position: string | null;
  departmentName: string | null;
  online: boolean;
  lastSeenAt: string | null;
  lastReadId: string | null;
  joinedAt: string;
}

export interface ChatMessageView {
  id: string;
  roomId: string;
  clientMessageId: string;
  sender: { id: string; name: string };
  text: string;
  attachments: ChatAttachmentRef[];
  createdAt: string;
  /** Read receipts: members other than the sender whose read pointer has reached the message. */
  readCount: number;
  readers: { id: string; name: string }[];
}

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();
const isoOrNull = (value: Date | string | null): string | null => (value === null ? null : iso(value));

function me(ctx: Ctx) {
  return ctx.actor!;
}

function audit(ctx: Ctx, entry: Parameters<typeof appendAudit>[2]) {
  return appendAudit(ctx.tx, ctx, entry);
}

function roomView(row: RoomListRow, presence: Presence): ChatRoomView {
  return {
    id: row.id,
    kind: row.kind,
    name: row.kind === "direct" ? (row.peerName ?? "") : (row.name ?? ""),
    peer:
      row.kind === "direct" && row.peerId
        ? { id: row.peerId, name: row.peerName ?? "", online: presence.isOnline(row.peerId) }
        : null,
    link:
      row.linkType && row.linkId ? { type: row.linkType, id: row.linkId, title: row.linkTitle ?? "" } : null,
    memberCount: row.memberCount,
    unreadCount: row.unreadCount,
    lastReadId: row.lastReadId,
    lastMessage: row.lastId
      ? {
          id: row.lastId,
          sender: { id: row.lastSenderId ?? "", name: row.lastSenderName ?? "" },
          text: row.lastText ?? "",
          attachmentCount: row.lastAttachments ?? 0,
          createdAt: iso(row.lastAt!),
        }
      : null,
    createdAt: iso(row.createdAt),
  };
}

async function viewOf(ctx: Ctx, roomId: string, presence: Presence): Promise<ChatRoomView> {
  const row = await findRoomOf(ctx.tx, me(ctx).id, roomId);
  if (!row) throw new AppError(ChatErrors.CHAT_NOT_A_MEMBER);
  return roomView(row, presence);
}

/** The room, if it exists and the actor is in it: 404 for no room, 403 for someone else's. */
export async function requireMembership(ctx: Ctx, roomId: string): Promise<RoomRow> {
  const room = await findRoom(ctx.tx, roomId);
  if (!room) throw new AppError(ChatErrors.CHAT_ROOM_NOT_FOUND);
  if (!(await isMember(ctx.tx, roomId, me(ctx).id))) throw new AppError(ChatErrors.CHAT_NOT_A_MEMBER);
  return room;
}

/** The distinct ids other than the actor's, each checked to be an active staff account. */
async function checkMembers(ctx: Ctx, memberIds: string[], field: string): Promise<string[]> {
  const found = new Set((await findActiveStaff(ctx.tx, memberIds)).map((u) => u.id));
  const errors = memberIds.flatMap((id, i) =>
    found.has(id) ? [] : [{ field: `${field}/${i}`, message: "is not an active staff member" }],
  );
  if (errors.length > 0) throw new AppError(ChatErrors.CHAT_MEMBER_INVALID, { errors });
  return [...new Set(memberIds)].filter((id) => id !== me(ctx).id);
}

export interface RoomChange {
  room: ChatRoomView;
  /** Users who joined by this call (they get a `room` event), and everyone now in the room. */
  added: string[];
  members: string[];
}

export interface CreateRoomInput {
  kind: "direct" | "group";
  name?: string | undefined;
  memberIds: string[];
  link?: { type: LinkType; id: string; title: string } | undefined;
}

export async function createChatRoom(
  ctx: Ctx,
  input: CreateRoomInput,
  presence: Presence,
): Promise<RoomChange> {
  if (input.kind === "group" && input.link) {
    return openLinkedRoom(ctx, { ...input.link, memberIds: input.memberIds }, presence, {
      requireMembership: true,
      name: input.name,
    });
  }
  if (input.kind === "direct" && input.link) {
    throw new AppError(HttpErrors.VALIDATION_FAILED, {
      errors: [{ field: "/body/link", message: "a direct chat cannot be linked; open a group for the item" }],
    });
  }
  const others = await checkMembers(ctx, input.memberIds, "/body/memberIds");
  const self = me(ctx).id;
  const now = ctx.clock.now();
  if (input.kind === "direct") {
    if (others.length !== 1) {
      throw new AppError(ChatErrors.CHAT_DIRECT_MEMBERS, {
        errors: [{ field: "/body/memberIds", message: "must name exactly one other person" }],
      });
    }
    const directKey = [self, others[0]!].sort().join(":");
    const existing = await findRoomByDirectKey(ctx.tx, directKey);
    if (existing) return { room: await viewOf(ctx, existing.id, presence), added: [], members: [] };
    const id = newId();
    const created = await insertRoom(ctx.tx, {
      ...emptyRoom(id, "direct", self, now),
      directKey,
    });
    if (!created) {
      // The other person opened the same conversation at the same moment.
      const winner = (await findRoomByDirectKey(ctx.tx, directKey))!;
      return { room: await viewOf(ctx, winner.id, presence), added: [], members: [] };
    }
    return finishCreation(ctx, id, "direct", [self, ...others], null, presence);
  }
  const id = newId();
  const name = input.name?.trim() || (await defaultGroupName(ctx, [self, ...others]));
  await insertRoom(ctx.tx, { ...emptyRoom(id, "group", self, now), name });
  return finishCreation(ctx, id, "group", [self, ...others], null, presence);
}

function emptyRoom(id: string, kind: "direct" | "group", createdBy: string, at: Date): RoomRow {
  return {
    id,
    kind,
    name: null,
    directKey: null,
    linkType: null,
    linkId: null,
    linkTitle: null,
    createdBy,
    createdAt: at,
  };
}

async function defaultGroupName(ctx: Ctx, ids: string[]): Promise<string> {
  const byId = new Map((await findActiveStaff(ctx.tx, ids)).map((u) => [u.id, u.name]));
  const names = ids.map((id) => byId.get(id) ?? "").filter(Boolean);
  return `${names.slice(0, 3).join("、")}${names.length > 3 ? "等" : ""}`;
}

async function finishCreation(
  ctx: Ctx,
  roomId: string,
  kind: "direct" | "group",
  memberIds: string[],
  link: { type: string; id: string } | null,
  presence: Presence,
): Promise<RoomChange> {
  const self = me(ctx).id;
  await insertMembers(ctx.tx, roomId, memberIds, self, ctx.clock.now());
  await audit(ctx, {
    action: "chat.room.created",
    resourceType: "chat_room",
    resourceId: roomId,
    details: { kind, memberIds, ...(link ? { link } : {}) },
  });
  await publishEvent(ctx.tx, "office.chat.room.created", { roomId, kind, memberIds, link });
  return { room: await viewOf(ctx, roomId, presence), added: memberIds, members: memberIds };
}

/** Whether the actor may see a linked item (and so join its room): registered by the part that owns the items. */
export type LinkAccessCheck = (ctx: Ctx, itemId: string) => Promise<boolean>;
const linkAccess = new Map<LinkType, LinkAccessCheck>();

export function allowLinkAccess(type: LinkType, check: LinkAccessCheck): void {
  linkAccess.set(type, check);
}

/**
 * The room linked to a document, case or supervision item, created on first use (one per item). The
 * caller and `memberIds` are added. Other office parts call this after checking the caller may see
 * the item. Over HTTP (`requireMembership`) the item's id alone does not let anyone into its
 * discussion: an existing room opens for its members, and for whoever the item's owner says may see
 * it (allowLinkAccess); with such a check, a room is only created by someone who passes it.
 */
export async function openLinkedRoom(
  ctx: Ctx,
  input: { type: LinkType; id: string; title: string; memberIds?: string[] | undefined },
  presence: Presence,
  options: { requireMembership?: boolean; name?: string | undefined } = {},
): Promise<RoomChange> {
  const others = await checkMembers(ctx, input.memberIds ?? [], "/body/memberIds");
  const self = me(ctx).id;
  const existing = await findRoomByLink(ctx.tx, input.type, input.id);
  const check = linkAccess.get(input.type);
  // Over HTTP, the part that owns the item decides who may see it (when it said how).
  const mayJoin = async () => (check ? check(ctx, input.id) : false);
  if (options.requireMembership && !existing && check && !(await check(ctx, input.id))) {
    throw new AppError(ChatErrors.CHAT_NOT_A_MEMBER, { message: "You may not see this item" });
  }
  if (!existing) {
    const id = newId();
    const created = await insertRoom(ctx.tx, {
      ...emptyRoom(id, "group", self, ctx.clock.now()),
      name: options.name?.trim() || input.title,
      linkType: input.type,
      linkId: input.id,
      linkTitle: input.title,
    });
    if (created)
      return finishCreation(
        ctx,
        id,
        "group",
        [self, ...others],
        { type: input.type, id: input.id },
        presence,
      );
  }
  const room = existing ?? (await findRoomByLink(ctx.tx, input.type, input.id))!;
  const inRoom = await isMember(ctx.tx, room.id, self);
  if (!inRoom && options.requireMembership && !(await mayJoin()))
    throw new AppError(ChatErrors.CHAT_NOT_A_MEMBER);
  return addMembers(ctx, room, inRoom ? others : [self, ...others], presence);
}

async function addMembers(
  ctx: Ctx,
  room: RoomRow,
  userIds: string[],
  presence: Presence,
): Promise<RoomChange> {
  const added = await insertMembers(ctx.tx, room.id, userIds, me(ctx).id, ctx.clock.now());
  const members = await memberIdsOf(ctx.tx, room.id);
  if (added.length > 0) {
    await audit(ctx, {
      action: "chat.members.added",
      resourceType: "chat_room",
      resourceId: room.id,
      details: { userIds: added },
    });
    await publishEvent(ctx.tx, "office.chat.members.added", { roomId: room.id, userIds: added, members });
  }
  return { room: await viewOf(ctx, room.id, presence), added, members };
}

export async function addChatMembers(
  ctx: Ctx,
  roomId: string,
  memberIds: string[],
  presence: Presence,
): Promise<RoomChange> {
  const room = await requireMembership(ctx, roomId);
  if (room.kind === "direct") throw new AppError(ChatErrors.CHAT_DIRECT_FIXED);
  const others = await checkMembers(ctx, memberIds, "/body/memberIds");
  return addMembers(ctx, room, others, presence);
}

export async function leaveChatRoom(ctx: Ctx, roomId: string): Promise<{ members: string[] }> {
  const room = await requireMembership(ctx, roomId);
  if (room.kind === "direct") throw new AppError(ChatErrors.CHAT_DIRECT_FIXED);
  await deleteMember(ctx.tx, roomId, me(ctx).id);
  await audit(ctx, { action: "chat.member.left", resourceType: "chat_room", resourceId: roomId });
  const members = await memberIdsOf(ctx.tx, roomId);
  await publishEvent(ctx.tx, "office.chat.member.left", { roomId, userId: me(ctx).id, members });
  return { members };
}

export async function listChatRooms(ctx: Ctx, presence: Presence): Promise<ChatRoomView[]> {
  return (await listRoomsOf(ctx.tx, me(ctx).id)).map((row) => roomView(row, presence));
}

export async function getChatRoom(
  ctx: Ctx,
  roomId: string,
  presence: Presence,
): Promise<ChatRoomView & { members: ChatMemberView[] }> {
  await requireMembership(ctx, roomId);
  const room = await viewOf(ctx, roomId, presence);
  const members = await listMembers(ctx.tx, roomId);
  return { ...room, members: members.map((m) => memberView(m, presence)) };
}

function memberView(m: MemberRow, presence: Presence): ChatMemberView {
  return {
    id: m.userId,
    name: m.name,
    position: m.position,
    departmentName: m.departmentName,
    online: presence.isOnline(m.userId),
    lastSeenAt: isoOrNull(m.lastSeenAt),
    lastReadId: m.lastReadId,
    joinedAt: iso(m.joinedAt),
  };
}

/** Who of the members has read each message: their read pointer reached it (ids order as time). */
function withReceipts(rows: MessageRow[], members: MemberRow[]): ChatMessageView[] {
  return rows.map((row) => {
    const readers = members
      .filter((m) => m.userId !== row.senderId && m.lastReadId !== null && m.lastReadId >= row.id)
      .map((m) => ({ id: m.userId, name: m.name }));
    return {
      id: row.id,
      roomId: row.roomId,
      clientMessageId: row.clientMessageId,
      sender: { id: row.senderId, name: row.senderName ?? "" },
      text: row.text,
      attachments: row.attachments,
      createdAt: iso(row.createdAt),
      readCount: readers.length,
      readers,
    };
  });
}

export async function listMessages(
  ctx: Ctx,
  roomId: string,
  page: { before?: string | undefined; limit: number },
): Promise<{ items: ChatMessageView[]; nextCursor: string | null }> {
  await requireMembership(ctx, roomId);
  const rows = await listMessagesPage(ctx.tx, roomId, page.before ?? null, page.limit + 1);
  const more = rows.length > page.limit;
  const items = withReceipts(rows.slice(0, page.limit), await listMembers(ctx.tx, roomId));
  return { items, nextCursor: more ? items.at(-1)!.id : null };
}

export interface SendInput {
  text: string;
  attachmentIds?: string[] | undefined;
  clientMessageId: string;
}

export interface Sent {
  message: ChatMessageView;
  /** Everyone in the room when it was stored; empty when this was a retry of a stored message. */
  recipients: string[];
  replayed: boolean;
}

const batchers = new WeakMap<Db, WriteBatcher<PendingMessage, StoredMessage | null>>();
type StoredMessage = { attachments: ChatAttachmentRef[]; recipients: string[] };

function batcherFor(db: Db) {
  let batcher = batchers.get(db);
  if (!batcher) {
    // PGlite runs one statement at a time on this thread: a second flush in flight only splits batches.
    const concurrency = isEmbedded(db) ? 1 : 4;
    batcher = new WriteBatcher<PendingMessage, StoredMessage | null>(
      async (items) => {
        const stored = await insertMessages(db, items);
        return items.map((item) => stored.get(item.id) ?? null);
      },
      { maxBatch: 200, concurrency },
    );
    batchers.set(db, batcher);
  }
  return batcher;
}

/**
 * Stores a message with its audit record and event in one statement; under load, concurrent sends
 * share the statement (group commit). A send that stored nothing is explained afterwards: a retry
 * of a stored message (same clientMessageId) returns that message, anything else is refused.
 */
export async function sendMessage(ctx: Ctx, roomId: string, input: SendInput): Promise<Sent> {
  const attachmentIds = input.attachmentIds ?? [];
  if (input.text.trim() === "" && attachmentIds.length === 0) {
    throw new AppError(HttpErrors.VALIDATION_FAILED, {
      errors: [{ field: "/body/text", message: "must not be empty when there are no attachments" }],
    });
  }
  const item: PendingMessage = {
    ctx,
    id: newId(),
    roomId,
    clientMessageId: input.clientMessageId,
    text: input.text,
    attachmentIds,
    searchTerms: searchTerms(input.text),
  };
  const stored = ctx.batchable
    ? await batcherFor(ctx.tx).submit(item)
    : ((await insertMessages(ctx.tx, [item])).get(item.id) ?? null);
  const actor = me(ctx);
  if (stored) {
    return {
      message: {
        id: item.id,
        roomId,
        clientMessageId: item.clientMessageId,
        sender: { id: actor.id, name: actor.displayName },
        text: item.text,
        attachments: stored.attachments,
        createdAt: ctx.clock.now().toISOString(),
        readCount: 0,
        readers: [],
      },
      recipients: stored.recipients,
      replayed: false,
    };
  }
  return explainUnsent(ctx, roomId, input, attachmentIds);
}

async function explainUnsent(
  ctx: Ctx,
  roomId: string,
  input: SendInput,
  attachmentIds: string[],
): Promise<Sent> {
  const previous = await findMessageByClientId(ctx.tx, me(ctx).id, input.clientMessageId);
  if (previous) {
    const same =
      previous.roomId === roomId &&
      previous.text === input.text &&
      JSON.stringify(previous.attachments.map((a) => a.id)) === JSON.stringify(attachmentIds);
    if (!same) {
      throw new AppError(ChatErrors.CHAT_CLIENT_MESSAGE_ID_REUSED, {
        errors: [{ field: "/body/clientMessageId", message: "was used for another message" }],
      });
    }
    const [message] = withReceipts([previous], await listMembers(ctx.tx, roomId));
    return { message: message!, recipients: [], replayed: true };
  }
  await requireMembership(ctx, roomId);
  const own = await ownAttachmentIds(ctx.tx, me(ctx).id, attachmentIds);
  const errors = attachmentIds.flatMap((id, i) =>
    own.has(id) ? [] : [{ field: `/body/attachmentIds/${i}`, message: "is unknown or not uploaded by you" }],
  );
  if (errors.length > 0) throw new AppError(ChatErrors.CHAT_ATTACHMENT_INVALID, { errors });
  throw new AppError(HttpErrors.CONFLICT, { message: "The message was not stored; send it again" });
}

export async function markRoomRead(
  ctx: Ctx,
  roomId: string,
  messageId: string,
): Promise<{ roomId: string; lastReadId: string; members: string[]; moved: boolean }> {
  await requireMembership(ctx, roomId);
  if (!(await messageInRoom(ctx.tx, roomId, messageId))) {
    throw new AppError(ChatErrors.CHAT_MESSAGE_NOT_FOUND, {
      errors: [{ field: "/body/messageId", message: "is not a message of this room" }],
    });
  }
  const pointer = await advanceReadPointer(ctx.tx, roomId, me(ctx).id, messageId, ctx.clock.now());
  if (pointer.moved) {
    await audit(ctx, {
      action: "chat.room.read",
      resourceType: "chat_room",
      resourceId: roomId,
      details: { messageId },
    });
  }
  return {
    roomId,
    lastReadId: pointer.lastReadId,
    members: pointer.moved ? await memberIdsOf(ctx.tx, roomId) : [],
    moved: pointer.moved,
  };
}

export interface AttachmentView {
  id: string;
  name: string;
  mediaType: string;
  size: number;
  sha256: string;
}

export async function uploadChatAttachment(
  ctx: Ctx,
  input: { name: string; mediaType: string; content: Buffer },
): Promise<AttachmentView> {
  if (input.content.length === 0) {
    throw new AppError(ChatErrors.CHAT_ATTACHMENT_EMPTY, {
      errors: [{ field: "/body", message: "must not be empty" }],
    });
  }
  const id = newId();
  const sha256 = createHash("sha256").update(input.content).digest("hex");
  await insertAttachment(ctx.tx, {
    id,
    uploadedBy: me(ctx).id,
    name: input.name,
    mediaType: input.mediaType,
    size: input.content.length,
    sha256,
    content: input.content,
    createdAt: ctx.clock.now(),
  });
  await audit(ctx, {
    action: "chat.attachment.uploaded",
    resourceType: "chat_attachment",
    resourceId: id,
    details: { size: input.content.length, mediaType: input.mediaType, sha256 },
  });
  return { id, name: input.name, mediaType: input.mediaType, size: input.content.length, sha256 };
}

export async function getChatAttachment(
  ctx: Ctx,
  attachmentId: string,
): Promise<AttachmentView & { content: Buffer }> {
  const found = await findReadableAttachment(ctx.tx, attachmentId, me(ctx).id);
  if (!found.row) {
    throw new AppError(found.exists ? ChatErrors.CHAT_NOT_A_MEMBER : ChatErrors.CHAT_ATTACHMENT_NOT_FOUND);
  }
  const { row } = found;
  return {
    id: row.id,
    name: row.name,
    mediaType: row.mediaType,
    size: row.size,
    sha256: row.sha256,
    content: Buffer.from(row.content),
  };
}

export interface SearchHit extends ChatMessageView {
  roomName: string;
  roomKind: "direct" | "group";
}

/** Rounds of candidates looked at for one page: bigrams can match where the words do not. */
const SEARCH_ROUNDS = 4;

export async function searchMessages(
  ctx: Ctx,
  input: { q: string; before?: string | undefined; limit: number },
): Promise<{ items: SearchHit[]; nextCursor: string | null }> {
  const query = parseQuery(input.q);
  if (!query) {
    throw new AppError(HttpErrors.VALIDATION_FAILED, {
      errors: [{ field: "/query/q", message: "must contain letters or digits" }],
    });
  }
  const filter = query.terms.length > 0 ? { terms: query.terms } : { needle: query.runs[0]! };
  const batch = input.limit * 2;
  const hits: SearchHit[] = [];
  let cursor = input.before ?? null;
  let more = true;
  rounds: for (let round = 0; round < SEARCH_ROUNDS; round++) {
    const rows = await searchMessageCandidates(ctx.tx, me(ctx).id, filter, cursor, batch);
    for (const [i, row] of rows.entries()) {
      cursor = row.id;
      if (!matchesQuery(row.text, query)) continue;
      const [view] = withReceipts([row], []);
      hits.push({
        ...view!,
        roomKind: row.roomKind,
        roomName: row.roomKind === "direct" ? (row.peerName ?? "") : (row.roomName ?? ""),
      });
      if (hits.length === input.limit) {
        more = i < rows.length - 1 || rows.length === batch;
        break rounds;
      }
    }
    if (rows.length < batch) {
      more = false;
      break;
    }
  }
  // After SEARCH_ROUNDS full rounds the page may be short; the cursor lets the client look further.
  return { items: hits, nextCursor: more ? cursor : null };
}

export async function listChatDepartments(ctx: Ctx) {
  return listDirectoryDepartments(ctx.tx);
}

export async function searchChatStaff(
  ctx: Ctx,
  filter: { departmentId?: string | undefined; q?: string | undefined },
  presence: Presence,
) {
  const staff = await searchDirectoryStaff(ctx.tx, filter, 200);
  const seen = await lastSeenOf(
    ctx.tx,
    staff.map((s) => s.id),
  );
  return staff.map((s) => ({
    ...s,
    online: presence.isOnline(s.id),
    lastSeenAt: isoOrNull(seen.get(s.id) ?? null),
  }));
}
