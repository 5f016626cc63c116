import { sql } from "drizzle-orm";
import {
  bigint,
  index,
  integer,
  jsonb,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { datahub } from "../schema";

/**
 * Master data (人口库 / 法人库): department sources, their loads, the source records as loaded and
 * standardised, the golden records fused from them, the review queue of uncertain matches, consent
 * receipts of pre-fill, and data-quality scores.
 */

/** A department dataset feeding a base: its columns mapped once to the base's fields and remembered. */
export const masterSources = datahub.table("master_sources", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  departmentId: uuid("department_id").notNull(),
  /** population | legalPerson */
  base: text("base").notNull(),
  /** source column → base field */
  mapping: jsonb("mapping").$type<Record<string, string>>().notNull(),
  keyColumn: text("key_column").notNull(),
  /** A JSON API pulled on a schedule (JSON array or JSON lines), or null for files only. */
  pullUrl: text("pull_url"),
  pullEveryMinutes: integer("pull_every_minutes"),
  /** Timeliness: a source not loaded for longer than this is stale. */
  updateCycleDays: integer("update_cycle_days").notNull().default(30),
  createdBy: uuid("created_by"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  modifiedAt: timestamp("modified_at", { withTimezone: true }).notNull(),
  lastLoadAt: timestamp("last_load_at", { withTimezone: true }),
});

/** One load of a source: its progress while running, then its report. */
export const masterLoads = datahub.table(
  "master_loads",
  {
    id: uuid("id").primaryKey(),
    sourceCode: text("source_code").notNull(),
    /** running | completed | failed */
    status: text("status").notNull(),
    /** full (records absent from the load are deleted) | delta */
    mode: text("mode").notNull(),
    /** csv | ndjson | json */
    format: text("format").notNull(),
    encoding: text("encoding"),
    /** Bytes read of the dataset, and its size when known: the progress of a running load. */
    bytesRead: bigint("bytes_read", { mode: "number" }).notNull().default(0),
    bytesTotal: bigint("bytes_total", { mode: "number" }),
    rowsRead: integer("rows_read").notNull().default(0),
    rowsRejected: integer("rows_rejected").notNull().default(0),
    inserted: integer("inserted").notNull().default(0),
    changed: integer("changed").notNull().default(0),
    unchanged: integer("unchanged").notNull().default(0),
    deleted: integer("deleted").notNull().default(0),
    linkedExact: integer("linked_exact").notNull().default(0),
    linkedFuzzy: integer("linked_fuzzy").notNull().default(0),
    newEntities: integer("new_entities").notNull().default(0),
    toReview: integer("to_review").notNull().default(0),
    invalidValues: integer("invalid_values").notNull().default(0),
    /** The first problem rows: [{line, reason, column?}] */
    problems: jsonb("problems").$type<{ line: number; reason: string; column?: string }[]>().notNull(),
    error: text("error"),
    startedBy: uuid("started_by"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("master_loads_source").on(t.sourceCode, t.startedAt)],
);

/**
 * A source's record as loaded: its standardised values, the raw values standardisation changed (the
 * others equal their standardised form), and its golden record.
 */
export const masterRecords = datahub.table(
  "master_records",
  {
    sourceCode: text("source_code").notNull(),
    recordId: text("record_id").notNull(),
    base: text("base").notNull(),
    raw: jsonb("raw").$type<Record<string, unknown>>().notNull(),
    values: jsonb("values").$type<Record<string, string | number | null>>().notNull(),
    /** field → reason, for values kept although invalid */
    invalid: jsonb("invalid").$type<Record<string, string>>().notNull(),
    /** Content hash of the raw values: a record loaded again unchanged is skipped. */
    hash: text("hash").notNull(),
    goldenId: uuid("golden_id"),
    /** exact | fuzzy | manual | new */
    linkMethod: text("link_method"),
    linkScore: real("link_score"),
    loadId: uuid("load_id").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.sourceCode, t.recordId] })],
);

/** A member of a golden record: one source record with its standardised values. */
export interface GoldenMember {
  source: string;
  recordId: string;
  departmentId: string;
  at: string;
  values: Record<string, string | number | null>;
  invalid: Record<string, string>;
}

