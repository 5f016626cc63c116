/**
 * Formulas → SQL. Each indicator becomes one scalar expression over operations.entities (current
 * values) and the telemetry roll-ups (windows); an evaluation pass runs many of them in one
 * statement. Area closures and the centres of `near` reference entities are looked up once per
 * pass and bound as parameters, so every value in the SQL is a bind parameter.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../kernel/db/db";
import { queryRows } from "../../../kernel/db/db";
import { CORE_CONTEXT } from "../twin/context";
import { expandAttrName, expandType } from "../twin/entity";
import { qToSql } from "../twin/query";
import {
  type AggregateNode,
  asList,
  type Formula,
  type RateNode,
  type Selector,
  selectorsOf,
} from "./formula";

const REF_AREA = expandAttrName(CORE_CONTEXT, "refArea");
const PART_OF = expandAttrName(CORE_CONTEXT, "partOf");
/** Windows longer than this read the hour roll-up; shorter ones the minute roll-up. */
export const HOURLY_FROM_SECONDS = 6 * 3600;
const METRES_PER_DEGREE_LAT = 110_540;
const METRES_PER_DEGREE_LON_AT_EQUATOR = 111_320;

export interface Pass {
  /** The evaluation instant (ISO 8601): windows end here. */
  now: string;
  /** Area id → that area and every entity partOf it, transitively. */
  areas: Map<string, string[]>;
  /** Entity id → the centre of its location's bounding box (absent: no such entity or no location). */
  centres: Map<string, { lon: number; lat: number }>;
}

/** Looks up what the formulas' selectors need (area closures, reference centres) for one pass. */
export async function preparePass(tx: Db, formulas: Formula[], now: string): Promise<Pass> {
  const areas = new Set<string>();
  const refs = new Set<string>();
  for (const f of formulas)
    for (const node of selectorsOf(f)) {
      if (node.select.area) areas.add(node.select.area);
      if (node.select.near) refs.add(node.select.near.entity);
    }
  const pass: Pass = { now, areas: new Map(), centres: new Map() };
  if (areas.size > 0) {
    const rows = await queryRows<{ root: string; ids: string[] }>(
      tx,
      sql`with recursive a(root, id) as (
            select r, r from unnest(${sql.param([...areas])}::text[]) r
            union
            select a.root, x.id from operations.entities x join a on x.attrs -> ${PART_OF} ->> 'object' = a.id)
          select root, array_agg(id) as ids from a group by root`,
    );
    for (const row of rows) pass.areas.set(row.root, row.ids);
  }
  if (refs.size > 0) {
    const rows = await queryRows<{ id: string; lon: number; lat: number }>(
      tx,
      sql`select id, (min_lon + max_lon) / 2 as lon, (min_lat + max_lat) / 2 as lat from operations.entities
          where id = any(${sql.param([...refs])}::text[]) and min_lon is not null`,
    );
    for (const row of rows) pass.centres.set(row.id, { lon: Number(row.lon), lat: Number(row.lat) });
  }
  return pass;
}

const float = (n: number) => sql`${n}::float8`;

/** A jsonb value as a number: numbers as they are, booleans as 1 and 0, anything else null. */
function numeric(value: SQL): SQL {
  return sql`(case jsonb_typeof(${value}) when 'number' then (${value})::float8
    when 'boolean' then case when (${value})::boolean then 1::float8 else 0::float8 end end)`;
}

function whereOf(s: Selector, pass: Pass): SQL {
  const conditions: SQL[] = [];
  const types = asList(s.type).map((t) => expandType(CORE_CONTEXT, t));
  if (types.length > 0) conditions.push(sql`e.types && ${sql.param(types)}::text[]`);
  const ids = asList(s.id);
  if (ids.length > 0) conditions.push(sql`e.id = any(${sql.param(ids)}::text[])`);
  if (s.area) {
    const closure = sql.param(pass.areas.get(s.area) ?? [s.area]);
    conditions.push(
      sql`(e.attrs -> ${REF_AREA} ->> 'object' = any(${closure}::text[]) or e.attrs -> ${PART_OF} ->> 'object' = any(${closure}::text[]))`,
    );
  }
  if (s.near) {
    const centre = pass.centres.get(s.near.entity);
    if (!centre) conditions.push(sql`false`);
    else {
      const d = s.near.distance;
      const kx = METRES_PER_DEGREE_LON_AT_EQUATOR * Math.cos((centre.lat * Math.PI) / 180);
      const ky = METRES_PER_DEGREE_LAT;
      // The bounding-box cut uses the index on (min_lon, min_lat); the distance is between centres.
      conditions.push(sql`(e.min_lon is not null
        and e.min_lon <= ${float(centre.lon + d / kx)} and e.max_lon >= ${float(centre.lon - d / kx)}
        and e.min_lat <= ${float(centre.lat + d / ky)} and e.max_lat >= ${float(centre.lat - d / ky)}
        and power(((e.min_lon + e.max_lon) / 2 - ${float(centre.lon)}) * ${float(kx)}, 2)
          + power(((e.min_lat + e.max_lat) / 2 - ${float(centre.lat)}) * ${float(ky)}, 2) <= ${float(d * d)})`);
    }
  }
  if (s.q) conditions.push(qToSql(CORE_CONTEXT, s.q, sql`e`));
  return conditions.length > 0 ? sql.join(conditions, sql` and `) : sql`true`;
}

