import { sql } from "drizzle-orm";
import {
  bigint,
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
import type { DataItem } from "./catalog/catalog.types";

/** 一网共享: the data resource catalog, the responsibility list, sharing requests, grants, the gateway. */
export const datahub = pgSchema("datahub");

/**
 * A data resource (政务数据资源) with its GB/T 21063 metadata and data items. `searchTerms` are the
 * bigrams of its name, code, provider, summary and item titles (kernel/text/search) behind a GIN index.
 */
export const resources = datahub.table(
  "resources",
  {
    id: uuid("id").primaryKey(),
    /** 资源代码: category code / six-digit sequence, e.g. 101/000001 */
    code: text("code").notNull(),
    categoryCode: text("category_code").notNull(),
    seq: integer("seq").notNull(),
    name: text("name").notNull(),
    summary: text("summary").notNull(),
    providerDepartmentId: uuid("provider_department_id").notNull(),
    format: text("format").notNull(),
    /** unconditional | conditional | none (无条件 / 有条件 / 不予共享) */
    sharingType: text("sharing_type").notNull(),
    sharingCondition: text("sharing_condition"),
    sharingBasis: text("sharing_basis"),
    /** api | file | table */
    sharingMethod: text("sharing_method").notNull(),
    /** open | conditional | closed */
    openType: text("open_type").notNull(),
    updateCycle: text("update_cycle").notNull(),
    keyItem: text("key_item").notNull(),
    relatedCodes: text("related_codes").array().notNull().default(sql`'{}'::text[]`),
    items: jsonb("items").$type<DataItem[]>().notNull(),
    /** The highest grade of the items: general | important | core */
    grade: text("grade").notNull(),
    /** published | withdrawn */
    status: text("status").notNull(),
    version: integer("version").notNull().default(1),
    /** Records published, kept by putResourceRecords (a count over the records would cost a scan). */
    recordCount: integer("record_count").notNull().default(0),
    publishedOn: date("published_on", { mode: "string" }).notNull(),
    searchTerms: text("search_terms").array().notNull(),
    /** The indexed text, lower-cased runs joined by spaces: candidates are checked against it. */
    searchText: text("search_text").notNull(),
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("resources_code").on(t.code),
    uniqueIndex("resources_category_seq").on(t.categoryCode, t.seq),
    index("resources_provider").on(t.providerDepartmentId),
    // Catalog changes are rare and searches frequent: entries go straight into the index rather than
    // a pending list that every search would read (PGlite runs no autovacuum to clean it up).
    index("resources_terms").using("gin", t.searchTerms).with({ fastupdate: false }),
    index("resources_name_trgm").using("gin", sql`${t.name} gin_trgm_ops`),
  ],
);

/** Every earlier version of a resource's metadata, kept when it changes. */
export const resourceVersions = datahub.table(
  "resource_versions",
  {
    resourceId: uuid("resource_id").notNull(),
    version: integer("version").notNull(),
    snapshot: jsonb("snapshot").notNull(),
    changedBy: uuid("changed_by"),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.resourceId, t.version] })],
);

/**
 * The records a provider publishes for a resource, keyed by its key item. Sensitive items live only in
 * `sealed` (SM4-CBC + HMAC-SM3 over their JSON, bound to the resource and key); `keyHash` is what the
 * audit trail names instead of the key. `subjectCitizenId` links a person's record to the citizen, for
 * their view of who used their data.
 */
export const records = datahub.table(
  "records",
  {
    resourceId: uuid("resource_id").notNull(),
    recordKey: text("record_key").notNull(),
    keyHash: text("key_hash").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    sealed: bytea("sealed"),
    subjectCitizenId: uuid("subject_citizen_id"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.resourceId, t.recordKey] })],
);

