import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CalendarEntry, createCalendar, shanghaiDate } from "./calendar";
import { OFFICIAL_SCHEDULES } from "./holidays";

const ALL_ENTRIES = Object.values(OFFICIAL_SCHEDULES).flatMap((s) => s.entries);
const cal = createCalendar(ALL_ENTRIES);

const DAY = 86_400_000;
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const shift = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/** Arbitrary date between 2024-01-01 and 2028-12-31, crossing the scheduled years. */
const dateArb = fc.integer({ min: 0, max: 365 * 5 }).map((i) => shift("2024-01-01", i));

/** Day-by-day reference for addWorkingDays, obviously correct and slow. */
function naiveAdd(date: string, n: number): string {
  let d = date;
  let left = Math.abs(n);
  while (left > 0) {
    d = shift(d, Math.sign(n));
    if (cal.isWorkingDay(d)) left--;
  }
  return d;
}

describe("2026 official schedule", () => {
  it("applies the State Council notice", () => {
    expect(cal.isWorkingDay("2026-01-01")).toBe(false);
    expect(cal.isWorkingDay("2026-01-04")).toBe(true); // Sunday make-up day
    expect(cal.entryFor("2026-01-04")).toEqual({ date: "2026-01-04", kind: "workday", name: "元旦调休上班" });
    expect(cal.isWorkingDay("2026-02-14")).toBe(true);
    expect(cal.isWorkingDay("2026-02-23")).toBe(false); // Monday, last day of 春节
    expect(cal.isWorkingDay("2026-02-28")).toBe(true);
    expect(cal.isWorkingDay("2026-05-05")).toBe(false);
    expect(cal.isWorkingDay("2026-05-09")).toBe(true);
    expect(cal.isWorkingDay("2026-09-20")).toBe(true);
    expect(cal.isWorkingDay("2026-10-07")).toBe(false);
    // 国庆 runs Oct 1–7, so Thursday Oct 8 is an ordinary working day.
    expect(cal.isWorkingDay("2026-10-08")).toBe(true);
    expect(cal.isWorkingDay("2026-10-10")).toBe(true);
    expect(cal.isWorkingDay("2026-10-11")).toBe(false);
    expect(cal.entryFor("2026-10-08")).toBeUndefined();
    expect(cal.entryFor("2026-10-01")?.name).toBe("国庆节");
  });

  it("moves across holidays and make-up days", () => {
    expect(cal.addWorkingDays("2026-09-30", 1)).toBe("2026-10-08");
    expect(cal.addWorkingDays("2026-09-30", 2)).toBe("2026-10-09");
    expect(cal.addWorkingDays("2026-09-30", 3)).toBe("2026-10-10"); // Saturday make-up day
    expect(cal.addWorkingDays("2026-02-13", 1)).toBe("2026-02-14");
    expect(cal.addWorkingDays("2026-02-14", 1)).toBe("2026-02-24");
    expect(cal.nextWorkingDay("2025-12-31")).toBe("2026-01-04");
    expect(cal.addWorkingDays("2026-01-04", -1)).toBe("2025-12-31");
    expect(cal.addWorkingDays("2026-10-08", -1)).toBe("2026-09-30");
    expect(cal.addWorkingDays("2026-10-03", 0)).toBe("2026-10-03");
  });

  it("counts 248 working days in 2026", () => {
    expect(cal.workingDaysBetween("2025-12-31", "2026-12-31")).toBe(248);
    expect(cal.workingDaysBetween("2026-12-31", "2025-12-31")).toBe(-248);
    expect(cal.workingDaysBetween("2026-10-01", "2026-10-07")).toBe(0);
    expect(cal.workingDaysBetween("2026-09-30", "2026-10-08")).toBe(1);
  });

  it("holds data consistent with the weekdays printed in the notice", () => {
    const schedule = OFFICIAL_SCHEDULES[2026]!;
    expect(schedule.status).toBe("official");
    for (const entry of schedule.entries.filter((e) => e.kind === "workday")) {
      expect([0, 6]).toContain(weekday(entry.date));
    }
    // (date, weekday 0 = Sunday) pairs quoted in the notice
    const printed: [string, number][] = [
      ["2026-01-01", 4],
      ["2026-01-03", 6],
      ["2026-02-15", 0],
      ["2026-02-23", 1],
      ["2026-04-04", 6],
      ["2026-05-01", 5],
      ["2026-05-05", 2],
      ["2026-06-19", 5],
      ["2026-09-25", 5],
      ["2026-10-01", 4],
      ["2026-10-07", 3],
    ];
    for (const [date, day] of printed) expect(weekday(date)).toBe(day);
    expect(schedule.entries.filter((e) => e.kind === "holiday")).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
  });
});

