CREATE TABLE "datahub"."master_block_keys" (
	"base" text NOT NULL,
	"key" text NOT NULL,
	"golden_id" uuid NOT NULL,
	CONSTRAINT "master_block_keys_base_key_golden_id_pk" PRIMARY KEY("base","key","golden_id")
);
--> statement-breakpoint
CREATE TABLE "datahub"."master_consents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"base" text NOT NULL,
	"golden_id" uuid NOT NULL,
	"citizen_id" uuid,
	"requested_by" uuid,
	"department_id" uuid,
	"purpose" text NOT NULL,
	"fields" text[] NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datahub"."master_golden" (
	"id" uuid PRIMARY KEY NOT NULL,
	"base" text NOT NULL,
	"key" text,
	"fields" jsonb NOT NULL,
	"members" jsonb NOT NULL,
	"version" integer NOT NULL,
	"reason" text NOT NULL,
	"status" text NOT NULL,
	"merged_into" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datahub"."master_golden_history" (
	"golden_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"fields" jsonb NOT NULL,
	"reason" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "master_golden_history_golden_id_version_pk" PRIMARY KEY("golden_id","version")
);
--> statement-breakpoint
CREATE TABLE "datahub"."master_loads" (
	"id" uuid PRIMARY KEY NOT NULL,
	"source_code" text NOT NULL,
	"status" text NOT NULL,
	"mode" text NOT NULL,
	"format" text NOT NULL,
	"encoding" text,
	"bytes_read" bigint DEFAULT 0 NOT NULL,
	"bytes_total" bigint,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"rows_rejected" integer DEFAULT 0 NOT NULL,
	"inserted" integer DEFAULT 0 NOT NULL,
	"changed" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"deleted" integer DEFAULT 0 NOT NULL,
	"linked_exact" integer DEFAULT 0 NOT NULL,
	"linked_fuzzy" integer DEFAULT 0 NOT NULL,
	"new_entities" integer DEFAULT 0 NOT NULL,
	"to_review" integer DEFAULT 0 NOT NULL,
	"invalid_values" integer DEFAULT 0 NOT NULL,
	"problems" jsonb NOT NULL,
	"error" text,
	"started_by" uuid,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "datahub"."master_quality" (
	"source_code" text NOT NULL,
	"field" text NOT NULL,
	"rule" text NOT NULL,
	"passed" integer NOT NULL,
	"total" integer NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "master_quality_source_code_field_rule_pk" PRIMARY KEY("source_code","field","rule")
);
--> statement-breakpoint
CREATE TABLE "datahub"."master_records" (
	"source_code" text NOT NULL,
	"record_id" text NOT NULL,
	"base" text NOT NULL,
	"raw" jsonb NOT NULL,
	"values" jsonb NOT NULL,
	"invalid" jsonb NOT NULL,
	"hash" text NOT NULL,
	"golden_id" uuid,
	"link_method" text,
	"link_score" real,
	"load_id" uuid NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "master_records_source_code_record_id_pk" PRIMARY KEY("source_code","record_id")
);
--> statement-breakpoint
CREATE TABLE "datahub"."master_reviews" (
	"id" uuid PRIMARY KEY NOT NULL,
	"base" text NOT NULL,
	"source_code" text NOT NULL,
	"record_id" text NOT NULL,
	"candidate_id" uuid NOT NULL,
	"score" real NOT NULL,
	"features" jsonb NOT NULL,
	"status" text NOT NULL,
	"previous_golden_id" uuid,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datahub"."master_sources" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"department_id" uuid NOT NULL,
	"base" text NOT NULL,
	"mapping" jsonb NOT NULL,
	"key_column" text NOT NULL,
	"pull_url" text,
	"pull_every_minutes" integer,
	"update_cycle_days" integer DEFAULT 30 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"modified_at" timestamp with time zone NOT NULL,
	"last_load_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "master_consents_golden" ON "datahub"."master_consents" USING btree ("golden_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "master_golden_key" ON "datahub"."master_golden" USING btree ("base","key") WHERE "datahub"."master_golden"."key" is not null and "datahub"."master_golden"."status" = 'active';--> statement-breakpoint
CREATE INDEX "master_golden_name" ON "datahub"."master_golden" USING btree ("base",("fields"->'name'->>'v'));--> statement-breakpoint
CREATE INDEX "master_loads_source" ON "datahub"."master_loads" USING btree ("source_code","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "master_reviews_pair" ON "datahub"."master_reviews" USING btree ("source_code","record_id","candidate_id");--> statement-breakpoint
CREATE INDEX "master_reviews_status" ON "datahub"."master_reviews" USING btree ("base","status","created_at");--> statement-breakpoint
-- One vocabulary for the bases and their fields (the registry's): legalPerson, address, legalRepresentative, establishedDate.
UPDATE "datahub"."responsibilities" SET "base" = 'legalPerson' WHERE "base" = 'legal-person';--> statement-breakpoint
UPDATE "datahub"."responsibilities" SET "field" = 'address' WHERE "base" = 'population' AND "field" = 'residenceAddress';--> statement-breakpoint
UPDATE "datahub"."responsibilities" SET "field" = 'legalRepresentative' WHERE "base" = 'legalPerson' AND "field" = 'legalRepName';--> statement-breakpoint
UPDATE "datahub"."responsibilities" SET "field" = 'establishedDate' WHERE "base" = 'legalPerson' AND "field" = 'establishedOn';--> statement-breakpoint
UPDATE "datahub"."resources" SET "items" = replace(replace(replace("items"::text, '"person.residenceAddress"', '"person.address"'), '"enterprise.legalRepName"', '"enterprise.legalRepresentative"'), '"enterprise.establishedOn"', '"enterprise.establishedDate"')::jsonb WHERE "items"::text ~ '"(person\.residenceAddress|enterprise\.legalRepName|enterprise\.establishedOn)"';
