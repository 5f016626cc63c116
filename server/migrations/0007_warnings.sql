CREATE TABLE "operations"."warnings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"area_id" text NOT NULL,
	"kind" text NOT NULL,
	"level" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"source" text NOT NULL,
	"source_id" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"status" text NOT NULL,
	"details" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "warnings_active_idx" ON "operations"."warnings" USING btree ("area_id","kind") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "warnings_source_idx" ON "operations"."warnings" USING btree ("source","source_id");