import { sql } from "drizzle-orm";
import {
  boolean,
  doublePrecision,
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
import type { ServiceItemSpec } from "./catalog/item";

/** 一网通办: the item catalog, applications, their materials and history, evaluations, city reports. */
export const services = pgSchema("services");

/** A service item (事项) of the district's list; its content lives in versions. */
export const items = services.table(
  "items",
  {
    id: uuid("id").primaryKey(),
    /** 实施编码 */
    code: text("code").notNull(),
    departmentId: uuid("department_id").notNull(),
    /** The version that accepts applications; null: not on the published list. */
    publishedVersion: integer("published_version"),
    latestVersion: integer("latest_version").notNull(),
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("items_code_key").on(t.code), index("items_department_idx").on(t.departmentId)],
);

/**
 * One version of an item: draft → published → withdrawn (or superseded when a newer one is published).
 * `spec` holds the guide fields and the form; the columns beside it are what lists filter and sort by.
 * `searchTerms` are the bigrams of its name, codes, department and conditions (kernel/text/search).
 */
export const itemVersions = services.table(
  "item_versions",
  {
    itemId: uuid("item_id").notNull(),
    version: integer("version").notNull(),
    /** draft | published | superseded | withdrawn */
    status: text("status").notNull(),
    name: text("name").notNull(),
    itemType: text("item_type").notNull(),
    lifeEvents: text("life_events").array().notNull(),
    applicantTypes: text("applicant_types").array().notNull(),
    promisedDays: integer("promised_days").notNull(),
    statutoryDays: integer("statutory_days").notNull(),
    spec: jsonb("spec").$type<Omit<ServiceItemSpec, "departmentKey">>().notNull(),
    searchTerms: text("search_terms").array().notNull(),
    searchText: text("search_text").notNull(),
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.itemId, t.version] }),
    index("item_versions_terms_idx").using("gin", t.searchTerms),
    index("item_versions_published_idx").on(t.status).where(sql`status = 'published'`),
  ],
);

/** Where a form property's pre-filled value came from. */
export interface PrefilledField {
  field: string;
  /** The value the master data supplied. */
  value: unknown;
  departmentName: string;
  at: string | null;
  /** The applicant changed it (a correctable field). */
  changed?: boolean;
}

/**
 * An application (办件). `subjectKey` is whom it is about (ID number or USCC); `applicantUserId` the
 * account that made it (the citizen, the enterprise, or the clerk serving a walk-in). The clock runs in
 * working days from the first submission; correction requests and special steps pause it.
 */
