/** SQL of the indicator catalog (operations.indicators, operations.indicator_history). */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../kernel/db/db";
import { isoTimestampSql, queryRows } from "../../../kernel/db/db";
import { CORE_CONTEXT } from "../twin/context";
import { expandAttrName, expandType } from "../twin/entity";
import type { Formula } from "./formula";
import type { Category, Direction, Level } from "./levels";

const NAME = expandAttrName(CORE_CONTEXT, "name");
const PART_OF = expandAttrName(CORE_CONTEXT, "partOf");

export interface IndicatorRow {
  code: string;
  name: string;
  description: string | null;
  unit: string;
  category: Category;
  areaId: string;
  areaName: string | null;
  refreshSeconds: number;
  direction: Direction;
  thresholds: { attention: number | null; warning: number | null; alarm: number | null };
  value: number | null;
  level: Level | null;
  valueAt: string | null;
  levelSince: string | null;
  updatedAt: string;
}

interface RawRow {
  code: string;
  name: string;
  description: string | null;
  unit: string;
  category: Category;
  area_id: string;
  area_name: string | null;
  refresh_seconds: number;
  direction: Direction;
  attention: number | null;
  warning: number | null;
  alarm: number | null;
  value: number | null;
  level: Level | null;
  value_at: string | null;
  level_since: string | null;
  updated_at: string;
  formula?: Formula | string;
  total?: string;
}

const num = (v: number | string | null) => (v === null ? null : Number(v));

function toRow(r: RawRow): IndicatorRow {
  return {
    code: r.code,
    name: r.name,
    description: r.description,
    unit: r.unit,
    category: r.category,
    areaId: r.area_id,
    areaName: r.area_name,
    refreshSeconds: r.refresh_seconds,
    direction: r.direction,
    thresholds: { attention: num(r.attention), warning: num(r.warning), alarm: num(r.alarm) },
    value: num(r.value),
    level: r.level,
    valueAt: r.value_at,
    levelSince: r.level_since,
    updatedAt: r.updated_at,
  };
}

const COLUMNS = sql.raw(`i.code, i.name, i.description, i.unit, i.category, i.area_id, i.refresh_seconds,
  i.direction, i.attention, i.warning, i.alarm, i.value, i.level,
  ${isoTimestampSql("i.value_at")} as value_at, ${isoTimestampSql("i.level_since")} as level_since,
  ${isoTimestampSql("i.updated_at")} as updated_at`);
const AREA_NAME = sql`(select a.attrs -> ${NAME} ->> 'value' from operations.entities a where a.id = i.area_id) as area_name`;

export interface IndicatorFilter {
  category?: Category | undefined;
  /** An area: its indicators and those of the areas within it (partOf, transitively). */
  areaId?: string | undefined;
  /** A level, or "none" for indicators without data yet. */
  level?: Level | "none" | undefined;
  /** Part of the code or the name. */
  text?: string | undefined;
}

function conditions(filter: IndicatorFilter): SQL {
  const where: SQL[] = [];
  if (filter.category) where.push(sql`i.category = ${filter.category}`);
  if (filter.level === "none") where.push(sql`i.level is null`);
  else if (filter.level) where.push(sql`i.level = ${filter.level}`);
  if (filter.text) {
    const like = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(sql`(i.code ilike ${like} or i.name ilike ${like})`);
  }
  if (filter.areaId)
    where.push(sql`i.area_id in (with recursive a(id) as (
        select ${filter.areaId}::text
        union
        select x.id from operations.entities x join a on x.attrs -> ${PART_OF} ->> 'object' = a.id)
      select id from a)`);
  return where.length > 0 ? sql`where ${sql.join(where, sql` and `)}` : sql``;
}

const SEVERITY = sql.raw(
  "case i.level when 'alarm' then 4 when 'warning' then 3 when 'attention' then 2 when 'normal' then 1 else 0 end",
);

export async function listIndicatorRows(
  tx: Db,
  filter: IndicatorFilter,
  page: { page: number; pageSize: number; order: "code" | "level" },
): Promise<{ items: IndicatorRow[]; total: number }> {
  const where = conditions(filter);
  const order =
    page.order === "level" ? sql`${SEVERITY} desc, i.level_since desc nulls last, i.code` : sql`i.code`;
  const rows = await queryRows<RawRow>(
    tx,
    sql`select ${COLUMNS}, ${AREA_NAME}, count(*) over ()::text as total from operations.indicators i ${where}
        order by ${order} limit ${page.pageSize} offset ${(page.page - 1) * page.pageSize}`,
  );
  let total = rows[0] ? Number(rows[0].total) : 0;
  if (!rows[0] && page.page > 1) {
    const [c] = await queryRows<{ n: string }>(
      tx,
      sql`select count(*)::text as n from operations.indicators i ${where}`,
    );
    total = Number(c?.n ?? 0);
  }
  return { items: rows.map(toRow), total };
}

