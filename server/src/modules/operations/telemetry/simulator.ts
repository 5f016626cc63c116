/**
 * The demo's telemetry simulator: a realistic day in the scenic area, so the screens are alive on
 * first start. Crowds rise through the day and peak at the evening light show (19:30–21:30),
 * higher on weekends and much higher on public holidays (the working-day calendar); traffic has
 * its rush hours; temperature follows the sun; the river has its tide; now and then a street light
 * fails or a camera drops out and comes back. On start it fills the last hours of history, then
 * sends every sensor's reading every TICK_MS — through the same ingestion as devices.
 */
import type { FastifyBaseLogger } from "fastify";
import type { WorkingDayCalendar } from "../../../kernel/calendar/calendar";
import { shanghaiDate } from "../../../kernel/calendar/calendar";
import type { Db } from "../../../kernel/db/db";
import { rawQuery } from "../../../kernel/db/db";
import { CORE_CONTEXT, DEFAULT_VOCAB, expandTerm } from "../twin/context";
import type { TelemetryIngest } from "./ingest";
import type { Reading } from "./store";

export const TICK_MS = 10_000;
const BACKFILL_STEP_MS = 5 * 60_000;
const BACKFILL_PAUSE_MS = 100;
const iri = (term: string) => expandTerm(CORE_CONTEXT, term);

/** A number in [0, 1) from a string: the same noise for the same sensor and time slot. */
export function noise(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return ((h >>> 0) % 100_000) / 100_000;
}

/** Hours since midnight in Shanghai (UTC+8, no daylight saving). */
function shanghaiHour(at: Date): number {
  return (((at.getUTCHours() + 8) % 24) + at.getUTCMinutes() / 60 + 24) % 24;
}

function bump(hour: number, centre: number, width: number): number {
  return Math.exp(-((hour - centre) ** 2) / (2 * width * width));
}

export type DayKind = "holiday" | "rest" | "working";

export function dayKind(at: Date, calendar: WorkingDayCalendar): DayKind {
  const date = shanghaiDate(at);
  if (calendar.entryFor(date)?.kind === "holiday") return "holiday";
  return calendar.isWorkingDay(date) ? "working" : "rest";
}

/** The share of a zone's capacity present at a time (may pass 1 on a holiday evening). */
export function crowdShare(at: Date, kind: DayKind): number {
  const h = shanghaiHour(at);
  const daytime = 0.42 * bump(h, 15, 3.2);
  const lightShow = 0.55 * bump(h, 20.5, 1.1);
  const night = 0.02;
  const factor = kind === "holiday" ? 1.45 : kind === "rest" ? 1.15 : 0.75;
  return (night + daytime + lightShow) * factor;
}

/** Vehicles per hour on a detector with room for about 1,800. */
export function trafficIntensity(at: Date, kind: DayKind): number {
  const h = shanghaiHour(at);
  const rush = kind === "working" ? 900 * bump(h, 8.3, 0.9) + 1000 * bump(h, 18, 1.1) : 500 * bump(h, 11, 2);
  const show = (kind === "working" ? 500 : 900) * bump(h, 19.5, 1);
  return 120 + 500 * bump(h, 14, 4) + rush + show;
}

/** PM2.5 → the individual AQI (HJ 633-2012 breakpoints for the 24-hour mean). */
export function aqiOfPm25(pm25: number): number {
  const points: [number, number][] = [
    [0, 0],
    [35, 50],
    [75, 100],
    [115, 150],
    [150, 200],
    [250, 300],
    [350, 400],
    [500, 500],
  ];
  for (let i = 1; i < points.length; i++) {
    const [c1, i1] = points[i]!;
    const [c0, i0] = points[i - 1]!;
    if (pm25 <= c1) return Math.round(i0 + ((i1 - i0) * (pm25 - c0)) / (c1 - c0));
  }
  return 500;
}

interface Sensor {
  id: string;
  type: string;
  capacity: number | null;
  status: string | null;
  componentType: string | null;
}

const SENSOR_TYPES = [
  "CrowdCounter",
  "TrafficFlowObserved",
  "AirQualityObserved",
  "WeatherObserved",
  "WaterLevelObserved",
  "Component",
  "Camera",
];

/** What every simulated sensor reads at a time (status changes are stateful and made by `tick`). */
export function readingsAt(sensors: Sensor[], at: Date, kind: DayKind): Reading[] {
  const observedAt = at.toISOString();
  const slot = Math.floor(at.getTime() / BACKFILL_STEP_MS);
  const out: Reading[] = [];
  const push = (id: string, term: string, value: number | string, unitCode?: string) =>
    out.push({ entityId: id, attr: iri(term), observedAt, value, ...(unitCode ? { unitCode } : {}) });
  const h = shanghaiHour(at);
  const traffic = trafficIntensity(at, kind);
  for (const s of sensors) {
    const n = noise(`${s.id}:${slot}`) - 0.5;
    switch (s.type) {
      case "CrowdCounter":
        // Each zone has two counters; each sees about half of the zone's crowd.
        push(
          s.id,
          "peopleCount",
          Math.max(0, Math.round(((s.capacity ?? 5000) / 2) * crowdShare(at, kind) * (1 + 0.16 * n))),
          "IE",
        );
        break;
      case "TrafficFlowObserved": {
        const intensity = Math.max(0, Math.round(traffic * (1 + 0.2 * n)));
        const congestion = 1 + 2.2 * (intensity / 1800) ** 2;
        push(s.id, "intensity", intensity);
        push(s.id, "congestionIndex", Math.round(congestion * 100) / 100);
        push(s.id, "averageVehicleSpeed", Math.round((52 / congestion) * 10) / 10, "KMH");
        break;
      }
      case "AirQualityObserved": {
        const pm25 = Math.max(5, 18 + 14 * (traffic / 2000) + 10 * bump(h, 7, 2) + 6 * n);
        push(s.id, "pm25", Math.round(pm25), "GQ");
        push(s.id, "pm10", Math.round(pm25 * 1.6), "GQ");
        push(s.id, "aqi", aqiOfPm25(pm25));
        break;
      }
      case "WeatherObserved":
        push(
          s.id,
          "temperature",
          Math.round((19 + 5.5 * Math.sin((2 * Math.PI * (h - 9)) / 24) + n) * 10) / 10,
          "CEL",
        );
        push(
          s.id,
          "relativeHumidity",
          Math.round((0.7 - 0.15 * Math.sin((2 * Math.PI * (h - 9)) / 24) + 0.05 * n) * 100),
          "P1",
        );
        push(s.id, "windSpeed", Math.round((2.5 + 1.5 * bump(h, 15, 3) + 2 * (n + 0.5)) * 10) / 10, "MTS");
        break;
      case "WaterLevelObserved":
        // The Pearl River's semi-diurnal tide (12.42 h).
        push(
          s.id,
          "waterLevel",
          Math.round(
            (5 + 0.8 * Math.sin((2 * Math.PI * at.getTime()) / (12.42 * 3_600_000)) + 0.05 * n) * 100,
          ) / 100,
          "MTR",
        );
        break;
    }
  }
  return out;
}

