import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { bytea } from "../../kernel/db/schema";

/** 一网协同: official documents, their numbers, revisions and distribution; supervision items. */
export const office = pgSchema("office");

/**
 * An official document (公文) with the GB/T 9704 elements. Outgoing documents are drafted here and
 * routed by the 发文 process; each department a document is distributed to gets an incoming record
 * of its own (direction "incoming", sourceDocumentId set) routed by the 收文 process.
 */
export const documents = office.table(
  "documents",
  {
    id: uuid("id").primaryKey(),
    direction: text("direction").notNull(), // outgoing | incoming
    /** 决定, 通知, 通报, 报告, 请示, 批复, 函, 纪要 … (see documents/elements.ts) */
    docType: text("doc_type").notNull(),
    /** draft → reviewing → signed_off → numbered → sealed → distributed; incoming: received → … → archived */
    status: text("status").notNull(),
    departmentId: uuid("department_id").notNull(),
    /** 份号 */
    copyNo: text("copy_no"),
    /** 密级: none | secret (秘密) | confidential (机密) | top_secret (绝密) */
    classification: text("classification").notNull().default("none"),
    /** 保密期限, e.g. "5年" */
    secrecyPeriod: text("secrecy_period"),
    /** 紧急程度: normal | urgent (加急) | extra_urgent (特急) */
    urgency: text("urgency").notNull().default("normal"),
    /** 发文机关标志, e.g. "广州市海珠区人民政府文件" */
    organMark: text("organ_mark").notNull(),
    /** 机关代字 of the 发文字号, e.g. "海府" */
    organCode: text("organ_code").notNull(),
    /** 发文字号, e.g. 海府〔2026〕12号 — assigned once, at 编号 */
    number: text("number"),
    numberYear: integer("number_year"),
    numberSeq: integer("number_seq"),
    /** 签发人 (shown on 上行文) */
    signer: text("signer"),
    signedOffAt: timestamp("signed_off_at", { withTimezone: true }),
    title: text("title").notNull(),
    /** 主送机关 */
    mainRecipients: jsonb("main_recipients").$type<string[]>().notNull(),
    /** 正文 */
    body: text("body").notNull(),
    /** 附件说明: the attachments' names in order */
    attachmentNotes: jsonb("attachment_notes").$type<string[]>().notNull(),
    /** 发文机关署名 */
    signatureOrg: text("signature_org").notNull(),
    /** 成文日期 */
    writtenDate: date("written_date", { mode: "string" }),
    /** 附注 */
    note: text("note"),
    /** 抄送机关 */
    ccRecipients: jsonb("cc_recipients").$type<string[]>().notNull(),
    /** 印发机关 and 印发日期 */
    printingOrg: text("printing_org"),
    printingDate: date("printing_date", { mode: "string" }),
    /** 用印: when and with which seal key the rendered PDF was sealed */
    sealedAt: timestamp("sealed_at", { withTimezone: true }),
    sealKeyId: uuid("seal_key_id"),
    /** where 分发 sends the document: [{departmentId, role: "main" | "cc"}] */
    recipients: jsonb("recipients").$type<{ departmentId: string; role: "main" | "cc" }[]>().notNull(),
    /** departments that countersign (会签) before 签发 */
    countersignDepartmentIds: jsonb("countersign_department_ids").$type<string[]>().notNull(),
    /** the incoming record's outgoing original */
    sourceDocumentId: uuid("source_document_id"),
    /** the 发文/收文 process instance routing this record */
    instanceId: uuid("instance_id"),
    revision: integer("revision").notNull().default(1),
    createdBy: uuid("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("documents_number").on(t.organCode, t.numberYear, t.numberSeq),
    index("documents_department").on(t.departmentId, t.direction, t.createdAt),
    index("documents_source").on(t.sourceDocumentId),
    index("documents_instance").on(t.instanceId),
  ],
);

/** The gap-free counter behind 发文字号: one row per 机关代字 and year, locked while a number is taken. */
export const documentNumberCounters = office.table(
  "document_number_counters",
  {
    organCode: text("organ_code").notNull(),
    year: integer("year").notNull(),
    last: integer("last").notNull(),
  },
  (t) => [primaryKey({ columns: [t.organCode, t.year] })],
);

/** Every change of a document: who changed which fields, and the body's changes as a line diff. */
export const documentRevisions = office.table(
  "document_revisions",
  {
    documentId: uuid("document_id").notNull(),
    revision: integer("revision").notNull(),
    changedBy: uuid("changed_by"),
    changedByName: text("changed_by_name").notNull(),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull(),
    /** field → {from, to} for every element but the body */
    changes: jsonb("changes").notNull(),
    /** the body's track changes: [{op: "equal"|"insert"|"delete", text}] */
    bodyDiff: jsonb("body_diff"),
    comment: text("comment"),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.revision] })],
);

