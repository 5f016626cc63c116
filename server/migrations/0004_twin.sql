CREATE SCHEMA "operations";
--> statement-breakpoint
CREATE TABLE "operations"."entities" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"types" text[] NOT NULL,
	"attrs" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"modified_at" timestamp with time zone NOT NULL,
	"min_lon" double precision,
	"min_lat" double precision,
	"max_lon" double precision,
	"max_lat" double precision
);
--> statement-breakpoint
CREATE INDEX "entities_types_idx" ON "operations"."entities" USING gin ("types");--> statement-breakpoint
CREATE INDEX "entities_seq_idx" ON "operations"."entities" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "entities_bbox_idx" ON "operations"."entities" USING btree ("min_lon","min_lat") WHERE min_lon is not null;