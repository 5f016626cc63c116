CREATE TABLE "operations"."twin_clients" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"entity_ids" text[] NOT NULL,
	"may_write" boolean DEFAULT false NOT NULL,
	"secret_hash" text NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"modified_at" timestamp with time zone NOT NULL,
	CONSTRAINT "twin_clients_kind_check" CHECK ("operations"."twin_clients"."kind" in ('device', 'system'))
);