/** Files of a document: attachments (附件) and the sealed PDF. */
export const documentFiles = office.table(
  "document_files",
  {
    id: uuid("id").primaryKey(),
    documentId: uuid("document_id").notNull(),
    kind: text("kind").notNull(), // attachment | sealed_pdf
    name: text("name").notNull(),
    mediaType: text("media_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    content: bytea("content").notNull(),
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("document_files_document").on(t.documentId, t.kind)],
);

/** One recipient department of a distributed document and what it did with it. */
export const distributions = office.table(
  "distributions",
  {
    documentId: uuid("document_id").notNull(),
    departmentId: uuid("department_id").notNull(),
    /** main | cc */
    role: text("role").notNull(),
    incomingDocumentId: uuid("incoming_document_id").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull(),
    /** 签收 */
    receivedAt: timestamp("received_at", { withTimezone: true }),
    receivedBy: uuid("received_by"),
    /** the first reading by anyone of the department */
    firstReadAt: timestamp("first_read_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.documentId, t.departmentId] }),
    uniqueIndex("distributions_incoming").on(t.incomingDocumentId),
  ],
);

/** Who has read a document (outgoing or incoming), first and last time. */
export const documentReads = office.table(
  "document_reads",
  {
    documentId: uuid("document_id").notNull(),
    userId: uuid("user_id").notNull(),
    firstReadAt: timestamp("first_read_at", { withTimezone: true }).notNull(),
    lastReadAt: timestamp("last_read_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.userId] })],
);

/**
 * A supervision item (督办): from a leader's instruction, a document, a meeting or a city case, owned
 * by departments, with a deadline and required progress reports.
 */
export const supervisionItems = office.table(
  "supervision_items",
  {
    id: uuid("id").primaryKey(),
    title: text("title").notNull(),
    description: text("description").notNull(),
    /** instruction (领导批示) | document | meeting | case */
    sourceType: text("source_type").notNull(),
    /** the document id, case number or meeting reference the item came from */
    sourceRef: text("source_ref"),
    leadDepartmentId: uuid("lead_department_id").notNull(),
    /** co-owner departments (协办) */
    coDepartmentIds: jsonb("co_department_ids").$type<string[]>().notNull(),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    /** a progress report is required every N working days; null: only at the end */
    reportEveryDays: integer("report_every_days"),
    /** reminders start this many working days before the deadline */
    remindDays: integer("remind_days").notNull(),
    /** open | completed | cancelled */
    status: text("status").notNull(),
    progress: integer("progress").notNull().default(0),
    lastReportAt: timestamp("last_report_at", { withTimezone: true }),
    escalatedAt: timestamp("escalated_at", { withTimezone: true }),
    escalationLevel: integer("escalation_level").notNull().default(0),
    createdBy: uuid("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    index("supervision_lead").on(t.leadDepartmentId, t.status, t.dueAt),
    index("supervision_due").on(t.status, t.dueAt),
  ],
);

export const supervisionReports = office.table(
  "supervision_reports",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    itemId: uuid("item_id").notNull(),
    departmentId: uuid("department_id").notNull(),
    reportedBy: uuid("reported_by").notNull(),
    progress: integer("progress").notNull(),
    text: text("text").notNull(),
    /** the report closes the item (办结) */
    completes: boolean("completes").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [index("supervision_reports_item").on(t.itemId, t.createdAt)],
);

/** 印章管理: who may apply a department's seal (用印). */
export const sealKeepers = office.table(
  "seal_keepers",
  {
    departmentId: uuid("department_id").notNull(),
    userId: uuid("user_id").notNull(),
    grantedBy: uuid("granted_by"),
    grantedAt: timestamp("granted_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.userId] })],
);
