CREATE TABLE "operations"."subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_id" uuid,
	"subscription" jsonb NOT NULL,
	"context" jsonb,
	"is_active" boolean DEFAULT true NOT NULL,
	"expires_at" timestamp with time zone,
	"throttling_seconds" integer,
	"times_sent" integer DEFAULT 0 NOT NULL,
	"times_failed" integer DEFAULT 0 NOT NULL,
	"last_notification" timestamp with time zone,
	"last_success" timestamp with time zone,
	"last_failure" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"modified_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "subscriptions_active_idx" ON "operations"."subscriptions" USING btree ("is_active");--> statement-breakpoint
-- Telemetry readings, partitioned by day of observation (partitions are made ahead by the
-- telemetry job; a reading outside them lands in the default partition). Not in the drizzle
-- schema: drizzle-kit does not model partitioned tables; the telemetry store uses SQL.
CREATE TABLE "operations"."readings" (
	"entity_id" text NOT NULL,
	"attr" text NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"value" double precision,
	"text_value" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	PRIMARY KEY ("entity_id", "attr", "observed_at")
) PARTITION BY RANGE ("observed_at");
--> statement-breakpoint
CREATE TABLE "operations"."readings_default" PARTITION OF "operations"."readings" DEFAULT;
--> statement-breakpoint
-- Roll-ups of numeric readings per entity, attribute and minute / hour, kept as readings arrive.
CREATE TABLE "operations"."readings_1m" (
	"entity_id" text NOT NULL,
	"attr" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"n" integer NOT NULL,
	"sum" double precision NOT NULL,
	"min" double precision NOT NULL,
	"max" double precision NOT NULL,
	"last" double precision NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	PRIMARY KEY ("entity_id", "attr", "bucket")
);
--> statement-breakpoint
CREATE TABLE "operations"."readings_1h" (LIKE "operations"."readings_1m" INCLUDING ALL);
--> statement-breakpoint
CREATE INDEX "readings_1m_bucket_idx" ON "operations"."readings_1m" USING btree ("bucket");
--> statement-breakpoint
CREATE INDEX "readings_1h_bucket_idx" ON "operations"."readings_1h" USING btree ("bucket");
