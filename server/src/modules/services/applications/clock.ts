import { shanghaiDate, type WorkingDayCalendar } from "../../../kernel/calendar/calendar";
import { endOfWorkingDays } from "../../../kernel/deadlines/deadlines";

/**
 * The promised-time clock of an application (承诺时限), in working days on the platform calendar. It
 * starts at the first submission; a correction request (补正) or a special step (特殊环节) stops it,
 * and the working days it stood still are added to the time allowed. 即办件 (0 days) are due by the
 * end of the day they were submitted. Yellow from 80 % of the time, red once it is over.
 */
export interface ClockRow {
  promisedDays: number;
  clockStartedAt: Date | string | null;
  pausedSince: Date | string | null;
  pausedDays: number;
  dueAt: Date | string | null;
  warnAt: Date | string | null;
  decidedAt: Date | string | null;
}

export type WarningLevel = "normal" | "yellow" | "red";

const asDate = (d: Date | string) => (d instanceof Date ? d : new Date(d));

/** When the application is due and when it turns yellow, given the working days it stood still. */
export function deadlineOf(
  calendar: WorkingDayCalendar,
  start: Date,
  promisedDays: number,
  pausedDays: number,
) {
  const dueAt = endOfWorkingDays(calendar, start, promisedDays + pausedDays);
  const warnDays = Math.floor(promisedDays * 0.8);
  const warnAt = promisedDays === 0 ? null : endOfWorkingDays(calendar, start, warnDays + pausedDays);
  return { dueAt, warnAt: warnAt && warnAt < dueAt ? warnAt : null };
}

/** Working days a pause from `since` to `until` took (the day it began counts when it was a working day). */
export function pausedWorkingDays(calendar: WorkingDayCalendar, since: Date, until: Date): number {
  return Math.max(0, calendar.workingDaysBetween(shanghaiDate(since), shanghaiDate(until)));
}

export interface ClockView {
  promisedDays: number;
  dueAt: string | null;
  elapsedDays: number;
  remainingDays: number;
  level: WarningLevel;
  paused: boolean;
}

/** The clock as a person reads it now: working days used and left, and the warning colour. */
export function clockView(calendar: WorkingDayCalendar, row: ClockRow, now: Date): ClockView | null {
  if (!row.clockStartedAt || !row.dueAt) return null;
  const start = asDate(row.clockStartedAt);
  const dueAt = asDate(row.dueAt);
  const at = row.decidedAt ? asDate(row.decidedAt) : row.pausedSince ? asDate(row.pausedSince) : now;
  const elapsed = Math.max(
    0,
    calendar.workingDaysBetween(shanghaiDate(start), shanghaiDate(at)) - row.pausedDays,
  );
  const remaining = Math.max(0, calendar.workingDaysBetween(shanghaiDate(at), shanghaiDate(dueAt)));
  const level: WarningLevel =
    at > dueAt ? "red" : row.warnAt && at >= asDate(row.warnAt) && !row.decidedAt ? "yellow" : "normal";
  return {
    promisedDays: row.promisedDays,
    dueAt: dueAt.toISOString(),
    elapsedDays: elapsed,
    remainingDays: remaining,
    level,
    paused: !!row.pausedSince && !row.decidedAt,
  };
}
