import type { HolidayEntry, HolidayYear } from "../../shared/types";

const DAY_MS = 86_400_000;

export interface DayCell {
  date: string;
  day: number;
  weekend: boolean;
}

export interface GridCell {
  /** Stable key: the date, or "pad-N" for the blanks before and after the month. */
  key: string;
  day: DayCell | null;
}

export const MONTHS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;
export const WEEKDAY_KEYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** The month's cells in rows of seven starting on Monday; blanks fill the days of other months. */
export function monthCells(year: number, month: number): GridCell[] {
  const first = Date.UTC(year, month, 1);
  const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const lead = (new Date(first).getUTCDay() + 6) % 7;
  const cells: GridCell[] = Array.from({ length: lead }, (_, i) => ({ key: `pad-${i}`, day: null }));
  for (let d = 1; d <= days; d += 1) {
    const at = new Date(first + (d - 1) * DAY_MS);
    const weekday = at.getUTCDay();
    const date = at.toISOString().slice(0, 10);
    cells.push({ key: date, day: { date, day: d, weekend: weekday === 0 || weekday === 6 } });
  }
  while (cells.length % 7) cells.push({ key: `pad-${cells.length}`, day: null });
  return cells;
}

export function sortEntries(items: readonly HolidayEntry[]): HolidayEntry[] {
  return [...items].sort((a, b) => a.date.localeCompare(b.date));
}

export function sameSchedule(a: HolidayYear | null, b: HolidayYear | null): boolean {
  if (!a || !b) return a === b;
  if (a.status !== b.status || a.items.length !== b.items.length) return false;
  const x = sortEntries(a.items);
  const y = sortEntries(b.items);
  return x.every((e, i) => {
    const other = y[i];
    return other !== undefined && e.date === other.date && e.kind === other.kind && e.name === other.name;
  });
}

export interface HolidayGroup {
  name: string;
  holidays: string[];
  workdays: string[];
}

/** Entries grouped by holiday, make-up workdays joined to their holiday by name ("春节调休上班" → 春节). */
export function groupEntries(items: readonly HolidayEntry[]): HolidayGroup[] {
  const groups = new Map<string, HolidayGroup>();
  const sorted = sortEntries(items);
  const holidayNames = new Set(sorted.filter((e) => e.kind === "holiday").map((e) => e.name));
  for (const entry of sorted) {
    let name = entry.name;
    if (entry.kind === "workday") {
      const base = [...holidayNames].find((h) => entry.name.startsWith(h));
      if (base) name = base;
    }
    const group = groups.get(name) ?? { name, holidays: [], workdays: [] };
    (entry.kind === "holiday" ? group.holidays : group.workdays).push(entry.date);
    groups.set(name, group);
  }
  return [...groups.values()].sort((a, b) =>
    (a.holidays[0] ?? a.workdays[0] ?? "").localeCompare(b.holidays[0] ?? b.workdays[0] ?? ""),
  );
}

/** Consecutive dates folded into ranges: ["02-15–02-23", "02-28"]. */
export function dateRanges(dates: readonly string[]): string[] {
  const out: string[] = [];
  let start: string | null = null;
  let prev: string | null = null;
  const flush = () => {
    if (!start || !prev) return;
    out.push(start === prev ? start.slice(5) : `${start.slice(5)}–${prev.slice(5)}`);
  };
  for (const date of [...dates].sort()) {
    if (prev && Date.parse(`${date}T00:00:00Z`) - Date.parse(`${prev}T00:00:00Z`) === DAY_MS) {
      prev = date;
      continue;
    }
    flush();
    start = date;
    prev = date;
  }
  flush();
  return out;
}
