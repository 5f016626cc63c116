CREATE SCHEMA "services";
--> statement-breakpoint
CREATE TABLE "services"."application_history" (
	"id" uuid PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"action" text NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"task_id" uuid
);
--> statement-breakpoint
CREATE TABLE "services"."application_materials" (
	"id" uuid PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"code" text NOT NULL,
	"file_name" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea",
	"scan_status" text NOT NULL,
	"reference" jsonb,
	"uploaded_by" uuid NOT NULL,
	"uploaded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "services"."applications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"receipt_no" text NOT NULL,
	"tracking_code" text NOT NULL,
	"item_id" uuid NOT NULL,
	"item_version" integer NOT NULL,
	"department_id" uuid NOT NULL,
	"applicant_user_id" uuid NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_key" text NOT NULL,
	"subject_name" text NOT NULL,
	"citizen_id" uuid,
	"enterprise_id" uuid,
	"on_behalf" boolean DEFAULT false NOT NULL,
	"channel" text NOT NULL,
	"data" jsonb NOT NULL,
	"prefilled" jsonb NOT NULL,
	"status" text NOT NULL,
	"instance_id" uuid,
	"correction" jsonb,
	"decision" jsonb,
	"refusal_reason" text,
	"delivery" jsonb,
	"promised_days" integer NOT NULL,
	"statutory_days" integer NOT NULL,
	"clock_started_at" timestamp with time zone,
	"paused_since" timestamp with time zone,
	"pause_reason" text,
	"paused_days" integer DEFAULT 0 NOT NULL,
	"warn_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"elapsed_days" integer,
	"visits" integer DEFAULT 0 NOT NULL,
	"fields_prefilled" integer DEFAULT 0 NOT NULL,
	"fields_typed" integer DEFAULT 0 NOT NULL,
	"materials_reused" integer DEFAULT 0 NOT NULL,
	"materials_uploaded" integer DEFAULT 0 NOT NULL,
	"accepted_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "services"."city_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"reporter_user_id" uuid NOT NULL,
	"category" text NOT NULL,
	"description" text NOT NULL,
	"address" text,
	"lng" double precision,
	"lat" double precision,
	"photo" "bytea",
	"photo_mime" text,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "services"."evaluations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"department_id" uuid NOT NULL,
	"window_department_id" uuid,
	"channel" text NOT NULL,
	"rating" integer NOT NULL,
	"indicators" jsonb NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"rater_user_id" uuid,
	"rectification_instance_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "services"."item_versions" (
	"item_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"name" text NOT NULL,
	"item_type" text NOT NULL,
	"life_events" text[] NOT NULL,
	"applicant_types" text[] NOT NULL,
	"promised_days" integer NOT NULL,
	"statutory_days" integer NOT NULL,
	"spec" jsonb NOT NULL,
	"search_terms" text[] NOT NULL,
	"search_text" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"published_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "item_versions_item_id_version_pk" PRIMARY KEY("item_id","version")
);
--> statement-breakpoint
CREATE TABLE "services"."items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"department_id" uuid NOT NULL,
	"published_version" integer,
	"latest_version" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "services"."special_steps" (
	"id" uuid PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"reason" text NOT NULL,
	"started_by" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_by" uuid,
	"finished_at" timestamp with time zone,
	"result" text
);
--> statement-breakpoint
CREATE INDEX "application_history_application_idx" ON "services"."application_history" USING btree ("application_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "application_history_task_key" ON "services"."application_history" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "application_materials_application_idx" ON "services"."application_materials" USING btree ("application_id");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_receipt_key" ON "services"."applications" USING btree ("receipt_no");--> statement-breakpoint
CREATE INDEX "applications_applicant_idx" ON "services"."applications" USING btree ("applicant_user_id","created_at");--> statement-breakpoint
CREATE INDEX "applications_status_idx" ON "services"."applications" USING btree ("status","department_id");--> statement-breakpoint
CREATE INDEX "applications_item_idx" ON "services"."applications" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "applications_subject_idx" ON "services"."applications" USING btree ("subject_key");--> statement-breakpoint
CREATE INDEX "city_reports_reporter_idx" ON "services"."city_reports" USING btree ("reporter_user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluations_application_key" ON "services"."evaluations" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "evaluations_department_idx" ON "services"."evaluations" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "item_versions_terms_idx" ON "services"."item_versions" USING gin ("search_terms");--> statement-breakpoint
CREATE INDEX "item_versions_published_idx" ON "services"."item_versions" USING btree ("status") WHERE status = 'published';--> statement-breakpoint
CREATE UNIQUE INDEX "items_code_key" ON "services"."items" USING btree ("code");--> statement-breakpoint
CREATE INDEX "items_department_idx" ON "services"."items" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "special_steps_application_idx" ON "services"."special_steps" USING btree ("application_id");--> statement-breakpoint
CREATE SEQUENCE "services"."receipt_seq";
