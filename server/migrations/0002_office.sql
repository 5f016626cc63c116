CREATE SCHEMA "office";
--> statement-breakpoint
CREATE TABLE "office"."distributions" (
	"document_id" uuid NOT NULL,
	"department_id" uuid NOT NULL,
	"role" text NOT NULL,
	"incoming_document_id" uuid NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone,
	"received_by" uuid,
	"first_read_at" timestamp with time zone,
	CONSTRAINT "distributions_document_id_department_id_pk" PRIMARY KEY("document_id","department_id")
);
--> statement-breakpoint
CREATE TABLE "office"."document_files" (
	"id" uuid PRIMARY KEY NOT NULL,
	"document_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "office"."document_number_counters" (
	"organ_code" text NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "document_number_counters_organ_code_year_pk" PRIMARY KEY("organ_code","year")
);
--> statement-breakpoint
CREATE TABLE "office"."document_reads" (
	"document_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"first_read_at" timestamp with time zone NOT NULL,
	"last_read_at" timestamp with time zone NOT NULL,
	CONSTRAINT "document_reads_document_id_user_id_pk" PRIMARY KEY("document_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "office"."document_revisions" (
	"document_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"changed_by" uuid,
	"changed_by_name" text NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	"changes" jsonb NOT NULL,
	"body_diff" jsonb,
	"comment" text,
	CONSTRAINT "document_revisions_document_id_revision_pk" PRIMARY KEY("document_id","revision")
);
--> statement-breakpoint
CREATE TABLE "office"."documents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"direction" text NOT NULL,
	"doc_type" text NOT NULL,
	"status" text NOT NULL,
	"department_id" uuid NOT NULL,
	"copy_no" text,
	"classification" text DEFAULT 'none' NOT NULL,
	"secrecy_period" text,
	"urgency" text DEFAULT 'normal' NOT NULL,
	"organ_mark" text NOT NULL,
	"organ_code" text NOT NULL,
	"number" text,
	"number_year" integer,
	"number_seq" integer,
	"signer" text,
	"signed_off_at" timestamp with time zone,
	"title" text NOT NULL,
	"main_recipients" jsonb NOT NULL,
	"body" text NOT NULL,
	"attachment_notes" jsonb NOT NULL,
	"signature_org" text NOT NULL,
	"written_date" date,
	"note" text,
	"cc_recipients" jsonb NOT NULL,
	"printing_org" text,
	"printing_date" date,
	"sealed_at" timestamp with time zone,
	"seal_key_id" uuid,
	"recipients" jsonb NOT NULL,
	"countersign_department_ids" jsonb NOT NULL,
	"source_document_id" uuid,
	"instance_id" uuid,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "office"."seal_keepers" (
	"department_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"granted_by" uuid,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "seal_keepers_department_id_user_id_pk" PRIMARY KEY("department_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "office"."supervision_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"source_type" text NOT NULL,
	"source_ref" text,
	"lead_department_id" uuid NOT NULL,
	"co_department_ids" jsonb NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"report_every_days" integer,
	"remind_days" integer NOT NULL,
	"status" text NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"last_report_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "office"."supervision_reports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"item_id" uuid NOT NULL,
	"department_id" uuid NOT NULL,
	"reported_by" uuid NOT NULL,
	"progress" integer NOT NULL,
	"text" text NOT NULL,
	"completes" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "office"."chat_attachments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"name" text NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "office"."chat_members" (
	"room_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"added_by" uuid,
	"joined_at" timestamp with time zone NOT NULL,
	"last_read_id" uuid,
	"last_read_at" timestamp with time zone,
	CONSTRAINT "chat_members_room_id_user_id_pk" PRIMARY KEY("room_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "office"."chat_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"room_id" uuid NOT NULL,
	"sender_id" uuid NOT NULL,
	"client_message_id" text NOT NULL,
	"text" text NOT NULL,
	"attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"search_terms" text[] NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "office"."chat_presence" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "office"."chat_rooms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text,
	"direct_key" text,
	"link_type" text,
	"link_id" text,
	"link_title" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "office"."mobile_accounts" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"open_id" text NOT NULL,
	"linked_by" uuid,
	"linked_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "office"."mobile_actions" (
	"action_id" text PRIMARY KEY NOT NULL,
	"open_id" text NOT NULL,
	"user_id" uuid,
	"type" text NOT NULL,
	"subject_id" uuid,
	"comment" text,
	"request_hash" text NOT NULL,
	"status_code" integer NOT NULL,
	"response" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "office"."mobile_cards" (
	"kind" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"open_id" text NOT NULL,
	"instance_id" uuid,
	"state" text NOT NULL,
	"pushed_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "mobile_cards_kind_subject_id_user_id_pk" PRIMARY KEY("kind","subject_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "office"."mobile_deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"open_id" text NOT NULL,
	"event" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "office"."notice_recipients" (
	"notice_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "notice_recipients_notice_id_user_id_pk" PRIMARY KEY("notice_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "office"."notices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"link" text,
	"source_type" text,
	"source_id" text,
	"audience" text NOT NULL,
	"department_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit"."signing_keys" ADD COLUMN "algorithm" text;--> statement-breakpoint
ALTER TABLE "audit"."signing_keys" ADD COLUMN "certificate_pem" text;--> statement-breakpoint
CREATE UNIQUE INDEX "distributions_incoming" ON "office"."distributions" USING btree ("incoming_document_id");--> statement-breakpoint
CREATE INDEX "document_files_document" ON "office"."document_files" USING btree ("document_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_number" ON "office"."documents" USING btree ("organ_code","number_year","number_seq");--> statement-breakpoint
CREATE INDEX "documents_department" ON "office"."documents" USING btree ("department_id","direction","created_at");--> statement-breakpoint
CREATE INDEX "documents_source" ON "office"."documents" USING btree ("source_document_id");--> statement-breakpoint
CREATE INDEX "documents_instance" ON "office"."documents" USING btree ("instance_id");--> statement-breakpoint
CREATE INDEX "supervision_lead" ON "office"."supervision_items" USING btree ("lead_department_id","status","due_at");--> statement-breakpoint
CREATE INDEX "supervision_due" ON "office"."supervision_items" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "supervision_reports_item" ON "office"."supervision_reports" USING btree ("item_id","created_at");--> statement-breakpoint
CREATE INDEX "chat_attachments_uploader" ON "office"."chat_attachments" USING btree ("uploaded_by","created_at");--> statement-breakpoint
CREATE INDEX "chat_members_user" ON "office"."chat_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "chat_messages_room" ON "office"."chat_messages" USING btree ("room_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "chat_messages_client" ON "office"."chat_messages" USING btree ("sender_id","client_message_id");--> statement-breakpoint
CREATE INDEX "chat_messages_terms" ON "office"."chat_messages" USING gin ("search_terms");--> statement-breakpoint
CREATE INDEX "chat_messages_attachments" ON "office"."chat_messages" USING gin ("attachments" jsonb_path_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "chat_rooms_direct" ON "office"."chat_rooms" USING btree ("direct_key");--> statement-breakpoint
CREATE UNIQUE INDEX "chat_rooms_link" ON "office"."chat_rooms" USING btree ("link_type","link_id");--> statement-breakpoint
CREATE UNIQUE INDEX "mobile_accounts_open_id" ON "office"."mobile_accounts" USING btree ("open_id");--> statement-breakpoint
CREATE INDEX "mobile_cards_user" ON "office"."mobile_cards" USING btree ("user_id","state");--> statement-breakpoint
CREATE INDEX "mobile_cards_instance" ON "office"."mobile_cards" USING btree ("instance_id");--> statement-breakpoint
CREATE INDEX "mobile_deliveries_subject" ON "office"."mobile_deliveries" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "mobile_deliveries_user" ON "office"."mobile_deliveries" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "notice_recipients_inbox" ON "office"."notice_recipients" USING btree ("user_id","read_at","created_at");--> statement-breakpoint
CREATE INDEX "notices_source" ON "office"."notices" USING btree ("source_type","source_id");