import type { Random } from "./random";

/**
 * The demo's "today". Fixed so the same seed gives the same ages and dates whenever it runs, and in
 * the past so every birth date passes the "not in the future" check of the ID validators.
 */
export const AS_OF = "2026-01-01";

const DAY_MS = 86_400_000;
const YEAR_DAYS = 365.2425;

export function toDayNumber(iso: string): number {
  return Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
}

export function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

const AS_OF_DAY = toDayNumber(AS_OF);

/** A birth date for someone who is `age` full years old on AS_OF. */
export function birthDateForAge(rng: Random, age: number): string {
  const daysBack = Math.floor((age + rng.next()) * YEAR_DAYS);
  return fromDayNumber(AS_OF_DAY - Math.max(1, daysBack));
}

export function ageOn(birthDate: string, on: string = AS_OF): number {
  const [by, bm, bd] = birthDate.split("-").map(Number) as [number, number, number];
  const [y, m, d] = on.split("-").map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Uniform day in [from, to], both ISO dates. */
export function dayBetween(rng: Random, from: string, to: string): string {
  return fromDayNumber(rng.int(toDayNumber(from), toDayNumber(to)));
}

/** The date `years` after an ISO date (29 February rolls to 1 March). */
export function addYears(iso: string, years: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}