describe("2027 provisional schedule", () => {
  const schedule = OFFICIAL_SCHEDULES[2027]!;

  it("is marked provisional and holds exactly the 13 statutory days", () => {
    expect(schedule.status).toBe("provisional");
    expect(schedule.entries).toHaveLength(13);
    expect(schedule.entries.every((e) => e.kind === "holiday")).toBe(true);
    expect(cal.isWorkingDay("2027-02-05")).toBe(false); // 除夕, a Friday
    expect(cal.isWorkingDay("2027-02-08")).toBe(false); // 初三, a Monday
    expect(cal.isWorkingDay("2027-02-09")).toBe(true);
  });

  it("places lunar festivals on the right lunar dates", () => {
    const lunar = new Intl.DateTimeFormat("en-u-ca-chinese", {
      timeZone: "UTC",
      month: "numeric",
      day: "numeric",
    });
    const lunarOf = (date: string) => lunar.format(new Date(`${date}T00:00:00Z`));
    expect(lunarOf("2027-06-09")).toBe("5/5"); // 端午
    expect(lunarOf("2027-09-15")).toBe("8/15"); // 中秋
    expect(lunarOf("2026-06-19")).toBe("5/5");
    expect(lunarOf("2026-09-25")).toBe("8/15");
    expect(lunarOf("2026-02-17")).toBe("1/1");
  });
});

describe("calendar semantics", () => {
  it("treats plain weekends as non-working without entries", () => {
    const plain = createCalendar([]);
    expect(plain.isWorkingDay("2030-01-05")).toBe(false); // Saturday
    expect(plain.isWorkingDay("2030-01-07")).toBe(true);
    expect(plain.addWorkingDays("2030-01-04", 1)).toBe("2030-01-07");
    expect(plain.workingDaysBetween("1999-12-31", "2000-12-31")).toBe(260);
  });

  it("matches a day-by-day reference in both directions", () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -400, max: 400 }), (date, n) => {
        expect(cal.addWorkingDays(date, n)).toBe(naiveAdd(date, n));
      }),
      { numRuns: 300 },
    );
  });

  it("workingDaysBetween inverts addWorkingDays", () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 600 }), (date, n) => {
        const later = cal.addWorkingDays(date, n);
        expect(cal.workingDaysBetween(date, later)).toBe(n);
        expect(cal.workingDaysBetween(later, date)).toBe(n === 0 ? 0 : -n);
        if (n > 0) expect(cal.isWorkingDay(later)).toBe(true);
      }),
    );
  });

  it("going back then forward returns to a working day", () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 1, max: 600 }), (date, n) => {
        const start = cal.isWorkingDay(date) ? date : cal.nextWorkingDay(date);
        const earlier = cal.addWorkingDays(start, -n);
        expect(cal.isWorkingDay(earlier)).toBe(true);
        expect(cal.workingDaysBetween(earlier, start)).toBe(n);
        expect(cal.addWorkingDays(earlier, n)).toBe(start);
      }),
    );
  });

  it("rejects invalid dates, counts and conflicting entries", () => {
    expect(() => cal.isWorkingDay("2026-02-30")).toThrow(RangeError);
    expect(() => cal.isWorkingDay("2026-2-3")).toThrow(RangeError);
    expect(() => cal.addWorkingDays("2026-01-05", 1.5)).toThrow(RangeError);
    const clash: CalendarEntry[] = [
      { date: "2026-01-04", kind: "holiday", name: "a" },
      { date: "2026-01-04", kind: "workday", name: "b" },
    ];
    expect(() => createCalendar(clash)).toThrow(/conflicting/);
  });

  it("does 10k twenty-day deadline computations well under a second", () => {
    const fresh = createCalendar(ALL_ENTRIES);
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) fresh.addWorkingDays(shift("2025-06-01", i % 900), 20);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe("shanghaiDate", () => {
  it("switches date at 16:00 UTC", () => {
    expect(shanghaiDate(new Date("2026-01-01T15:59:59.999Z"))).toBe("2026-01-01");
    expect(shanghaiDate(new Date("2026-01-01T16:00:00Z"))).toBe("2026-01-02");
    expect(() => shanghaiDate(new Date("nope"))).toThrow(RangeError);
  });

  it("agrees with the tz database for modern instants", () => {
    const tz = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" });
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1992, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        expect(shanghaiDate(new Date(ms))).toBe(tz.format(new Date(ms)));
      }),
    );
  });
});
