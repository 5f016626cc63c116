CREATE TABLE "operations"."indicator_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"value" double precision,
	"level" text
);
--> statement-breakpoint
CREATE TABLE "operations"."indicators" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"unit" text NOT NULL,
	"category" text NOT NULL,
	"area_id" text NOT NULL,
	"formula" jsonb NOT NULL,
	"refresh_seconds" integer NOT NULL,
	"direction" text NOT NULL,
	"attention" double precision,
	"warning" double precision,
	"alarm" double precision,
	"value" double precision,
	"level" text,
	"value_at" timestamp with time zone,
	"level_since" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "indicators_direction_check" CHECK ("operations"."indicators"."direction" in ('above', 'below')),
	CONSTRAINT "indicators_level_check" CHECK ("operations"."indicators"."level" is null or "operations"."indicators"."level" in ('normal', 'attention', 'warning', 'alarm')),
	CONSTRAINT "indicators_refresh_check" CHECK ("operations"."indicators"."refresh_seconds" between 1 and 86400)
);
--> statement-breakpoint
ALTER TABLE "operations"."indicator_history" ADD CONSTRAINT "indicator_history_code_indicators_code_fk" FOREIGN KEY ("code") REFERENCES "operations"."indicators"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "indicator_history_code_at_idx" ON "operations"."indicator_history" USING btree ("code","at");--> statement-breakpoint
CREATE INDEX "indicator_history_at_idx" ON "operations"."indicator_history" USING btree ("at");--> statement-breakpoint
CREATE INDEX "indicators_category_level_idx" ON "operations"."indicators" USING btree ("category","level");--> statement-breakpoint
CREATE INDEX "indicators_area_idx" ON "operations"."indicators" USING btree ("area_id");