import { sql } from "drizzle-orm";
import {
  bigserial,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { operations } from "../schema";
import type { Formula } from "./formula";

/**
 * The catalog of city-sign indicators (体征指标) with each one's current value and level. The formula
 * (docs/indicators.md) is stored as validated JSON; thresholds are inclusive and ordered by direction.
 * `updated_at` changes with every definition change: server processes poll it to reload their index.
 */
export const indicators = operations.table(
  "indicators",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    description: text("description"),
    unit: text("unit").notNull(),
    /** 人流 交通 环境 设施 安全 服务 */
    category: text("category").notNull(),
    /** The Area entity (NGSI-LD id) the indicator belongs to. */
    areaId: text("area_id").notNull(),
    formula: jsonb("formula").$type<Formula>().notNull(),
    refreshSeconds: integer("refresh_seconds").notNull(),
    /** above: a higher value is worse; below: a lower value is worse. */
    direction: text("direction").notNull(),
    attention: doublePrecision("attention"),
    warning: doublePrecision("warning"),
    alarm: doublePrecision("alarm"),
    /** The last evaluated value; null when the formula had no data. */
    value: doublePrecision("value"),
    /** normal | attention | warning | alarm; null until the formula first had data. */
    level: text("level"),
    valueAt: timestamp("value_at", { withTimezone: true, mode: "string" }),
    levelSince: timestamp("level_since", { withTimezone: true, mode: "string" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull(),
  },
  (t) => [
    index("indicators_category_level_idx").on(t.category, t.level),
    index("indicators_area_idx").on(t.areaId),
    check("indicators_direction_check", sql`${t.direction} in ('above', 'below')`),
    check(
      "indicators_level_check",
      sql`${t.level} is null or ${t.level} in ('normal', 'attention', 'warning', 'alarm')`,
    ),
    check("indicators_refresh_check", sql`${t.refreshSeconds} between 0 and 86400`),
  ],
);

/** One row per evaluation that changed an indicator's value (for charts); pruned after some days. */
export const indicatorHistory = operations.table(
  "indicator_history",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    code: text("code")
      .notNull()
      .references(() => indicators.code, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true, mode: "string" }).notNull(),
    value: doublePrecision("value"),
    level: text("level"),
  },
  (t) => [
    index("indicator_history_code_at_idx").on(t.code, t.at),
    index("indicator_history_at_idx").on(t.at),
  ],
);
