/**
 * Short-term forecasts of an area's hourly series (crowd load, congestion index): a seasonal
 * profile by hour of day for each kind of day (working day, rest day, public holiday — from the
 * working-day calendar), scaled by how the last hours ran against the profile (the level, damped
 * towards the profile further ahead), with an 80 % interval from the profile's spread.
 */
import type { DayKind } from "../telemetry/simulator";

export interface HourPoint {
  /** Start of the hour (UTC instant). */
  at: Date;
  value: number;
}

export interface ForecastPoint {
  at: string;
  value: number;
  low: number;
  high: number;
}

interface Cell {
  n: number;
  mean: number;
  m2: number;
}

/** Mean and spread per (kind of day, hour of day in Shanghai); pooled per hour as a fallback. */
export interface Profile {
  cells: Map<string, Cell>;
  pooled: Map<number, Cell>;
  /** Spread of the relative error of forecasts 1, 2, 3 … hours ahead, measured on the history itself. */
  relativeError: number[];
}

const Z80 = 1.2816;
/** How quickly the level's departure from the profile fades with the horizon (per hour). */
const DAMPING = 0.8;
const MIN_SAMPLES = 3;

export function shanghaiHourOf(at: Date): number {
  return (at.getUTCHours() + 8) % 24;
}

function add(cell: Cell | undefined, value: number): Cell {
  const c = cell ?? { n: 0, mean: 0, m2: 0 };
  const n = c.n + 1;
  const delta = value - c.mean;
  const mean = c.mean + delta / n;
  return { n, mean, m2: c.m2 + delta * (value - mean) };
}

const std = (c: Cell) => (c.n > 1 ? Math.sqrt(c.m2 / (c.n - 1)) : 0);

const HORIZONS = 3;

export function fitProfile(history: HourPoint[], kindOf: (at: Date) => DayKind): Profile {
  const cells = new Map<string, Cell>();
  const pooled = new Map<number, Cell>();
  for (const p of history) {
    const hour = shanghaiHourOf(p.at);
    const key = `${kindOf(p.at)}:${hour}`;
    cells.set(key, add(cells.get(key), p.value));
    pooled.set(hour, add(pooled.get(hour), p.value));
  }
  const profile: Profile = { cells, pooled, relativeError: [] };
  // The interval comes from how the method itself erred on the history (in-sample, so a little narrow).
  const errors: Cell[] = Array.from({ length: HORIZONS }, () => ({ n: 0, mean: 0, m2: 0 }));
  for (let i = 3; i + HORIZONS <= history.length; i++) {
    const points = forecast(profile, history.slice(i - 3, i), history[i - 1]!.at, HORIZONS, kindOf);
    if (!points) continue;
    for (let h = 0; h < HORIZONS; h++) {
      const actual = history[i + h]!.value;
      if (points[h]!.value > 0 && actual > 0) errors[h] = add(errors[h], actual / points[h]!.value - 1);
    }
  }
  profile.relativeError = errors.map((e) => (e.n > 1 ? Math.sqrt(e.m2 / (e.n - 1) + e.mean ** 2) : 0.2));
  return profile;
}

function expected(
  profile: Profile,
  at: Date,
  kindOf: (at: Date) => DayKind,
): { mean: number; std: number } | null {
  const hour = shanghaiHourOf(at);
  const kind = kindOf(at);
  let cell = profile.cells.get(`${kind}:${hour}`);
  // Holidays are few: without enough of them, a rest day's profile scaled up stands in.
  if ((!cell || cell.n < MIN_SAMPLES) && kind === "holiday") {
    const rest = profile.cells.get(`rest:${hour}`);
    if (rest && rest.n >= MIN_SAMPLES) cell = { n: rest.n, mean: rest.mean * 1.25, m2: rest.m2 * 1.25 ** 2 };
  }
  if (!cell || cell.n < MIN_SAMPLES) cell = profile.pooled.get(hour);
  if (!cell || cell.n === 0) return null;
  return { mean: cell.mean, std: std(cell) };
}

/**
 * The next `hours` hourly values after `from` (the start of the current hour), given the latest
 * actual hours (oldest first). Null when the history holds nothing for those hours.
 */
export function forecast(
  profile: Profile,
  recent: HourPoint[],
  from: Date,
  hours: number,
  kindOf: (at: Date) => DayKind,
): ForecastPoint[] | null {
  const ratios: number[] = [];
  for (const p of recent) {
    const e = expected(profile, p.at, kindOf);
    if (e && e.mean > 0) ratios.push(p.value / e.mean);
  }
  ratios.sort((a, b) => a - b);
  const level = ratios.length > 0 ? Math.min(2, Math.max(0.5, ratios[Math.floor(ratios.length / 2)]!)) : 1;
  const points: ForecastPoint[] = [];
  for (let h = 1; h <= hours; h++) {
    const at = new Date(from.getTime() + h * 3_600_000);
    const e = expected(profile, at, kindOf);
    if (!e) return null;
    const factor = 1 + (level - 1) * DAMPING ** h;
    const value = e.mean * factor;
    const relative = profile.relativeError[Math.min(h, profile.relativeError.length) - 1] ?? 0.2;
    const spread = Z80 * value * relative;
    points.push({ at: at.toISOString(), value, low: Math.max(0, value - spread), high: value + spread });
  }
  return points;
}

/** Mean absolute percentage error over the pairs whose actual value is not zero. */
export function mape(pairs: { actual: number; predicted: number }[]): number {
  const usable = pairs.filter((p) => p.actual !== 0);
  if (usable.length === 0) return Number.NaN;
  return usable.reduce((s, p) => s + Math.abs((p.actual - p.predicted) / p.actual), 0) / usable.length;
}
