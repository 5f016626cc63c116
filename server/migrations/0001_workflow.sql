CREATE SCHEMA "workflow";
--> statement-breakpoint
CREATE TABLE "workflow"."carbon_copies" (
	"instance_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"added_by" uuid,
	"added_at" timestamp with time zone NOT NULL,
	CONSTRAINT "carbon_copies_instance_id_user_id_pk" PRIMARY KEY("instance_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "workflow"."definitions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"xml" text NOT NULL,
	"model" jsonb NOT NULL,
	"hash" text NOT NULL,
	"deployed_by" uuid,
	"deployed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workflow"."history" (
	"id" uuid PRIMARY KEY NOT NULL,
	"instance_id" uuid NOT NULL,
	"element_id" text NOT NULL,
	"element_type" text NOT NULL,
	"element_name" text,
	"event" text NOT NULL,
	"actor_id" uuid,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workflow"."instances" (
	"id" uuid PRIMARY KEY NOT NULL,
	"definition_id" uuid NOT NULL,
	"process_key" text NOT NULL,
	"version" integer NOT NULL,
	"business_key" text,
	"state" text NOT NULL,
	"variables" jsonb NOT NULL,
	"parent_instance_id" uuid,
	"parent_token_id" uuid,
	"started_by" uuid,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"end_reason" text
);
--> statement-breakpoint
CREATE TABLE "workflow"."subscriptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"instance_id" uuid NOT NULL,
	"token_id" uuid NOT NULL,
	"element_id" text NOT NULL,
	"message_name" text NOT NULL,
	"correlation_key" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workflow"."tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"instance_id" uuid NOT NULL,
	"token_id" uuid NOT NULL,
	"process_key" text NOT NULL,
	"process_name" text NOT NULL,
	"element_id" text NOT NULL,
	"name" text NOT NULL,
	"business_key" text,
	"state" text NOT NULL,
	"assignee" text,
	"candidate_groups" text[] NOT NULL,
	"candidate_users" text[] NOT NULL,
	"due_at" timestamp with time zone,
	"form_key" text,
	"priority" integer DEFAULT 50 NOT NULL,
	"local" jsonb NOT NULL,
	"started_by" uuid,
	"delegated_from" text,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"completed_by" uuid,
	"outcome" jsonb
);
--> statement-breakpoint
CREATE TABLE "workflow"."tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"instance_id" uuid NOT NULL,
	"element_id" text NOT NULL,
	"scope_id" uuid,
	"state" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "carbon_copies_user" ON "workflow"."carbon_copies" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "definitions_key_version" ON "workflow"."definitions" USING btree ("key","version");--> statement-breakpoint
CREATE INDEX "history_instance" ON "workflow"."history" USING btree ("instance_id","at");--> statement-breakpoint
CREATE INDEX "instances_process_state" ON "workflow"."instances" USING btree ("process_key","state","started_at");--> statement-breakpoint
CREATE INDEX "instances_business_key" ON "workflow"."instances" USING btree ("business_key");--> statement-breakpoint
CREATE INDEX "instances_started_by" ON "workflow"."instances" USING btree ("started_by","started_at");--> statement-breakpoint
CREATE INDEX "instances_parent" ON "workflow"."instances" USING btree ("parent_instance_id");--> statement-breakpoint
CREATE INDEX "subscriptions_message" ON "workflow"."subscriptions" USING btree ("message_name","correlation_key");--> statement-breakpoint
CREATE INDEX "subscriptions_instance" ON "workflow"."subscriptions" USING btree ("instance_id");--> statement-breakpoint
CREATE INDEX "tasks_open_assignee" ON "workflow"."tasks" USING btree ("assignee","created_at") WHERE state = 'open';--> statement-breakpoint
CREATE INDEX "tasks_open_created" ON "workflow"."tasks" USING btree ("created_at") WHERE state = 'open' and assignee is null;--> statement-breakpoint
CREATE INDEX "tasks_completed_by" ON "workflow"."tasks" USING btree ("completed_by","completed_at");--> statement-breakpoint
CREATE INDEX "tasks_instance" ON "workflow"."tasks" USING btree ("instance_id");--> statement-breakpoint
CREATE INDEX "tasks_started_by" ON "workflow"."tasks" USING btree ("started_by","created_at");--> statement-breakpoint
CREATE INDEX "tokens_instance" ON "workflow"."tokens" USING btree ("instance_id");