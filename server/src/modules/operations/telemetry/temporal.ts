/**
 * The NGSI-LD temporal API's reads (§5.7.3–5.7.4) over the time-series store: an entity's attribute
 * history in a time range (timerel before | after | between, lastN), as instances, as
 * temporalValues pairs, or aggregated per period (aggrMethods totalCount, sum, avg, min, max over
 * aggrPeriodDuration) — from the hour or minute roll-ups when the period allows, else from readings.
 */
import type { Db } from "../../../kernel/db/db";
import { rawQuery } from "../../../kernel/db/db";
import { bad, isDateTime } from "../twin/entity";

export const MAX_INSTANCES = 10_000;
const AGGREGATES = ["totalCount", "sum", "avg", "min", "max"] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export interface TimeRange {
  from: string | null;
  to: string | null;
  lastN: number | null;
}

function time(value: string | undefined, name: string): string {
  if (!isDateTime(value)) throw bad(`${name} must be an ISO 8601 date-time with a time zone`);
  return new Date(value).toISOString();
}

/** timerel, timeAt, endTimeAt and lastN → a range (§4.11). */
export function parseTimeRange(query: {
  timerel?: string;
  timeAt?: string;
  endTimeAt?: string;
  lastN?: string;
  timeproperty?: string;
}): TimeRange {
  if (query.timeproperty !== undefined && query.timeproperty !== "observedAt")
    throw bad("timeproperty: only observedAt is kept for telemetry");
  const lastN = query.lastN === undefined ? null : Number(query.lastN);
  if (lastN !== null && (!Number.isInteger(lastN) || lastN < 1 || lastN > MAX_INSTANCES))
    throw bad(`lastN must be a whole number from 1 to ${MAX_INSTANCES}`);
  switch (query.timerel) {
    case undefined:
      if (query.timeAt !== undefined) throw bad("timeAt needs timerel");
      return { from: null, to: null, lastN };
    case "before":
      return { from: null, to: time(query.timeAt, "timeAt"), lastN };
    case "after":
      return { from: time(query.timeAt, "timeAt"), to: null, lastN };
    case "between": {
      const from = time(query.timeAt, "timeAt");
      const to = time(query.endTimeAt, "endTimeAt");
      if (to <= from) throw bad("endTimeAt must be after timeAt");
      return { from, to, lastN };
    }
    default:
      throw bad("timerel must be before, after or between");
  }
}

/** An ISO 8601 duration of days, hours, minutes and seconds (PT5M, PT1H, P1D) → milliseconds. */
export function parseDuration(value: string): number {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
  if (!m || value === "P" || value.endsWith("T"))
    throw bad("aggrPeriodDuration must be an ISO 8601 duration such as PT5M, PT1H or P1D");
  const ms =
    ((Number(m[1] ?? 0) * 7 + Number(m[2] ?? 0)) * 86_400 +
      Number(m[3] ?? 0) * 3600 +
      Number(m[4] ?? 0) * 60 +
      Number(m[5] ?? 0)) *
    1000;
  if (ms < 1000) throw bad("aggrPeriodDuration must be at least one second");
  return ms;
}

export function parseAggregates(value: string | undefined): Aggregate[] {
  if (!value) throw bad("aggregatedValues needs aggrMethods (totalCount, sum, avg, min, max)");
  const list = value.split(",").map((v) => v.trim());
  for (const a of list)
    if (!(AGGREGATES as readonly string[]).includes(a))
      throw bad(`aggrMethods: ${a} is not one of ${AGGREGATES.join(", ")}`);
  return list as Aggregate[];
}

export interface Instance {
  attr: string;
  value: number | string;
  observedAt: string;
}

/** The readings of an entity's attributes in a range, oldest first (the last N when lastN is set). */
export async function readInstances(
  db: Db,
  entityId: string,
  attrs: string[] | null,
  range: TimeRange,
): Promise<Instance[]> {
  const rows = await rawQuery<{
    attr: string;
    value: number | null;
    text_value: string | null;
    observed_at: string;
  }>(
    db,
    `select attr, value, text_value, to_char(observed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as observed_at
     from (
       select attr, value, text_value, observed_at,
              row_number() over (partition by attr order by observed_at desc) as recent
       from operations.readings
       where entity_id = $1 and ($2::text[] is null or attr = any($2::text[]))
         and ($3::timestamptz is null or observed_at >= $3) and ($4::timestamptz is null or observed_at < $4)
     ) r
     where recent <= $5
     order by attr, observed_at`,
    [entityId, attrs, range.from, range.to, range.lastN ?? MAX_INSTANCES],
  );
  return rows.map((r) => ({ attr: r.attr, value: r.value ?? r.text_value ?? 0, observedAt: r.observed_at }));
}

export interface AggregatedPeriod {
  attr: string;
  start: string;
  end: string;
  totalCount: number;
  sum: number;
  avg: number;
  min: number;
  max: number;
}

/** Per-period aggregates of numeric readings; periods start at the range's start (or the first reading). */
export async function readAggregates(
  db: Db,
  entityId: string,
  attrs: string[] | null,
  range: TimeRange,
  periodMs: number,
): Promise<AggregatedPeriod[]> {
  // The coarsest store whose buckets fit whole into the period.
  const source =
    periodMs % 3_600_000 === 0
      ? "operations.readings_1h"
      : periodMs % 60_000 === 0
        ? "operations.readings_1m"
        : null;
  const from = source
    ? `select attr, bucket as t, n, sum, min, max from ${source}
       where entity_id = $1 and ($2::text[] is null or attr = any($2::text[]))
         and ($3::timestamptz is null or bucket >= $3) and ($4::timestamptz is null or bucket < $4)`
    : `select attr, observed_at as t, 1 as n, value as sum, value as min, value as max from operations.readings
       where entity_id = $1 and value is not null and ($2::text[] is null or attr = any($2::text[]))
         and ($3::timestamptz is null or observed_at >= $3) and ($4::timestamptz is null or observed_at < $4)`;
  const rows = await rawQuery<{
    attr: string;
    period: string;
    n: string;
    sum: number;
    min: number;
    max: number;
    origin: string;
  }>(
    db,
    `with src as (${from}),
     origin as (select coalesce($3::timestamptz, (select min(t) from src)) as o)
     select attr, floor(extract(epoch from (t - o)) * 1000 / $5)::bigint::text as period,
            sum(n)::text as n, sum(sum) as sum, min(min) as min, max(max) as max,
            to_char(o at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as origin
     from src, origin group by attr, 2, o order by attr, 2`,
    [entityId, attrs, range.from, range.to, periodMs],
  );
  return rows.map((r) => {
    const start = Date.parse(r.origin) + Number(r.period) * periodMs;
    const n = Number(r.n);
    return {
      attr: r.attr,
      start: new Date(start).toISOString(),
      end: new Date(start + periodMs).toISOString(),
      totalCount: n,
      sum: r.sum,
      avg: n > 0 ? r.sum / n : 0,
      min: r.min,
      max: r.max,
    };
  });
}
