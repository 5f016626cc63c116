CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE SCHEMA "datahub";
--> statement-breakpoint
CREATE TABLE "datahub"."clients" (
	"client_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"department_id" uuid NOT NULL,
	"secret_hash" text NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "datahub"."data_uses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"citizen_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"department_id" uuid,
	"resource_id" uuid,
	"fields" text[] NOT NULL,
	"purpose" text NOT NULL,
	"request_id" text
);
--> statement-breakpoint
CREATE TABLE "datahub"."error_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"resource_id" uuid NOT NULL,
	"record_key" text NOT NULL,
	"item" text NOT NULL,
	"correct_value" text NOT NULL,
	"reason" text NOT NULL,
	"status" text NOT NULL,
	"reply" text,
	"department_id" uuid NOT NULL,
	"reporter_id" uuid NOT NULL,
	"reporter_department_id" uuid,
	"instance_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "datahub"."grants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL,
	"resource_id" uuid NOT NULL,
	"consumer_department_id" uuid NOT NULL,
	"fields" text[] NOT NULL,
	"clear_fields" text[] NOT NULL,
	"purpose_code" text NOT NULL,
	"purpose" text NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"rate_limit_per_minute" integer NOT NULL,
	"status" text NOT NULL,
	"revoked_reason" text,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datahub"."records" (
	"resource_id" uuid NOT NULL,
	"record_key" text NOT NULL,
	"key_hash" text NOT NULL,
	"data" jsonb NOT NULL,
	"sealed" "bytea",
	"subject_citizen_id" uuid,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "records_resource_id_record_key_pk" PRIMARY KEY("resource_id","record_key")
);
--> statement-breakpoint
CREATE TABLE "datahub"."resource_versions" (
	"resource_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"changed_by" uuid,
	"changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "resource_versions_resource_id_version_pk" PRIMARY KEY("resource_id","version")
);
--> statement-breakpoint
CREATE TABLE "datahub"."resources" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"category_code" text NOT NULL,
	"seq" integer NOT NULL,
	"name" text NOT NULL,
	"summary" text NOT NULL,
	"provider_department_id" uuid NOT NULL,
	"format" text NOT NULL,
	"sharing_type" text NOT NULL,
	"sharing_condition" text,
	"sharing_basis" text,
	"sharing_method" text NOT NULL,
	"open_type" text NOT NULL,
	"update_cycle" text NOT NULL,
	"key_item" text NOT NULL,
	"related_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"items" jsonb NOT NULL,
	"grade" text NOT NULL,
	"status" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"record_count" integer DEFAULT 0 NOT NULL,
	"published_on" date NOT NULL,
	"search_terms" text[] NOT NULL,
	"search_text" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datahub"."responsibilities" (
	"base" text NOT NULL,
	"field" text NOT NULL,
	"title" text NOT NULL,
	"department_id" uuid NOT NULL,
	"assigned_by" uuid,
	"assigned_at" timestamp with time zone NOT NULL,
	CONSTRAINT "responsibilities_base_field_pk" PRIMARY KEY("base","field")
);
--> statement-breakpoint
CREATE TABLE "datahub"."sharing_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"resource_id" uuid NOT NULL,
	"consumer_department_id" uuid NOT NULL,
	"requester_id" uuid NOT NULL,
	"fields" text[] NOT NULL,
	"clear_fields" text[] NOT NULL,
	"purpose_code" text NOT NULL,
	"purpose" text NOT NULL,
	"legal_basis" text NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"expected_daily_volume" integer NOT NULL,
	"status" text NOT NULL,
	"refusal" jsonb,
	"dispute" jsonb,
	"escalated" boolean DEFAULT false NOT NULL,
	"instance_id" uuid,
	"grant_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "datahub"."usage_daily" (
	"day" date NOT NULL,
	"resource_id" uuid NOT NULL,
	"consumer_department_id" uuid NOT NULL,
	"shard" integer DEFAULT 0 NOT NULL,
	"calls" bigint NOT NULL,
	"records" bigint NOT NULL,
	"refused" bigint NOT NULL,
	CONSTRAINT "usage_daily_day_resource_id_consumer_department_id_shard_pk" PRIMARY KEY("day","resource_id","consumer_department_id","shard")
);
--> statement-breakpoint
CREATE INDEX "clients_department" ON "datahub"."clients" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "data_uses_citizen" ON "datahub"."data_uses" USING btree ("citizen_id","at");--> statement-breakpoint
CREATE INDEX "error_reports_department" ON "datahub"."error_reports" USING btree ("department_id","created_at");--> statement-breakpoint
CREATE INDEX "error_reports_reporter" ON "datahub"."error_reports" USING btree ("reporter_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "grants_request" ON "datahub"."grants" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "grants_consumer" ON "datahub"."grants" USING btree ("consumer_department_id","resource_id");--> statement-breakpoint
CREATE INDEX "grants_resource" ON "datahub"."grants" USING btree ("resource_id");--> statement-breakpoint
CREATE UNIQUE INDEX "resources_code" ON "datahub"."resources" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "resources_category_seq" ON "datahub"."resources" USING btree ("category_code","seq");--> statement-breakpoint
CREATE INDEX "resources_provider" ON "datahub"."resources" USING btree ("provider_department_id");--> statement-breakpoint
CREATE INDEX "resources_terms" ON "datahub"."resources" USING gin ("search_terms");--> statement-breakpoint
CREATE INDEX "resources_name_trgm" ON "datahub"."resources" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "sharing_requests_consumer" ON "datahub"."sharing_requests" USING btree ("consumer_department_id","created_at");--> statement-breakpoint
CREATE INDEX "sharing_requests_resource" ON "datahub"."sharing_requests" USING btree ("resource_id");--> statement-breakpoint
CREATE INDEX "usage_daily_resource" ON "datahub"."usage_daily" USING btree ("resource_id","day");