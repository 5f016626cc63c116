import { integer, jsonb, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { platform } from "../db/schema";

/** Responses remembered per (caller, Idempotency-Key) so a retried POST does not act twice. */
export const idempotencyKeys = platform.table(
  "idempotency_keys",
  {
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    statusCode: integer("status_code"),
    headers: jsonb("headers"),
    body: text("body"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);