export class TelemetrySimulator {
  private timer: NodeJS.Timeout | null = null;
  private sensors: Sensor[] = [];
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: Db,
    private readonly ingest: TelemetryIngest,
    private readonly calendar: () => WorkingDayCalendar,
    private readonly clock: { now(): Date },
    private readonly log: FastifyBaseLogger,
  ) {}

  async load(): Promise<number> {
    const rows = await rawQuery<{
      id: string;
      type: string;
      capacity: number | null;
      status: string | null;
      component_type: string | null;
    }>(
      this.db,
      `select e.id, substr(e.types[1], length($2) + 1) as type,
              (z.attrs -> $3 ->> 'value')::float8 as capacity,
              e.attrs -> $4 ->> 'value' as status, e.attrs -> $5 ->> 'value' as component_type
       from operations.entities e
       left join operations.entities z on z.id = e.attrs -> $6 ->> 'object'
       where e.types && $1::text[]`,
      [
        SENSOR_TYPES.map(iri),
        DEFAULT_VOCAB,
        iri("capacity"),
        iri("status"),
        iri("componentType"),
        iri("refArea"),
      ],
    );
    this.sensors = rows.map((r) => ({
      id: r.id,
      type: r.type,
      capacity: r.capacity,
      status: r.status,
      componentType: r.component_type,
    }));
    return this.sensors.length;
  }

  /**
   * History for the last `hours` (or since the last reading kept), every five minutes; what is
   * there already is skipped by the store, so a restart only fills the gap.
   */
  async backfill(hours: number): Promise<number> {
    const now = this.clock.now().getTime();
    let sent = 0;
    const [latest] = await rawQuery<{ at: string | null }>(
      this.db,
      "select max(last_at)::text as at from operations.readings_1h where entity_id = any($1::text[])",
      [this.sensors.map((s) => s.id)],
    );
    const since = Math.max(now - hours * 3_600_000, latest?.at ? Date.parse(latest.at) : 0);
    const start = Math.floor(since / BACKFILL_STEP_MS) * BACKFILL_STEP_MS;
    for (let t = start; t < now; t += BACKFILL_STEP_MS * 12) {
      const batch: Reading[] = [];
      for (let s = t; s < Math.min(now, t + BACKFILL_STEP_MS * 12); s += BACKFILL_STEP_MS) {
        const at = new Date(s);
        batch.push(...readingsAt(this.sensors, at, dayKind(at, this.calendar())));
      }
      await this.ingest.submitReadings(batch);
      sent += batch.length;
      // Leave room between chunks: on a new demo district the first page loads come in meanwhile.
      await new Promise((resolve) => setTimeout(resolve, BACKFILL_PAUSE_MS));
    }
    return sent;
  }

  /** One round of readings now, and now and then a fault or a repair. */
  async tick(): Promise<void> {
    const at = this.clock.now();
    const readings = readingsAt(this.sensors, at, dayKind(at, this.calendar()));
    const observedAt = at.toISOString();
    const slot = Math.floor(at.getTime() / TICK_MS);
    for (const s of this.sensors) {
      if (s.type !== "Component" && s.type !== "Camera") continue;
      const r = noise(`${s.id}:fault:${slot}`);
      const broken = s.type === "Camera" ? "offline" : "fault";
      const working = s.type === "Camera" ? "online" : "normal";
      // About one failure an hour across the area's 520 devices; repairs within about an hour.
      const next = s.status === broken ? (r < 0.003 ? working : broken) : r < 0.000_01 ? broken : working;
      if (next !== s.status) {
        s.status = next;
        readings.push({ entityId: s.id, attr: iri("status"), observedAt, value: next });
      }
    }
    await this.ingest.submitReadings(readings);
  }

  async start(backfillHours: number): Promise<void> {
    const count = await this.load();
    if (count === 0) return;
    const sent = await this.backfill(backfillHours);
    this.log.info(
      { sensors: count, backfilled: sent },
      "telemetry simulator running (TELEMETRY_SIMULATOR=false turns it off)",
    );
    const loop = () => {
      this.running = this.tick()
        .catch((e) => this.log.warn({ err: e }, "simulated readings failed"))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(loop, TICK_MS);
        });
    };
    this.timer = setTimeout(loop, TICK_MS);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
