import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgSchema,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import type { StoredAttr } from "./twin/entity";

/** 一网统管: the digital twin (NGSI-LD entities) and, later, telemetry, indicators and cases. */
export const operations = pgSchema("operations");

/**
 * A twin entity as NGSI-LD sees it: types and attribute names are expanded IRIs; each attribute keeps
 * its members and system times in `attrs`. The bounding box of the `location` GeoProperty lets a
 * geo-query cut candidates in SQL before the exact test.
 */
export const entities = operations.table(
  "entities",
  {
    id: text("id").primaryKey(),
    /** Insertion order: stable pagination. */
    seq: bigserial("seq", { mode: "number" }).notNull(),
    types: text("types").array().notNull(),
    attrs: jsonb("attrs").$type<Record<string, StoredAttr>>().notNull(),
    /**
     * The text, boolean and relationship values of `attrs` ({iri: {value | object}}), what `q`
     * equality finds through its GIN index. Numbers stay out: a reading changes no indexed value,
     * so the row is updated in place (HOT; fillfactor 70, migration 0008).
     */
    terms: jsonb("terms").generatedAlwaysAs(sql`operations.twin_terms(attrs)`),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull(),
    modifiedAt: timestamp("modified_at", { withTimezone: true, mode: "string" }).notNull(),
    minLon: doublePrecision("min_lon"),
    minLat: doublePrecision("min_lat"),
    maxLon: doublePrecision("max_lon"),
    maxLat: doublePrecision("max_lat"),
  },
  (t) => [
    index("entities_types_idx").using("gin", t.types),
    index("entities_seq_idx").on(t.seq),
    // Equality in `q` as containment (twin/query.ts): terms @> {"<attr>": {"value": v}}.
    index("entities_terms_idx").using("gin", t.terms.op("jsonb_path_ops")),
    index("entities_bbox_idx").on(t.minLon, t.minLat).where(sql`min_lon is not null`),
  ],
);

/**
 * NGSI-LD subscriptions (§5.8): the subscription as the caller sent it, expanded (entity types and
 * attribute names as IRIs), with its delivery state. Notifications go to HTTP endpoints.
 */
export const subscriptions = operations.table(
  "subscriptions",
  {
    id: text("id").primaryKey(),
    /** Who created it (a staff account); its context to compact notifications with. */
    ownerId: uuid("owner_id"),
    subscription: jsonb("subscription").$type<Record<string, unknown>>().notNull(),
    /** The @context the subscription was made with (JSON), used to compact its notifications. */
    context: jsonb("context"),
    isActive: boolean("is_active").notNull().default(true),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "string" }),
    throttlingSeconds: integer("throttling_seconds"),
    timesSent: integer("times_sent").notNull().default(0),
    timesFailed: integer("times_failed").notNull().default(0),
    lastNotification: timestamp("last_notification", { withTimezone: true, mode: "string" }),
    lastSuccess: timestamp("last_success", { withTimezone: true, mode: "string" }),
    lastFailure: timestamp("last_failure", { withTimezone: true, mode: "string" }),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull(),
    modifiedAt: timestamp("modified_at", { withTimezone: true, mode: "string" }).notNull(),
  },
  (t) => [index("subscriptions_active_idx").on(t.isActive)],
);

/**
 * Area warnings (预警): raised by crowd-load and congestion forecasts, or ingested from CAP 1.2
 * weather warnings; active until they end, are updated or are cancelled.
 */
export const warnings = operations.table(
  "warnings",
  {
    id: uuid("id").primaryKey(),
    areaId: text("area_id").notNull(),
    /** crowd | traffic | weather */
    kind: text("kind").notNull(),
    /** China's warning colours: blue | yellow | orange | red */
    level: text("level").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull(),
    /** forecast | cap */
    source: text("source").notNull(),
    /** The CAP message identifier, or `forecast:<kind>` */
    sourceId: text("source_id").notNull(),
    startsAt: timestamp("starts_at", { withTimezone: true, mode: "string" }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true, mode: "string" }),
    /** active | ended | cancelled */
    status: text("status").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull(),
  },
  (t) => [
    index("warnings_active_idx").on(t.areaId, t.kind).where(sql`status = 'active'`),
    index("warnings_source_idx").on(t.source, t.sourceId),
  ],
);

/**
 * Devices and systems that call the twin with their own credentials (NGSI-LD over HTTP Basic, MQTT
 * username and password) instead of a person's token. A device reads and updates the attributes of
 * the entities it reports for; a system reads the whole twin and, when allowed, updates attributes.
 * The secret is random (192 bits) and kept as its SM3 hash, like bearer tokens.
 */
export const twinClients = operations.table(
  "twin_clients",
  {
    id: uuid("id").primaryKey(),
    name: text("name").notNull(),
    /** device | system */
    kind: text("kind").$type<"device" | "system">().notNull(),
    /** A device's entities (a system's is empty). */
    entityIds: text("entity_ids").array().notNull(),
    /** A system may update attributes of any entity (a device always may, of its own). */
    mayWrite: boolean("may_write").notNull().default(false),
    secretHash: text("secret_hash").notNull(),
    disabled: boolean("disabled").notNull().default(false),
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull(),
    modifiedAt: timestamp("modified_at", { withTimezone: true, mode: "string" }).notNull(),
  },
  (t) => [check("twin_clients_kind_check", sql`${t.kind} in ('device', 'system')`)],
);
