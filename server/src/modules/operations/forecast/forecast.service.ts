/**
 * Forecasts and warnings for the twin's areas: the crowd (sum of the area's crowd counters) against
 * 80 % of the area's capacity (承载量), and the congestion index of its traffic detectors against
 * 2.0, for the next three hours; warnings raised, updated and ended as forecasts change, and CAP
 * weather warnings turned into area warnings. Every raised, changed or ended warning is audited and
 * published (operations.warning.raised | updated | ended).
 */
import booleanIntersects from "@turf/boolean-intersects";
import { appendAudit } from "../../../kernel/audit/audit";
import type { Db } from "../../../kernel/db/db";
import { rawQuery } from "../../../kernel/db/db";
import { newId } from "../../../kernel/db/ids";
import { publishEvent } from "../../../kernel/events/events";
import type { Ctx } from "../../../kernel/http/context";
import type { DayKind } from "../telemetry/simulator";
import { CORE_CONTEXT, expandTerm } from "../twin/context";
import { type CapAlert, levelOfSeverity } from "./cap";
import { type ForecastPoint, fitProfile, forecast, type HourPoint } from "./model";

const iri = (term: string) => expandTerm(CORE_CONTEXT, term);
export const HORIZON_HOURS = 3;
export const HISTORY_DAYS = 28;
export const CROWD_WARNING_SHARE = 0.8;
export const CONGESTION_WARNING = 2.0;

export type ForecastKind = "crowd" | "traffic";

export interface AreaForecast {
  areaId: string;
  name: string;
  kind: ForecastKind;
  unit: string;
  /** The value a warning starts at (80 % of capacity, or congestion index 2.0). */
  threshold: number;
  capacity: number | null;
  latest: number | null;
  points: ForecastPoint[];
  /** The first forecast hour at or above the threshold, if any. */
  crossesAt: string | null;
}

interface AreaRow {
  id: string;
  name: string;
  capacity: number | null;
  polygon: unknown;
}

export async function listAreas(db: Db): Promise<AreaRow[]> {
  return rawQuery<AreaRow>(
    db,
    `select id, attrs -> $2 ->> 'value' as name, (attrs -> $3 ->> 'value')::float8 as capacity, attrs -> $4 -> 'value' as polygon
     from operations.entities where types && $1::text[] order by seq`,
    [[iri("Area")], iri("name"), iri("capacity"), iri("location")],
  );
}

const SOURCES: Record<ForecastKind, { type: string; attr: string; combine: "sum" | "avg"; unit: string }> = {
  crowd: { type: "CrowdCounter", attr: "peopleCount", combine: "sum", unit: "人" },
  traffic: { type: "TrafficFlowObserved", attr: "congestionIndex", combine: "avg", unit: "" },
};

/** The area's hourly series: each sensor's hourly mean, summed (crowd) or averaged (traffic) over the area's sensors. */
async function hourlySeries(db: Db, areaId: string, kind: ForecastKind, since: Date): Promise<HourPoint[]> {
  const source = SOURCES[kind];
  const rows = await rawQuery<{ bucket: string; value: number }>(
    db,
    `with sensors as (
       select e.id from operations.entities e
       where e.types && $1::text[]
         and (e.attrs -> $2 ->> 'object' = $3
              or e.attrs -> $2 ->> 'object' in (select z.id from operations.entities z where z.attrs -> $4 ->> 'object' = $3))
     )
     select to_char(r.bucket at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as bucket,
            ${source.combine}(r.sum / r.n) as value
     from operations.readings_1h r join sensors s on s.id = r.entity_id
     where r.attr = $5 and r.bucket >= $6
     group by r.bucket order by r.bucket`,
    [[iri(source.type)], iri("refArea"), areaId, iri("partOf"), iri(source.attr), since.toISOString()],
  );
  return rows.map((r) => ({ at: new Date(r.bucket), value: r.value }));
}

export async function forecastArea(
  db: Db,
  area: AreaRow,
  kind: ForecastKind,
  now: Date,
  kindOf: (at: Date) => DayKind,
): Promise<AreaForecast | null> {
  if (kind === "crowd" && !area.capacity) return null;
  const hourStart = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  const series = await hourlySeries(
    db,
    area.id,
    kind,
    new Date(hourStart.getTime() - HISTORY_DAYS * 86_400_000),
  );
  if (series.length < 24) return null;
  // Complete hours form the profile; the last three (the current one included) set the level.
  const history = series.filter((p) => p.at < hourStart);
  const recent = series.filter((p) => p.at.getTime() >= hourStart.getTime() - 2 * 3_600_000);
  const points = forecast(fitProfile(history, kindOf), recent, hourStart, HORIZON_HOURS, kindOf);
  if (!points) return null;
  const threshold = kind === "crowd" ? CROWD_WARNING_SHARE * area.capacity! : CONGESTION_WARNING;
  return {
    areaId: area.id,
    name: area.name,
    kind,
    unit: SOURCES[kind].unit,
    threshold,
    capacity: area.capacity,
    latest: series.at(-1)?.value ?? null,
    points,
    crossesAt: points.find((p) => p.value >= threshold)?.at ?? null,
  };
}