/** A golden record's field: the value chosen, where it came from and why. */
export interface GoldenField {
  value: string | number | null;
  source: string;
  recordId: string;
  departmentId: string;
  at: string;
  /** authority (the responsibility list's department) | recency | only */
  rule: "authority" | "recency" | "only";
  /** Set when no member holds a valid value and this one was kept although invalid. */
  invalid?: string;
}

/**
 * A golden record's field as stored: the value, the member it came from (index into `members`) and the
 * rule that chose it; expanded to a GoldenField when read (fuse.ts).
 */
export interface StoredField {
  v: string | number | null;
  m: number;
  r: GoldenField["rule"];
  x?: string;
}

/** 人口库 / 法人库: one golden record per person or enterprise, every field with its provenance. */
export const masterGolden = datahub.table(
  "master_golden",
  {
    id: uuid("id").primaryKey(),
    base: text("base").notNull(),
    /** The valid citizen ID number or USCC, when one is known. */
    key: text("key"),
    fields: jsonb("fields").$type<Record<string, StoredField>>().notNull(),
    members: jsonb("members").$type<GoldenMember[]>().notNull(),
    version: integer("version").notNull(),
    /** What made this version (e.g. "ps-household joined"); earlier versions are in the history. */
    reason: text("reason").notNull(),
    /** active | retired (no member left, or merged into another) */
    status: text("status").notNull(),
    mergedInto: uuid("merged_into"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("master_golden_key")
      .on(t.base, t.key)
      .where(sql`${t.key} is not null and ${t.status} = 'active'`),
    index("master_golden_name").on(t.base, sql`(${t.fields}->'name'->>'v')`),
  ],
);

/** Every earlier version of a golden record's fields, as it was and what made it: its full history. */
export const masterGoldenHistory = datahub.table(
  "master_golden_history",
  {
    goldenId: uuid("golden_id").notNull(),
    version: integer("version").notNull(),
    fields: jsonb("fields").$type<Record<string, GoldenField>>().notNull(),
    reason: text("reason").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.goldenId, t.version] })],
);

/**
 * Blocking keys of golden records (phone, birth date, name sound …): where to look for a fuzzy match.
 * An identifier is found through the golden record's own key instead.
 */
export const masterBlockKeys = datahub.table(
  "master_block_keys",
  {
    base: text("base").notNull(),
    key: text("key").notNull(),
    goldenId: uuid("golden_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.base, t.key, t.goldenId] })],
);

/** An uncertain pair for a data officer: a source record and the golden record it may belong to. */
export const masterReviews = datahub.table(
  "master_reviews",
  {
    id: uuid("id").primaryKey(),
    base: text("base").notNull(),
    sourceCode: text("source_code").notNull(),
    recordId: text("record_id").notNull(),
    candidateId: uuid("candidate_id").notNull(),
    score: real("score").notNull(),
    /** field → similarity */
    features: jsonb("features").$type<Record<string, number>>().notNull(),
    /** pending | match | distinct | void (the record changed or went away) */
    status: text("status").notNull(),
    /** The golden record the record belonged to before a match was applied (for undo). */
    previousGoldenId: uuid("previous_golden_id"),
    decidedBy: uuid("decided_by"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("master_reviews_pair").on(t.sourceCode, t.recordId, t.candidateId),
    index("master_reviews_status").on(t.base, t.status, t.createdAt),
  ],
);

/** 授权凭证: what a pre-fill read of a person's or enterprise's data was consented to. */
export const masterConsents = datahub.table(
  "master_consents",
  {
    id: uuid("id").primaryKey(),
    base: text("base").notNull(),
    goldenId: uuid("golden_id").notNull(),
    citizenId: uuid("citizen_id"),
    requestedBy: uuid("requested_by"),
    departmentId: uuid("department_id"),
    purpose: text("purpose").notNull(),
    fields: text("fields").array().notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (t) => [index("master_consents_golden").on(t.goldenId, t.at)],
);

/** Quality scores of a source per field and rule, computed after each load. */
export const masterQuality = datahub.table(
  "master_quality",
  {
    sourceCode: text("source_code").notNull(),
    field: text("field").notNull(),
    /** completeness | validity | uniqueness | consistency | timeliness */
    rule: text("rule").notNull(),
    passed: integer("passed").notNull(),
    total: integer("total").notNull(),
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sourceCode, t.field, t.rule] })],
);
