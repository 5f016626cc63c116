import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/db";
import { type CalendarEntry, createCalendar, type WorkingDayCalendar } from "./calendar";
import { OFFICIAL_SCHEDULES } from "./holidays";
import { calendarDays, calendarYears } from "./schema";

export interface YearSchedule {
  year: number;
  status: "official" | "provisional";
  source: string | null;
  items: CalendarEntry[];
}

/**
 * The working-day calendar as data: the shipped schedules are loaded into the database once, an
 * administrator can replace a year's schedule, and every deadline computes from the loaded copy.
 */
export class CalendarService {
  private calendar: WorkingDayCalendar = createCalendar([]);

  constructor(private readonly db: Db) {}

  get current(): WorkingDayCalendar {
    return this.calendar;
  }

  /** Loads shipped years the database does not hold yet (never overwrites an administrator's edit). */
  async load(): Promise<void> {
    const known = new Set(
      (await this.db.select({ year: calendarYears.year }).from(calendarYears)).map((r) => r.year),
    );
    for (const [year, schedule] of Object.entries(OFFICIAL_SCHEDULES)) {
      if (known.has(Number(year))) continue;
      await this.replaceYear(this.db, {
        year: Number(year),
        status: schedule.status,
        source: schedule.source,
        items: schedule.entries,
      });
    }
    await this.reload();
  }

  async reload(): Promise<void> {
    const rows = await this.db.select().from(calendarDays).orderBy(asc(calendarDays.date));
    this.calendar = createCalendar(
      rows.map((r) => ({ date: r.date, kind: r.kind as CalendarEntry["kind"], name: r.name })),
    );
  }

  async year(year: number): Promise<YearSchedule | null> {
    const [meta] = await this.db.select().from(calendarYears).where(eq(calendarYears.year, year));
    if (!meta) return null;
    const rows = await this.db
      .select()
      .from(calendarDays)
      .where(eq(calendarDays.year, year))
      .orderBy(asc(calendarDays.date));
    return {
      year,
      status: meta.status as YearSchedule["status"],
      source: meta.source,
      items: rows.map((r) => ({ date: r.date, kind: r.kind as CalendarEntry["kind"], name: r.name })),
    };
  }

  /** Replaces a year's schedule in the caller's transaction; call reload() after it commits. */
  async replaceYear(tx: Db, schedule: YearSchedule): Promise<void> {
    await tx.delete(calendarDays).where(eq(calendarDays.year, schedule.year));
    if (schedule.items.length > 0) {
      await tx.insert(calendarDays).values(schedule.items.map((i) => ({ ...i, year: schedule.year })));
    }
    await tx
      .insert(calendarYears)
      .values({ year: schedule.year, status: schedule.status, source: schedule.source })
      .onConflictDoUpdate({
        target: calendarYears.year,
        set: { status: schedule.status, source: schedule.source, updatedAt: sql`now()` },
      });
  }
}