export async function forecastAll(db: Db, now: Date, kindOf: (at: Date) => DayKind): Promise<AreaForecast[]> {
  const out: AreaForecast[] = [];
  for (const area of await listAreas(db)) {
    for (const kind of ["crowd", "traffic"] as const) {
      const f = await forecastArea(db, area, kind, now, kindOf);
      if (f) out.push(f);
    }
  }
  return out;
}

export interface WarningView {
  id: string;
  areaId: string;
  kind: string;
  level: string;
  title: string;
  description: string;
  source: string;
  sourceId: string;
  startsAt: string;
  endsAt: string | null;
  status: string;
  details: Record<string, unknown>;
}

const WARNING_COLUMNS = `id::text, area_id as "areaId", kind, level, title, description, source, source_id as "sourceId",
  to_char(starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "startsAt",
  to_char(ends_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "endsAt", status, details`;

export async function listWarnings(
  db: Db,
  options: { active: boolean; areaId?: string },
): Promise<WarningView[]> {
  return rawQuery<WarningView>(
    db,
    `select ${WARNING_COLUMNS} from operations.warnings
     where ($1::boolean is false or status = 'active') and ($2::text is null or area_id = $2)
     order by starts_at desc limit 500`,
    [options.active, options.areaId ?? null],
  );
}

const LEVEL_NAMES: Record<string, string> = { blue: "蓝色", yellow: "黄色", orange: "橙色", red: "红色" };

function crowdLevel(share: number): string {
  return share >= 1 ? "red" : share >= 0.9 ? "orange" : "yellow";
}

async function recordWarning(
  ctx: Ctx,
  action: "raised" | "updated" | "ended",
  warning: Partial<WarningView> & { id: string },
) {
  await appendAudit(ctx.tx, ctx, {
    action: `operations.warning.${action}`,
    resourceType: "area-warning",
    resourceId: warning.id,
    details: { areaId: warning.areaId, kind: warning.kind, level: warning.level, source: warning.source },
  });
  await publishEvent(ctx.tx, `operations.warning.${action}`, warning);
}

async function endWarning(ctx: Ctx, warning: WarningView, now: string): Promise<void> {
  await rawQuery(
    ctx.tx,
    "update operations.warnings set status = 'ended', ends_at = $2, updated_at = $2 where id = $1",
    [warning.id, now],
  );
  await recordWarning(ctx, "ended", { ...warning, status: "ended" });
}

/**
 * Raises, updates or ends each area's forecast warnings from fresh forecasts. Returns the counts.
 */
export async function applyForecasts(
  ctx: Ctx,
  forecasts: AreaForecast[],
): Promise<{ raised: number; updated: number; ended: number }> {
  const now = ctx.clock.now().toISOString();
  const counts = { raised: 0, updated: 0, ended: 0 };
  const active = await listWarnings(ctx.tx, { active: true });
  const open = new Map(
    active.filter((w) => w.source === "forecast").map((w) => [`${w.areaId}:${w.kind}`, w]),
  );
  for (const f of forecasts) {
    const key = `${f.areaId}:${f.kind}`;
    const current = open.get(key);
    open.delete(key);
    if (!f.crossesAt) {
      if (current) {
        await endWarning(ctx, current, now);
        counts.ended++;
      }
      continue;
    }
    const peak = Math.max(...f.points.map((p) => p.value));
    const level =
      f.kind === "crowd" ? crowdLevel(peak / (f.capacity ?? peak)) : peak >= 3 ? "orange" : "yellow";
    const title =
      f.kind === "crowd"
        ? `${f.name}人流承载${LEVEL_NAMES[level]}预警`
        : `${f.name}交通拥堵${LEVEL_NAMES[level]}预警`;
    const description =
      f.kind === "crowd"
        ? `预计${new Date(f.crossesAt).toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit" })}起人数达到最大承载量的${Math.round((peak / f.capacity!) * 100)}%（承载量${f.capacity}人），请提前疏导分流。`
        : `预计未来三小时拥堵指数最高${peak.toFixed(1)}，请提前做好交通疏导。`;
    const details = { forecast: f.points, threshold: f.threshold, peak, crossesAt: f.crossesAt };
    if (current) {
      if (current.level === level) continue;
      await rawQuery(
        ctx.tx,
        "update operations.warnings set level = $2, title = $3, description = $4, details = $5::jsonb, updated_at = $6 where id = $1",
        [current.id, level, title, description, JSON.stringify(details), now],
      );
      await recordWarning(ctx, "updated", { ...current, level, title });
      counts.updated++;
      continue;
    }
    const id = newId();
    await rawQuery(
      ctx.tx,
      `insert into operations.warnings (id, area_id, kind, level, title, description, source, source_id, starts_at, status, details, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, 'forecast', $7, $8, 'active', $9::jsonb, $10, $10)`,
      [
        id,
        f.areaId,
        f.kind,
        level,
        title,
        description,
        `forecast:${f.kind}`,
        f.crossesAt,
        JSON.stringify(details),
        now,
      ],
    );
    await recordWarning(ctx, "raised", {
      id,
      areaId: f.areaId,
      kind: f.kind,
      level,
      title,
      source: "forecast",
    });
    counts.raised++;
  }
  // Areas without a forecast any more (their sensors went quiet): their forecast warnings end too.
  for (const stale of open.values()) {
    await endWarning(ctx, stale, now);
    counts.ended++;
  }
  return counts;
}

