import { sql } from "drizzle-orm";
import { index, integer, jsonb, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { bytea } from "../../../kernel/db/schema";
import { office } from "../schema";

/** An attachment as a message carries it (the content stays in chat_attachments). */
export interface ChatAttachmentRef {
  id: string;
  name: string;
  mediaType: string;
  size: number;
}

/**
 * A chat room (即时通讯): a direct conversation between two staff members, or a group. A room may be
 * linked to one document, case or supervision item; there is at most one room per linked object.
 */
export const chatRooms = office.table(
  "chat_rooms",
  {
    id: uuid("id").primaryKey(),
    /** direct | group */
    kind: text("kind").notNull(),
    /** Groups only; a direct room shows the other member's name. */
    name: text("name"),
    /** Direct rooms: the two member ids in order, so the pair has one room. */
    directKey: text("direct_key"),
    /** document | case | supervision */
    linkType: text("link_type"),
    linkId: text("link_id"),
    linkTitle: text("link_title"),
    createdBy: uuid("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("chat_rooms_direct").on(t.directKey),
    uniqueIndex("chat_rooms_link").on(t.linkType, t.linkId),
  ],
);

/** Who is in a room, and how far they have read (a UUIDv7 message id: ids order as time does). */
export const chatMembers = office.table(
  "chat_members",
  {
    roomId: uuid("room_id").notNull(),
    userId: uuid("user_id").notNull(),
    addedBy: uuid("added_by"),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull(),
    lastReadId: uuid("last_read_id"),
    lastReadAt: timestamp("last_read_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] }), index("chat_members_user").on(t.userId)],
);

/**
 * A message. `clientMessageId` is chosen by the sender's client, so a retried send finds its first
 * attempt. `searchTerms` are the text's bigrams (search.ts), for Chinese text search with a GIN index.
 */
export const chatMessages = office.table(
  "chat_messages",
  {
    id: uuid("id").primaryKey(),
    roomId: uuid("room_id").notNull(),
    senderId: uuid("sender_id").notNull(),
    clientMessageId: text("client_message_id").notNull(),
    text: text("text").notNull(),
    attachments: jsonb("attachments").$type<ChatAttachmentRef[]>().notNull().default(sql`'[]'::jsonb`),
    searchTerms: text("search_terms").array().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("chat_messages_room").on(t.roomId, t.id),
    uniqueIndex("chat_messages_client").on(t.senderId, t.clientMessageId),
    index("chat_messages_terms").using("gin", t.searchTerms),
    index("chat_messages_attachments").using("gin", t.attachments.op("jsonb_path_ops")),
  ],
);

/** Uploaded files; readable by the uploader and by members of a room with a message that carries them. */
export const chatAttachments = office.table(
  "chat_attachments",
  {
    id: uuid("id").primaryKey(),
    uploadedBy: uuid("uploaded_by").notNull(),
    name: text("name").notNull(),
    mediaType: text("media_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    content: bytea("content").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("chat_attachments_uploader").on(t.uploadedBy, t.createdAt)],
);

/** When a staff member's last chat connection closed (online status itself lives in memory). */
export const chatPresence = office.table("chat_presence", {
  userId: uuid("user_id").primaryKey(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
});
