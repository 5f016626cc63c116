import { sql } from "drizzle-orm";
import { bigserial, doublePrecision, index, jsonb, pgSchema, text, timestamp } from "drizzle-orm/pg-core";
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
    index("entities_bbox_idx").on(t.minLon, t.minLat).where(sql`min_lon is not null`),
  ],
);
