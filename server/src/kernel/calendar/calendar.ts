/**
 * Mainland-China working-day calendar. Dates are calendar dates in Asia/Shanghai as `YYYY-MM-DD`.
 * Weekends are non-working unless a `workday` entry (调休 make-up day) says otherwise; `holiday`
 * entries are non-working. Per-year prefix counts make every query O(log 366) plus O(years spanned).
 */

export type CalendarEntry = { date: string; kind: "holiday" | "workday"; name: string };

export type WorkingDayCalendar = {
  isWorkingDay(date: string): boolean;
  /** n > 0: the n-th working day after `date`; n < 0: the |n|-th before it; n = 0: `date` itself. */
  addWorkingDays(date: string, n: number): string;
  /** Working days in (from, to]; negated when from > to, so it is antisymmetric. */
  workingDaysBetween(from: string, to: string): number;
  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string;
  entryFor(date: string): CalendarEntry | undefined;
};

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_STEP = 1_000_000;

/** China has used a fixed UTC+8 with no daylight saving since 1991, so no tz database is needed. */
export function shanghaiDate(instant: Date): string {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError("invalid instant");
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Days since 1970-01-01 for a validated `YYYY-MM-DD`. */
function dayNumber(date: string): number {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const [, y, mo, d] = m.map(Number) as [number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`no such date: ${date}`);
  }
  return ms / DAY_MS;
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

type Year = {
  start: number;
  /** prefix[i]: working days among the first i + 1 days of the year. */
  prefix: Int32Array;
  total: number;
};

/** Smallest i in [lo, prefix.length) with prefix[i] >= target; prefix is non-decreasing. */
function firstAtLeast(prefix: Int32Array, target: number, lo: number): number {
  let low = lo;
  let high = prefix.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (prefix[mid]! >= target) high = mid;
    else low = mid + 1;
  }
  return low;
}

export function createCalendar(entries: readonly CalendarEntry[]): WorkingDayCalendar {
  const byDay = new Map<number, CalendarEntry>();
  for (const entry of entries) {
    const day = dayNumber(entry.date);
    const existing = byDay.get(day);
    if (existing && existing.kind !== entry.kind) {
      throw new Error(`conflicting calendar entries for ${entry.date}`);
    }
    byDay.set(day, { ...entry });
  }

  const isWorking = (day: number): boolean => {
    const entry = byDay.get(day);
    if (entry) return entry.kind === "workday";
    const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    return weekday !== 0 && weekday !== 6;
  };

  const years = new Map<number, Year>();
  const yearData = (year: number): Year => {
    let data = years.get(year);
    if (!data) {
      const start = Date.UTC(year, 0, 1) / DAY_MS;
      const length = Date.UTC(year + 1, 0, 1) / DAY_MS - start;
      const prefix = new Int32Array(length);
      let count = 0;
      for (let i = 0; i < length; i++) {
        if (isWorking(start + i)) count++;
        prefix[i] = count;
      }
      data = { start, prefix, total: count };
      years.set(year, data);
    }
    return data;
  };

  const locate = (date: string): { year: number; index: number; day: number } => {
    const day = dayNumber(date);
    const year = Number(date.slice(0, 4));
    return { year, index: day - yearData(year).start, day };
  };

  const addWorkingDays = (date: string, n: number): string => {
    if (!Number.isInteger(n) || Math.abs(n) > MAX_STEP) throw new RangeError(`bad working-day count: ${n}`);
    const { year: startYear, index } = locate(date);
    if (n === 0) return date;
    let year = startYear;
    let data = yearData(year);
    let remaining = Math.abs(n);
    if (n > 0) {
      // Working days already used up in this year, counting `date` itself.
      let base = data.prefix[index]!;
      while (remaining > data.total - base) {
        remaining -= data.total - base;
        data = yearData(++year);
        base = 0;
      }
      return dateOf(data.start + firstAtLeast(data.prefix, base + remaining, 0));
    }
    // Working days strictly before `date` in this year.
    let before = index > 0 ? data.prefix[index - 1]! : 0;
    while (remaining > before) {
      remaining -= before;
      data = yearData(--year);
      before = data.total;
    }
    return dateOf(data.start + firstAtLeast(data.prefix, before - remaining + 1, 0));
  };

  const workingDaysBetween = (from: string, to: string): number => {
    const a = locate(from);
    const b = locate(to);
    if (a.day > b.day) {
      const forward = workingDaysBetween(to, from);
      return forward === 0 ? 0 : -forward; // never -0, which trips strict equality checks
    }
    let count = yearData(b.year).prefix[b.index]! - yearData(a.year).prefix[a.index]!;
    for (let y = a.year; y < b.year; y++) count += yearData(y).total;
    return count;
  };

  return {
    isWorkingDay: (date) => isWorking(dayNumber(date)),
    addWorkingDays,
    workingDaysBetween,
    nextWorkingDay: (date) => addWorkingDays(date, 1),
    entryFor: (date) => {
      const entry = byDay.get(dayNumber(date));
      return entry ? { ...entry } : undefined;
    },
  };
}
