import { date, primaryKey, smallint, text, timestamp } from "drizzle-orm/pg-core";
import { platform } from "../db/schema";

/** Public holidays and make-up working days (调休), one row per special date. */
export const calendarDays = platform.table(
  "calendar_days",
  {
    year: smallint("year").notNull(),
    date: date("date", { mode: "string" }).notNull(),
    kind: text("kind").notNull(),
    name: text("name").notNull(),
  },
  (t) => [primaryKey({ columns: [t.date] })],
);

export const calendarYears = platform.table("calendar_years", {
  year: smallint("year").primaryKey(),
  status: text("status").notNull(),
  source: text("source"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
