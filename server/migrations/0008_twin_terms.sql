-- The text, boolean and relationship values of a twin entity's attributes, for q equality (GIN).
CREATE FUNCTION operations.twin_terms(attrs jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(jsonb_object_agg(key, CASE WHEN v ? 'object' THEN jsonb_build_object('object', v -> 'object')
                                            ELSE jsonb_build_object('value', v -> 'value') END), '{}'::jsonb)
  FROM jsonb_each(attrs) AS a(key, v)
  WHERE jsonb_typeof(v -> 'value') IN ('string', 'boolean', 'array') OR jsonb_typeof(v -> 'object') IN ('string', 'array')
$$;--> statement-breakpoint
ALTER TABLE "operations"."entities" ADD COLUMN "terms" jsonb GENERATED ALWAYS AS (operations.twin_terms(attrs)) STORED;--> statement-breakpoint
CREATE INDEX "entities_terms_idx" ON "operations"."entities" USING gin ("terms" jsonb_path_ops);--> statement-breakpoint
-- Room on each page for a changed row's new version: telemetry updates entities in place (HOT).
ALTER TABLE "operations"."entities" SET (fillfactor = 70);
--> statement-breakpoint
-- refreshSeconds 0: an indicator evaluated after every change of what it reads.
ALTER TABLE "operations"."indicators" DROP CONSTRAINT "indicators_refresh_check";--> statement-breakpoint
ALTER TABLE "operations"."indicators" ADD CONSTRAINT "indicators_refresh_check" CHECK ("operations"."indicators"."refresh_seconds" between 0 and 86400);
