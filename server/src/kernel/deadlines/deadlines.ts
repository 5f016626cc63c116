import { shanghaiDate, type WorkingDayCalendar } from "../calendar/calendar";
import type { CalendarService } from "../calendar/calendar.service";
import type { Db } from "../db/db";
import { publishEvent } from "../events/events";
import type { Clock } from "../http/context";
import { cancelJob, type JobRunner, scheduleJob, scheduleJobs } from "../jobs/jobs";

/**
 * Deadlines any module keeps on its records (supervision items, applications, cases, data requests):
 * a reminder before the deadline and escalation after it, repeated every few working days until the
 * record is done. The kernel only keeps time; the module decides what a reminder or an escalation
 * does, by subscribing to the events `<kind>.due-soon` and `<kind>.overdue`.
 */
export interface DeadlineSpec {
  /** Names the events, e.g. "office.supervision" → office.supervision.due-soon / .overdue */
  kind: string;
  subjectId: string;
  dueAt: Date;
  /** When to remind; null or in the past: no reminder. */
  remindAt?: Date | null;
  /** After the deadline, escalate again every N working days (level 1, 2, 3 …); 0: once. */
  escalateEveryWorkingDays?: number;
}

export interface DeadlineEvent {
  subjectId: string;
  dueAt: string;
  /** overdue only: 1 at the deadline, then one more at each repeat */
  level?: number;
}

const REMIND = "deadline.remind";
const OVERDUE = "deadline.overdue";
const key = (kind: string, subjectId: string, what: string) => `deadline:${kind}:${subjectId}:${what}`;

interface Payload {
  kind: string;
  subjectId: string;
  dueAt: string;
  level?: number;
  every?: number;
}

/** Sets (or moves) a record's deadline in the caller's transaction. */
export async function scheduleDeadline(tx: Db, clock: Clock, spec: DeadlineSpec): Promise<void> {
  const base = { kind: spec.kind, subjectId: spec.subjectId, dueAt: spec.dueAt.toISOString() };
  const overdue = {
    kind: OVERDUE,
    payload: { ...base, level: 1, every: spec.escalateEveryWorkingDays ?? 0 },
    runAt: spec.dueAt,
    dedupeKey: key(spec.kind, spec.subjectId, "overdue"),
  };
  if (spec.remindAt && spec.remindAt > clock.now() && spec.remindAt < spec.dueAt) {
    // Both jobs in one statement: deadlines are set on hot paths (a submitted application).
    await scheduleJobs(tx, clock, [
      {
        kind: REMIND,
        payload: base,
        runAt: spec.remindAt,
        dedupeKey: key(spec.kind, spec.subjectId, "remind"),
      },
      overdue,
    ]);
    return;
  }
  await cancelJob(tx, key(spec.kind, spec.subjectId, "remind"));
  await scheduleJob(tx, clock, overdue);
}

/** The record is done: no more reminders or escalations. */
export async function clearDeadline(tx: Db, kind: string, subjectId: string): Promise<void> {
  await cancelJob(tx, key(kind, subjectId, "remind"));
  await cancelJob(tx, key(kind, subjectId, "overdue"));
}

/** The end (23:59:59 China time) of the n-th working day after the given instant's day. */
export function endOfWorkingDays(calendar: WorkingDayCalendar, from: Date, n: number): Date {
  const start = shanghaiDate(from);
  const date = n === 0 ? start : calendar.addWorkingDays(start, n);
  return new Date(`${date}T23:59:59+08:00`);
}

/** The instant n working days before a deadline (same time of day), for reminders. */
export function workingDaysBefore(calendar: WorkingDayCalendar, dueAt: Date, n: number): Date {
  const day = calendar.addWorkingDays(shanghaiDate(dueAt), -n);
  const timeOfDay = (dueAt.getTime() + 8 * 3_600_000) % 86_400_000;
  return new Date(Date.parse(`${day}T00:00:00+08:00`) + timeOfDay);
}

/** Registers the two job kinds on the runner; they publish the events modules act on. */
export function registerDeadlineJobs(jobs: JobRunner, calendar: CalendarService): void {
  jobs.register(REMIND, async (ctx, raw) => {
    const p = raw as Payload;
    await publishEvent(ctx.tx, `${p.kind}.due-soon`, {
      subjectId: p.subjectId,
      dueAt: p.dueAt,
    } satisfies DeadlineEvent);
  });
  jobs.register(OVERDUE, async (ctx, raw) => {
    const p = raw as Payload;
    const level = p.level ?? 1;
    await publishEvent(ctx.tx, `${p.kind}.overdue`, {
      subjectId: p.subjectId,
      dueAt: p.dueAt,
      level,
    } satisfies DeadlineEvent);
    if (p.every && p.every > 0) {
      await scheduleJob(ctx.tx, ctx.clock, {
        kind: OVERDUE,
        payload: { ...p, level: level + 1 },
        runAt: endOfWorkingDays(calendar.current, ctx.clock.now(), p.every),
        dedupeKey: key(p.kind, p.subjectId, "overdue"),
      });
    }
  });
}
