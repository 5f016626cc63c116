import { index, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { office } from "../schema";

/**
 * A notice: a 通知公告 published to a department or the whole district, or a personal notification
 * that other office features raise ("a document was distributed to your department", "a supervision
 * item is due"). Recipients are fixed when it is created (notice_recipients).
 */
export const notices = office.table(
  "notices",
  {
    id: uuid("id").primaryKey(),
    /** announcement (通知公告) | document_distributed | supervision_due | … (snake_case, set by the caller) */
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    /** A path in the web app the notice leads to, e.g. /office/documents/<id> */
    link: text("link"),
    /** What raised it (document, supervision, …) and that record's id */
    sourceType: text("source_type"),
    sourceId: text("source_id"),
    /** personal | department | district: whom it was addressed to */
    audience: text("audience").notNull(),
    /** The department a department-wide notice went to */
    departmentId: uuid("department_id"),
    /** null when the platform raised it */
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("notices_source").on(t.sourceType, t.sourceId)],
);

/** One recipient of a notice and when they read it. */
export const noticeRecipients = office.table(
  "notice_recipients",
  {
    noticeId: uuid("notice_id").notNull(),
    userId: uuid("user_id").notNull(),
    /** Copied from the notice, so "mine, unread first, newest first" is one index scan. */
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    readAt: timestamp("read_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.noticeId, t.userId] }),
    index("notice_recipients_inbox").on(t.userId, t.readAt, t.createdAt),
  ],
);