/** 数源责任清单: the one authoritative department of each field of the population and legal-person bases. */
export const responsibilities = datahub.table(
  "responsibilities",
  {
    /** population | legalPerson */
    base: text("base").notNull(),
    field: text("field").notNull(),
    title: text("title").notNull(),
    departmentId: uuid("department_id").notNull(),
    assignedBy: uuid("assigned_by"),
    assignedAt: timestamp("assigned_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.base, t.field] })],
);

/** 数据纠错: a consumer reports a value as wrong; the authoritative department decides in its inbox. */
export const errorReports = datahub.table(
  "error_reports",
  {
    id: uuid("id").primaryKey(),
    resourceId: uuid("resource_id").notNull(),
    recordKey: text("record_key").notNull(),
    item: text("item").notNull(),
    correctValue: text("correct_value").notNull(),
    reason: text("reason").notNull(),
    /** open | accepted | rejected */
    status: text("status").notNull(),
    reply: text("reply"),
    departmentId: uuid("department_id").notNull(),
    reporterId: uuid("reporter_id").notNull(),
    reporterDepartmentId: uuid("reporter_department_id"),
    instanceId: uuid("instance_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    dueAt: timestamp("due_at", { withTimezone: true }),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (t) => [
    index("error_reports_department").on(t.departmentId, t.createdAt),
    index("error_reports_reporter").on(t.reporterId, t.createdAt),
  ],
);

/** A consumer department's request to use a resource's fields for a purpose (共享申请). */
export const sharingRequests = datahub.table(
  "sharing_requests",
  {
    id: uuid("id").primaryKey(),
    resourceId: uuid("resource_id").notNull(),
    consumerDepartmentId: uuid("consumer_department_id").notNull(),
    requesterId: uuid("requester_id").notNull(),
    fields: text("fields").array().notNull(),
    clearFields: text("clear_fields").array().notNull(),
    purposeCode: text("purpose_code").notNull(),
    purpose: text("purpose").notNull(),
    legalBasis: text("legal_basis").notNull(),
    periodFrom: date("period_from", { mode: "string" }).notNull(),
    periodTo: date("period_to", { mode: "string" }).notNull(),
    expectedDailyVolume: integer("expected_daily_volume").notNull(),
    /** checking | provider-review | granted | refused | disputed | withdrawn */
    status: text("status").notNull(),
    refusal: jsonb("refusal").$type<{ by: string; reason: string; at: string } | null>(),
    dispute: jsonb("dispute").$type<{ reason: string; at: string } | null>(),
    escalated: boolean("escalated").notNull().default(false),
    instanceId: uuid("instance_id"),
    grantId: uuid("grant_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [
    index("sharing_requests_consumer").on(t.consumerDepartmentId, t.createdAt),
    index("sharing_requests_resource").on(t.resourceId),
  ],
);

/**
 * What the gateway enforces: a consumer department may read these fields of a resource for this
 * purpose until expiry, at this rate. Revoked or expired grants stay for the record.
 */
export const grants = datahub.table(
  "grants",
  {
    id: uuid("id").primaryKey(),
    requestId: uuid("request_id").notNull(),
    resourceId: uuid("resource_id").notNull(),
    consumerDepartmentId: uuid("consumer_department_id").notNull(),
    fields: text("fields").array().notNull(),
    clearFields: text("clear_fields").array().notNull(),
    purposeCode: text("purpose_code").notNull(),
    purpose: text("purpose").notNull(),
    validFrom: timestamp("valid_from", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    rateLimitPerMinute: integer("rate_limit_per_minute").notNull(),
    /** active | expired | revoked */
    status: text("status").notNull(),
    revokedReason: text("revoked_reason"),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("grants_request").on(t.requestId),
    index("grants_consumer").on(t.consumerDepartmentId, t.resourceId),
    index("grants_resource").on(t.resourceId),
  ],
);

/** A department's system that calls the gateway with OAuth 2.0 client credentials (X-Road: a client). */
export const clients = datahub.table(
  "clients",
  {
    clientId: text("client_id").primaryKey(),
    name: text("name").notNull(),
    departmentId: uuid("department_id").notNull(),
    /** argon2id of the secret */
    secretHash: text("secret_hash").notNull(),
    disabled: boolean("disabled").notNull().default(false),
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [index("clients_department").on(t.departmentId)],
);

/**
 * Gateway calls per resource, consumer and day ("shared N times"), kept by the call log's batches.
 * Each batch adds to one of a few shards of the day's row, so concurrent batches of a busy grant do not
 * queue on one row lock; readers sum the shards.
 */
export const usageDaily = datahub.table(
  "usage_daily",
  {
    day: date("day", { mode: "string" }).notNull(),
    resourceId: uuid("resource_id").notNull(),
    consumerDepartmentId: uuid("consumer_department_id").notNull(),
    shard: integer("shard").notNull().default(0),
    calls: bigint("calls", { mode: "number" }).notNull(),
    records: bigint("records", { mode: "number" }).notNull(),
    refused: bigint("refused", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.day, t.resourceId, t.consumerDepartmentId, t.shard] }),
    index("usage_daily_resource").on(t.resourceId, t.day),
  ],
);

/** Each use of a citizen's personal data through the gateway or pre-fill (GovStack "my data usage"). */
export const dataUses = datahub.table(
  "data_uses",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    citizenId: uuid("citizen_id").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    /** gateway | prefill */
    channel: text("channel").notNull(),
    departmentId: uuid("department_id"),
    resourceId: uuid("resource_id"),
    fields: text("fields").array().notNull(),
    purpose: text("purpose").notNull(),
    requestId: text("request_id"),
  },
  (t) => [index("data_uses_citizen").on(t.citizenId, t.at)],
);
