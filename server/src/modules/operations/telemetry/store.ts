/**
 * The time-series store: readings (partitioned by day), their minute and hour roll-ups, and each
 * entity's current value. One statement per batch: duplicates (same entity, attribute and time)
 * are stored once; a late reading fills its roll-up buckets but does not overwrite a newer current
 * value; readings of entities the twin does not know are counted and dropped.
 */
import type { Db } from "../../../kernel/db/db";
import { rawQuery } from "../../../kernel/db/db";

export interface Reading {
  entityId: string;
  /** Attribute IRI. */
  attr: string;
  /** ISO 8601 in UTC with milliseconds (as Date#toISOString gives). */
  observedAt: string;
  value: number | string | boolean;
  unitCode?: string;
}

export interface StoreResult {
  /** New readings stored. */
  stored: number;
  /** Readings already stored (same entity, attribute and time). */
  duplicates: number;
  /** Readings of entities the twin does not hold. */
  unknown: number;
  /** Entity attributes whose current value changed: entity id → attribute IRIs. */
  changed: Map<string, string[]>;
  /** Entity id → type IRIs, for the changed entities. */
  types: Map<string, string[]>;
}

/** The entities' current values: the latest new reading of each attribute, unless a newer one is held. */
const UPDATE_ENTITIES = `
  update operations.entities e set
    attrs = e.attrs || p.patch,
    modified_at = now()
  from (
    select l.entity_id, jsonb_object_agg(l.attr,
             coalesce(e2.attrs -> l.attr, '{"type":"Property"}'::jsonb)
             || jsonb_build_object('value', l.json_value, 'observedAt', l.observed_iso, 'modifiedAt', $2::text,
                                   'createdAt', coalesce(e2.attrs -> l.attr ->> 'createdAt', $2::text))
             || case when l.unit_code is null then '{}'::jsonb else jsonb_build_object('unitCode', l.unit_code) end
           ) as patch,
           array_agg(l.attr) as attrs
    from latest l join operations.entities e2 on e2.id = l.entity_id
    where coalesce(e2.attrs -> l.attr ->> 'observedAt', '') <= l.observed_iso
      and coalesce(e2.attrs -> l.attr ->> 'type', 'Property') = 'Property'
    group by l.entity_id
  ) p
  where e.id = p.entity_id
  returning e.id, e.types, p.attrs`;

const storeSql = (updateEntities: boolean) => `
with input as (
  select distinct on (entity_id, attr, observed_at) *
  from (select r.e as entity_id, r.a as attr, r.o::timestamptz as observed_at, r.v as value, r.s as text_value,
               r.j as json_value, r.o as observed_iso, r.u as unit_code
        from jsonb_to_recordset($1::jsonb) as r(e text, a text, o text, v float8, s text, j jsonb, u text)) t
  order by entity_id, attr, observed_at
),
known as (
  select i.* from input i where exists (select 1 from operations.entities e where e.id = i.entity_id)
),
ins as (
  insert into operations.readings (entity_id, attr, observed_at, value, text_value)
  select entity_id, attr, observed_at, value, text_value from known
  on conflict do nothing
  returning entity_id, attr, observed_at, value
),
m as (
  insert into operations.readings_1m as r (entity_id, attr, bucket, n, sum, min, max, last, last_at)
  select entity_id, attr, date_trunc('minute', observed_at), count(*), sum(value), min(value), max(value),
         (array_agg(value order by observed_at desc))[1], max(observed_at)
  from ins where value is not null group by 1, 2, 3
  on conflict (entity_id, attr, bucket) do update set
    n = r.n + excluded.n, sum = r.sum + excluded.sum, min = least(r.min, excluded.min),
    max = greatest(r.max, excluded.max),
    last = case when excluded.last_at >= r.last_at then excluded.last else r.last end,
    last_at = greatest(r.last_at, excluded.last_at)
  returning 1
),
h as (
  insert into operations.readings_1h as r (entity_id, attr, bucket, n, sum, min, max, last, last_at)
  select entity_id, attr, date_trunc('hour', observed_at), count(*), sum(value), min(value), max(value),
         (array_agg(value order by observed_at desc))[1], max(observed_at)
  from ins where value is not null group by 1, 2, 3
  on conflict (entity_id, attr, bucket) do update set
    n = r.n + excluded.n, sum = r.sum + excluded.sum, min = least(r.min, excluded.min),
    max = greatest(r.max, excluded.max),
    last = case when excluded.last_at >= r.last_at then excluded.last else r.last end,
    last_at = greatest(r.last_at, excluded.last_at)
  returning 1
),
latest as (
  select distinct on (k.entity_id, k.attr) k.entity_id, k.attr, k.json_value, k.observed_iso, k.unit_code
  from known k join ins using (entity_id, attr, observed_at)
  order by k.entity_id, k.attr, k.observed_at desc
),
upd as (${updateEntities ? UPDATE_ENTITIES : "select null::text as id, null::text[] as types, null::text[] as attrs where $2::text is null"})
select 'changed' as kind, id as entity_id, types, attrs, null::int as n from upd
union all select 'stored', null, null, null, (select count(*)::int from ins)
union all select 'known', null, null, null, (select count(*)::int from known)
union all select 'input', null, null, null, (select count(*)::int from input)
union all select 'rollups', null, null, null, (select count(*)::int from m) + (select count(*)::int from h)`;

interface Row {
  kind: string;
  entity_id: string | null;
  types: string[] | null;
  attrs: string[] | null;
  n: number | null;
}

const STORE_SQL = storeSql(true);
const RECORD_SQL = storeSql(false);

/**
 * Stores a batch of readings in one statement (see the file comment). `updateEntities: false` keeps
 * only the history, for values the caller has written to the entity itself (an NGSI-LD update).
 */
export async function storeReadings(
  db: Db,
  readings: Reading[],
  now = new Date(),
  options: { updateEntities: boolean } = { updateEntities: true },
): Promise<StoreResult> {
  const result: StoreResult = { stored: 0, duplicates: 0, unknown: 0, changed: new Map(), types: new Map() };
  if (readings.length === 0) return result;
  // One JSON parameter: cheaper to send than eight arrays of the batch's size.
  const rows = await rawQuery<Row>(
    db,
    options.updateEntities ? STORE_SQL : RECORD_SQL,
    [
      JSON.stringify(
        readings.map((r) => ({
          e: r.entityId,
          a: r.attr,
          o: r.observedAt,
          v: typeof r.value === "number" ? r.value : typeof r.value === "boolean" ? Number(r.value) : null,
          s: typeof r.value === "string" ? r.value : null,
          j: r.value,
          u: r.unitCode ?? null,
        })),
      ),
      now.toISOString(),
    ],
    { prepare: true },
  );
  let input = 0;
  let known = 0;
  for (const row of rows) {
    if (row.kind === "changed" && row.entity_id) {
      result.changed.set(row.entity_id, row.attrs ?? []);
      result.types.set(row.entity_id, row.types ?? []);
    } else if (row.kind === "stored") result.stored = row.n ?? 0;
    else if (row.kind === "known") known = row.n ?? 0;
    else if (row.kind === "input") input = row.n ?? 0;
  }
  result.unknown = input - known;
  result.duplicates = readings.length - result.stored - result.unknown;
  return result;
}
