import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { platform } from "../db/schema";

/** Domain events written in the transaction of the change; the relay delivers them afterwards. */
export const outbox = platform.table(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    eventId: uuid("event_id").notNull(),
    topic: text("topic").notNull(),
    version: integer("version").notNull().default(1),
    payload: jsonb("payload").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
  },
  (t) => [index("outbox_pending_idx").on(t.nextAttemptAt).where(sql`published_at is null`)],
);