export async function findIndicatorRow(
  tx: Db,
  code: string,
  forUpdate = false,
): Promise<(IndicatorRow & { formula: Formula }) | null> {
  const rows = await queryRows<RawRow>(
    tx,
    sql`select ${COLUMNS}, i.formula, ${AREA_NAME} from operations.indicators i where i.code = ${code}
        ${forUpdate ? sql`for update` : sql``}`,
  );
  const row = rows[0];
  if (!row) return null;
  const formula = typeof row.formula === "string" ? (JSON.parse(row.formula) as Formula) : row.formula!;
  return { ...toRow(row), formula };
}

export async function indicatorHistoryRows(
  tx: Db,
  code: string,
  limit: number,
): Promise<{ at: string; value: number | null; level: Level | null }[]> {
  const rows = await queryRows<{ at: string; value: number | null; level: Level | null }>(
    tx,
    sql`select * from (select ${sql.raw(isoTimestampSql("h.at"))} as at, h.value, h.level, h.id
          from operations.indicator_history h where h.code = ${code} order by h.at desc, h.id desc limit ${limit}) x
        order by x.at, x.id`,
  );
  return rows.map((r) => ({ at: r.at, value: num(r.value), level: r.level }));
}

export async function countByCategoryAndLevel(
  tx: Db,
  filter: Pick<IndicatorFilter, "areaId">,
): Promise<{ category: Category; level: Level | null; n: number }[]> {
  const rows = await queryRows<{ category: Category; level: Level | null; n: string }>(
    tx,
    sql`select i.category, i.level, count(*)::text as n from operations.indicators i ${conditions(filter)}
        group by i.category, i.level`,
  );
  return rows.map((r) => ({ category: r.category, level: r.level, n: Number(r.n) }));
}

export interface NewIndicator {
  code: string;
  name: string;
  description: string | null;
  unit: string;
  category: Category;
  areaId: string;
  formula: Formula;
  refreshSeconds: number;
  direction: Direction;
  attention: number | null;
  warning: number | null;
  alarm: number | null;
}

/** Inserts indicators (many rows per statement); returns the codes inserted (existing codes are skipped). */
export async function insertIndicators(tx: Db, items: NewIndicator[], now: string): Promise<string[]> {
  const inserted: string[] = [];
  for (let i = 0; i < items.length; i += 500) {
    const chunk = items.slice(i, i + 500);
    const rows = await queryRows<{ code: string }>(
      tx,
      sql`insert into operations.indicators (code, name, description, unit, category, area_id, formula,
            refresh_seconds, direction, attention, warning, alarm, created_at, updated_at)
          select u.code, u.name, u.description, u.unit, u.category, u."areaId", u.formula, u."refreshSeconds",
            u.direction, u.attention, u.warning, u.alarm, ${now}::timestamptz, ${now}::timestamptz
          from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as u(code text, name text, description text,
            unit text, category text, "areaId" text, formula jsonb, "refreshSeconds" integer, direction text,
            attention float8, warning float8, alarm float8)
          on conflict (code) do nothing returning code`,
    );
    inserted.push(...rows.map((r) => r.code));
  }
  return inserted;
}

export async function updateIndicatorDefinition(
  tx: Db,
  code: string,
  change: {
    direction: Direction;
    attention: number | null;
    warning: number | null;
    alarm: number | null;
    level: Level | null;
    levelChanged: boolean;
  },
  now: string,
): Promise<void> {
  await tx.execute(
    sql`update operations.indicators set direction = ${change.direction}, attention = ${change.attention},
          warning = ${change.warning}, alarm = ${change.alarm}, level = ${change.level},
          level_since = case when ${change.levelChanged} then ${now}::timestamptz else level_since end,
          updated_at = ${now}::timestamptz
        where code = ${code}`,
  );
}

/** Whether an entity exists and is of the type Area. */
export async function isArea(tx: Db, id: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`select id from operations.entities where id = ${id} and ${expandType(CORE_CONTEXT, "Area")} = any(types)`,
  );
  return rows.length === 1;
}