/**
 * A CAP message → area warnings: an Alert or Update raises a weather warning on every twin area its
 * polygons or circles touch (replacing the warnings of the alerts it updates); a Cancel cancels them.
 */
export async function ingestCap(ctx: Ctx, alert: CapAlert): Promise<WarningView[]> {
  const now = ctx.clock.now().toISOString();
  const replaced = alert.msgType === "Alert" ? [] : alert.references;
  if (replaced.length > 0) {
    const cancelled = await rawQuery<WarningView>(
      ctx.tx,
      `update operations.warnings set status = 'cancelled', ends_at = $2, updated_at = $2
       where source = 'cap' and source_id = any($1::text[]) and status = 'active' returning ${WARNING_COLUMNS}`,
      [replaced, now],
    );
    for (const w of cancelled) await recordWarning(ctx, "ended", w);
  }
  if (alert.msgType !== "Alert" && alert.msgType !== "Update") return [];
  const areas = await listAreas(ctx.tx);
  const raised: WarningView[] = [];
  for (const info of alert.infos) {
    if (info.expires && info.expires <= now) continue;
    const level = levelOfSeverity(info.severity);
    for (const area of areas) {
      const hit = info.areas.some((a) =>
        a.polygons.some((polygon) =>
          booleanIntersects(
            { type: "Polygon", coordinates: polygon },
            area.polygon as { type: "Polygon"; coordinates: number[][][] },
          ),
        ),
      );
      if (!hit) continue;
      const id = newId();
      const title = info.headline || `${info.event}${LEVEL_NAMES[level]}预警`;
      const details = {
        event: info.event,
        severity: info.severity,
        urgency: info.urgency,
        certainty: info.certainty,
        sender: alert.sender,
        areas: info.areas.map((a) => a.description),
      };
      await rawQuery(
        ctx.tx,
        `insert into operations.warnings (id, area_id, kind, level, title, description, source, source_id, starts_at, ends_at, status, details, created_at, updated_at)
         values ($1, $2, 'weather', $3, $4, $5, 'cap', $6, $7, $8, 'active', $9::jsonb, $10, $10)`,
        [
          id,
          area.id,
          level,
          title,
          info.description || title,
          alert.identifier,
          info.onset ?? alert.sent,
          info.expires,
          JSON.stringify(details),
          now,
        ],
      );
      const view: WarningView = {
        id,
        areaId: area.id,
        kind: "weather",
        level,
        title,
        description: info.description || title,
        source: "cap",
        sourceId: alert.identifier,
        startsAt: info.onset ?? alert.sent,
        endsAt: info.expires,
        status: "active",
        details,
      };
      await recordWarning(ctx, "raised", view);
      raised.push(view);
    }
  }
  return raised;
}

/** Weather warnings whose CAP expiry has passed end. */
export async function expireWarnings(ctx: Ctx): Promise<number> {
  const now = ctx.clock.now().toISOString();
  const ended = await rawQuery<WarningView>(
    ctx.tx,
    `update operations.warnings set status = 'ended', updated_at = $1
     where status = 'active' and ends_at is not null and ends_at <= $1 returning ${WARNING_COLUMNS}`,
    [now],
  );
  for (const w of ended) await recordWarning(ctx, "ended", w);
  return ended.length;
}
