import type { TimerSpec } from "./model";

/** When a timer fires and, for a cycle, how it repeats. */
export interface TimerSchedule {
  at: Date;
  /** For cycles: how many more times after this one (null: for ever) and the interval. */
  repeat?: { remaining: number | null; duration: string };
}

const DURATION =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Adds an ISO 8601 duration (PnYnMnWnDTnHnMnS) to an instant; years and months by the calendar. */
export function addDuration(from: Date, duration: string): Date {
  const match = DURATION.exec(duration);
  if (!match) throw new Error(`"${duration}" is not an ISO 8601 duration`);
  const [, y, mo, w, d, h, mi, s] = match.map((v) => (v === undefined ? 0 : Number(v))) as number[];
  const at = new Date(from);
  if (y || mo) at.setUTCMonth(at.getUTCMonth() + (y ?? 0) * 12 + (mo ?? 0));
  const ms = (((w ?? 0) * 7 + (d ?? 0)) * 86_400 + (h ?? 0) * 3600 + (mi ?? 0) * 60 + (s ?? 0)) * 1000;
  return new Date(at.getTime() + ms);
}

export function isDuration(value: string): boolean {
  return DURATION.test(value);
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO date or date-time; without an offset it is China Standard Time, as the district means it. */
export function parseDateTime(value: string): Date {
  if (!DATE_TIME.test(value)) throw new Error(`"${value}" is not an ISO 8601 date-time`);
  const withTime = value.includes("T") ? value : `${value}T00:00:00`;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(withTime) ? withTime : `${withTime}+08:00`;
  const at = new Date(zoned);
  if (Number.isNaN(at.getTime())) throw new Error(`"${value}" is not a valid date`);
  return at;
}

/** Resolves a literal timer definition (expressions are evaluated by the executor first). */
export function parseTimer(timer: TimerSpec, now: Date): TimerSchedule {
  const value = timer.value.trim();
  if (timer.kind === "duration") return { at: addDuration(now, value) };
  if (timer.kind === "date") return { at: parseDateTime(value) };
  // R[n]/duration, R[n]/start/duration
  const parts = value.split("/");
  const repeat = /^R(\d*)$/.exec(parts[0] ?? "");
  if (!repeat || parts.length < 2 || parts.length > 3) {
    throw new Error(`"${value}" is not an ISO 8601 repeating interval (cron is not supported)`);
  }
  const count = repeat[1] === "" ? null : Number(repeat[1]);
  if (count === 0) throw new Error(`"${value}" repeats zero times`);
  const duration = parts[parts.length - 1]!;
  if (!isDuration(duration)) throw new Error(`"${duration}" is not an ISO 8601 duration`);
  let at = parts.length === 3 ? parseDateTime(parts[1]!) : addDuration(now, duration);
  // A start in the past: the first occurrence still ahead.
  let guard = 0;
  while (parts.length === 3 && at < now && guard++ < 100_000) at = addDuration(at, duration);
  return { at, repeat: { remaining: count === null ? null : count - 1, duration } };
}