export const applications = services.table(
  "applications",
  {
    id: uuid("id").primaryKey(),
    /** 办件编号, printed on the receipt */
    receiptNo: text("receipt_no").notNull(),
    /** With the receipt number, lets anyone holding the receipt follow the status. */
    trackingCode: text("tracking_code").notNull(),
    itemId: uuid("item_id").notNull(),
    itemVersion: integer("item_version").notNull(),
    departmentId: uuid("department_id").notNull(),
    applicantUserId: uuid("applicant_user_id").notNull(),
    /** person | legal */
    subjectKind: text("subject_kind").notNull(),
    subjectKey: text("subject_key").notNull(),
    subjectName: text("subject_name").notNull(),
    citizenId: uuid("citizen_id"),
    enterpriseId: uuid("enterprise_id"),
    onBehalf: boolean("on_behalf").notNull().default(false),
    /** web | mobile | kiosk | window */
    channel: text("channel").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    prefilled: jsonb("prefilled").$type<Record<string, PrefilledField>>().notNull(),
    /** draft | submitted | correction-requested | not-accepted | accepted | approved | denied | delivered | withdrawn */
    status: text("status").notNull(),
    instanceId: uuid("instance_id"),
    correction: jsonb("correction").$type<{
      reason: string;
      items: { field?: string; material?: string; note: string }[];
      at: string;
    }>(),
    decision: jsonb("decision").$type<{ approved: boolean; opinion: string; at: string; by: string }>(),
    refusalReason: text("refusal_reason"),
    delivery: jsonb("delivery").$type<{ method: string; note: string; at: string; by: string }>(),
    promisedDays: integer("promised_days").notNull(),
    statutoryDays: integer("statutory_days").notNull(),
    clockStartedAt: timestamp("clock_started_at", { withTimezone: true }),
    pausedSince: timestamp("paused_since", { withTimezone: true }),
    pauseReason: text("pause_reason"),
    /** Working days the clock stood still, added to the time allowed. */
    pausedDays: integer("paused_days").notNull().default(0),
    warnAt: timestamp("warn_at", { withTimezone: true }),
    dueAt: timestamp("due_at", { withTimezone: true }),
    /** Working days from the start of the clock to the decision, pauses excluded. */
    elapsedDays: integer("elapsed_days"),
    visits: integer("visits").notNull().default(0),
    fieldsPrefilled: integer("fields_prefilled").notNull().default(0),
    fieldsTyped: integer("fields_typed").notNull().default(0),
    materialsReused: integer("materials_reused").notNull().default(0),
    materialsUploaded: integer("materials_uploaded").notNull().default(0),
    acceptedBy: uuid("accepted_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("applications_receipt_key").on(t.receiptNo),
    index("applications_applicant_idx").on(t.applicantUserId, t.createdAt),
    index("applications_status_idx").on(t.status, t.departmentId),
    index("applications_item_idx").on(t.itemId),
    index("applications_subject_idx").on(t.subjectKey),
  ],
);

/** A material of an application: an uploaded file (its bytes and SHA-256) or a reference. */
export const applicationMaterials = services.table(
  "application_materials",
  {
    id: uuid("id").primaryKey(),
    applicationId: uuid("application_id").notNull(),
    code: text("code").notNull(),
    fileName: text("file_name").notNull(),
    mime: text("mime").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    content: bytea("content"),
    /** clean | infected | skipped */
    scanStatus: text("scan_status").notNull(),
    /** A material not uploaded but referred to (an e-certificate, an earlier verified material). */
    reference: jsonb("reference").$type<{ kind: string; id: string }>(),
    uploadedBy: uuid("uploaded_by").notNull(),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("application_materials_application_idx").on(t.applicationId)],
);

/** Every step of an application, with who took it, when and why; `taskId` once per workflow task. */
export const applicationHistory = services.table(
  "application_history",
  {
    id: uuid("id").primaryKey(),
    applicationId: uuid("application_id").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    /** submitted | accepted | not-accepted | correction-requested | resubmitted | special-step-started … */
    action: text("action").notNull(),
    actorId: uuid("actor_id"),
    actorName: text("actor_name").notNull(),
    reason: text("reason").notNull().default(""),
    taskId: uuid("task_id"),
  },
  (t) => [
    index("application_history_application_idx").on(t.applicationId, t.at),
    uniqueIndex("application_history_task_key").on(t.taskId),
  ],
);

/** 特殊环节: a step that does not count toward the time limit. */
export const specialSteps = services.table(
  "special_steps",
  {
    id: uuid("id").primaryKey(),
    applicationId: uuid("application_id").notNull(),
    kind: text("kind").notNull(),
    name: text("name").notNull(),
    reason: text("reason").notNull(),
    startedBy: uuid("started_by").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedBy: uuid("finished_by"),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    result: text("result"),
  },
  (t) => [index("special_steps_application_idx").on(t.applicationId)],
);

/**
 * 好差评: one rating per application. The rater is kept for the rectification's callback (回访) but is
 * never shown to the department.
 */
export const evaluations = services.table(
  "evaluations",
  {
    id: uuid("id").primaryKey(),
    applicationId: uuid("application_id").notNull(),
    itemId: uuid("item_id").notNull(),
    departmentId: uuid("department_id").notNull(),
    /** The window (the accepting clerk's department) for statistics per window. */
    windowDepartmentId: uuid("window_department_id"),
    channel: text("channel").notNull(),
    rating: integer("rating").notNull(),
    indicators: jsonb("indicators").$type<Record<string, number>>().notNull(),
    comment: text("comment").notNull().default(""),
    /** No rating within the period: counted as 基本满意. */
    isDefault: boolean("is_default").notNull().default(false),
    raterUserId: uuid("rater_user_id"),
    /** The rectification work order (回访 → 核实 → 整改) a bad rating opened. */
    rectificationInstanceId: uuid("rectification_instance_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("evaluations_application_key").on(t.applicationId),
    index("evaluations_department_idx").on(t.departmentId),
  ],
);

/** 随手拍: a problem in the city a citizen reported; the operations network turns it into a case. */
export const cityReports = services.table(
  "city_reports",
  {
    id: uuid("id").primaryKey(),
    reporterUserId: uuid("reporter_user_id").notNull(),
    category: text("category").notNull(),
    description: text("description").notNull(),
    address: text("address"),
    lng: doublePrecision("lng"),
    lat: doublePrecision("lat"),
    photo: bytea("photo"),
    photoMime: text("photo_mime"),
    status: text("status").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("city_reports_reporter_idx").on(t.reporterUserId, t.createdAt)],
);
