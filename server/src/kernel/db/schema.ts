import { customType, jsonb, pgSchema, text, timestamp } from "drizzle-orm/pg-core";

/** Binary columns as Buffers on both drivers (PGlite hands back Uint8Array). */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => Buffer.from(value),
});

/** Tables of the kernel that belong to no single concern live in the "platform" schema. */
export const platform = pgSchema("platform");

/** Installation-wide settings and secrets created on first start (the master key lives in DATA_DIR). */
export const settings = platform.table("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