function currentSql(node: AggregateNode, pass: Pass): SQL {
  const where = whereOf(node.select, pass);
  if (!node.attr) return sql`(select count(*)::float8 from operations.entities e where ${where})`;
  const attr = expandAttrName(CORE_CONTEXT, node.attr);
  const v = numeric(sql`(e.attrs -> ${attr} -> 'value')`);
  const over = (agg: SQL) => sql`(select ${agg} from operations.entities e where ${where})`;
  switch (node.op) {
    case "sum":
      return over(sql`coalesce(sum(${v}), 0)`);
    case "avg":
      return over(sql`avg(${v})`);
    case "max":
      return over(sql`max(${v})`);
    case "min":
      return over(sql`min(${v})`);
    case "count":
      return over(sql`count(${v})::float8`);
    case "latest":
      return sql`(select ${v} from operations.entities e where ${where} and ${v} is not null
        order by coalesce(e.attrs -> ${attr} ->> 'observedAt', e.attrs -> ${attr} ->> 'modifiedAt') desc nulls last, e.id
        limit 1)`;
  }
}

function windowSql(node: AggregateNode | RateNode, pass: Pass): SQL {
  const window = node.window!;
  const table = sql.raw(window > HOURLY_FROM_SECONDS ? "operations.readings_1h" : "operations.readings_1m");
  const attr = expandAttrName(CORE_CONTEXT, node.attr!);
  const from = new Date(Date.parse(pass.now) - window * 1000).toISOString();
  const readings = sql`${table} r where r.attr = ${attr}
    and r.bucket >= ${from}::timestamptz and r.bucket <= ${pass.now}::timestamptz
    and r.entity_id in (select e.id from operations.entities e where ${whereOf(node.select, pass)})`;
  const minutes = float(window / 60);
  switch (node.op) {
    case "sum":
      return sql`(select coalesce(sum(r.sum), 0) from ${readings})`;
    case "avg":
      return sql`(select sum(r.sum) / nullif(sum(r.n), 0) from ${readings})`;
    case "max":
      return sql`(select max(r.max) from ${readings})`;
    case "min":
      return sql`(select min(r.min) from ${readings})`;
    case "count":
      return sql`(select coalesce(sum(r.n), 0)::float8 from ${readings})`;
    case "latest":
      return sql`(select r.last from ${readings} order by r.last_at desc, r.entity_id limit 1)`;
    case "rate": {
      const basis = node.basis ?? "change";
      if (basis === "sum") return sql`(select coalesce(sum(r.sum), 0) / ${minutes} from ${readings})`;
      if (basis === "count") return sql`(select coalesce(sum(r.n), 0) / ${minutes} from ${readings})`;
      // Per entity: the last value of its latest bucket minus that of its earliest, per minute between them.
      return sql`(select sum(d) from (
        select ((array_agg(r.last order by r.bucket desc))[1] - (array_agg(r.last order by r.bucket))[1])
          / nullif(extract(epoch from max(r.last_at) - min(r.last_at)) / 60, 0) as d
        from ${readings} group by r.entity_id) per_entity)`;
    }
  }
}

/** The scalar SQL expression of a formula (float8, null when it has no data). */
export function formulaSql(formula: Formula, pass: Pass): SQL {
  if (typeof formula === "number") return float(formula);
  let expr: SQL;
  switch (formula.op) {
    case "const":
      return float(formula.value);
    case "ratio":
      expr = sql`(${formulaSql(formula.num, pass)}) / nullif((${formulaSql(formula.den, pass)}), 0)`;
      break;
    case "rate":
      expr = windowSql(formula, pass);
      break;
    default:
      expr = formula.window !== undefined ? windowSql(formula, pass) : currentSql(formula, pass);
  }
  return formula.scale !== undefined ? sql`((${expr}) * ${float(formula.scale)})` : expr;
}

/** Evaluates formulas in one statement: code → value (null: no data). */
export async function computeValues(
  tx: Db,
  items: { code: string; formula: Formula }[],
  pass: Pass,
): Promise<Map<string, number | null>> {
  const values = new Map<string, number | null>();
  if (items.length === 0) return values;
  const rows = await queryRows<{ code: string; value: number | string | null }>(
    tx,
    sql.join(
      items.map(
        (i) => sql`select ${i.code}::text as code, (${formulaSql(i.formula, pass)})::float8 as value`,
      ),
      sql` union all `,
    ),
  );
  for (const row of rows) {
    const v = row.value === null ? null : Number(row.value);
    values.set(row.code, v === null || !Number.isFinite(v) ? null : Number(v.toPrecision(10)));
  }
  return values;
}
