import { sql } from "drizzle-orm";
import { index, integer, jsonb, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { platform } from "../db/schema";

/** Durable delayed work and timers. A job runs inside the transaction that claimed it. */
export const jobs = platform.table(
  "jobs",
  {
    id: uuid("id").primaryKey(),
    kind: text("kind").notNull(),
    payload: jsonb("payload").notNull(),
    runAt: timestamp("run_at", { withTimezone: true }).notNull(),
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(10),
    /** Set when the same logical timer must exist once (e.g. "deadline:<task id>"). */
    dedupeKey: text("dedupe_key"),
    lastError: text("last_error"),
    finishedBy: text("finished_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("jobs_due_idx").on(t.runAt).where(sql`status = 'pending'`),
    uniqueIndex("jobs_dedupe_key").on(t.dedupeKey).where(sql`status = 'pending'`),
  ],
);
