import { appendAudit } from "../../../kernel/audit/audit";
import { isoTimestampSql, rawQuery } from "../../../kernel/db/db";
import type { Ctx } from "../../../kernel/http/context";
import { AppError } from "../../../kernel/http/errors";
import { actorOf } from "../org";
import { MasterErrors } from "./errors";
import { applyBatch, type StagedRecord } from "./load/batch";
import { authorityOf } from "./load/loader";
import { type Thresholds, validKey } from "./resolve";
import type { StoredField } from "./schema";
import { fieldsOf, fieldTitle, type MasterBase } from "./standardise/fields";

/**
 * The review queue: pairs the resolver was not sure of (a source record and the golden record it may
 * belong to). A data officer decides match or distinct; the decision is remembered for every later load
 * of the record and can be undone.
 */

export type ReviewStatus = "pending" | "match" | "distinct" | "void";

interface ReviewRow {
  id: string;
  base: MasterBase;
  sourceCode: string;
  sourceName: string;
  recordId: string;
  candidateId: string;
  score: number;
  features: Record<string, number>;
  status: ReviewStatus;
  previousGoldenId: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  createdAt: string;
  /** Whom the pair is about: the record's name and the candidate golden record's. */
  recordName: string | null;
  candidateName: string | null;
}

const select = (extra = "") => `select v.id, v.base, v.source_code as "sourceCode", s.name as "sourceName",
    v.record_id as "recordId", v.candidate_id as "candidateId", v.score, v.features, v.status,
    v.previous_golden_id as "previousGoldenId", v.decided_by as "decidedBy", u.display_name as "decidedByName",
    case when v.decided_at is null then null else ${isoTimestampSql("v.decided_at")} end as "decidedAt",
    ${isoTimestampSql("v.created_at")} as "createdAt", r.values->>'name' as "recordName",
    g.fields->'name'->>'v' as "candidateName"${extra}
  from datahub.master_reviews v join datahub.master_sources s on s.code = v.source_code
  left join datahub.master_records r on r.source_code = v.source_code and r.record_id = v.record_id
  left join datahub.master_golden g on g.id = v.candidate_id
  left join identity.users u on u.id = v.decided_by`;

export async function listReviews(
  ctx: Ctx,
  input: { base?: MasterBase | undefined; status: ReviewStatus; page: number; pageSize: number },
) {
  const params: unknown[] = [input.status, input.pageSize, (input.page - 1) * input.pageSize];
  if (input.base) params.push(input.base);
  const rows = await rawQuery<ReviewRow & { total: number }>(
    ctx.tx,
    `${select(", count(*) over ()::int as total")}
      where v.status = $1 ${input.base ? "and v.base = $4" : ""}
      order by ${input.status === "pending" ? "v.score desc, v.created_at" : "v.decided_at desc nulls last"}
      limit $2 offset $3`,
    params,
  );
  // The queue names the people or enterprises it is about: a read of personal data, audited.
  await appendAudit(ctx.tx, ctx, {
    action: "datahub.master.reviews.listed",
    resourceType: "master-review",
    resourceId: null,
    details: { status: input.status, base: input.base ?? null, pairs: rows.length },
  });
  return { total: rows[0]?.total ?? 0, items: rows.map(({ total: _, ...r }) => r) };
}

async function reviewOrThrow(ctx: Ctx, id: string, lock = false): Promise<ReviewRow> {
  const [row] = await rawQuery<ReviewRow>(
    ctx.tx,
    `${select()} where v.id = $1${lock ? " for update of v" : ""}`,
    [id],
  );
  if (!row) throw new AppError(MasterErrors.REVIEW_NOT_FOUND);
  return row;
}

/** A pair side by side: the record's values and the candidate golden record's, field by field. */
export async function getReview(ctx: Ctx, id: string) {
  const review = await reviewOrThrow(ctx, id);
  const [record] = await rawQuery<{
    values: Record<string, unknown>;
    invalid: Record<string, string>;
    goldenId: string | null;
  }>(
    ctx.tx,
    `select values, invalid, golden_id as "goldenId" from datahub.master_records where source_code = $1 and record_id = $2`,
    [review.sourceCode, review.recordId],
  );
  const [candidate] = await rawQuery<{
    fields: Record<string, StoredField>;
    members: unknown[];
    status: string;
  }>(ctx.tx, "select fields, members, status from datahub.master_golden where id = $1", [review.candidateId]);
  await appendAudit(ctx.tx, ctx, {
    action: "datahub.master.review.read",
    resourceType: "master-review",
    resourceId: id,
  });
  return {
    ...review,
    record: record ? { values: record.values, invalid: record.invalid, goldenId: record.goldenId } : null,
    candidate: candidate
      ? {
          id: review.candidateId,
          status: candidate.status,
          sources: candidate.members.length,
          fields: Object.fromEntries(Object.entries(candidate.fields).map(([f, v]) => [f, v.v])),
        }
      : null,
    fields: fieldsOf(review.base).map((f) => ({
      field: f,
      title: fieldTitle(review.base, f),
      similarity: review.features[f] ?? null,
    })),
  };
}

/** Moves the record to where its (new) decisions say it belongs, in this transaction. */
async function relink(ctx: Ctx, thresholds: Thresholds, review: ReviewRow, pinned: string | null) {
  const [record] = await rawQuery<{
    raw: Record<string, unknown>;
    values: Record<string, string | number | null>;
    invalid: Record<string, string>;
    hash: string;
    deleted: boolean;
  }>(
    ctx.tx,
    `select raw, values, invalid, hash, deleted_at is not null as deleted from datahub.master_records
      where source_code = $1 and record_id = $2`,
    [review.sourceCode, review.recordId],
  );
  if (!record || record.deleted) throw new AppError(MasterErrors.REVIEW_STALE);
  const [source] = await rawQuery<{ departmentId: string }>(
    ctx.tx,
    `select department_id as "departmentId" from datahub.master_sources where code = $1`,
    [review.sourceCode],
  );
  const authority = await authorityOf(ctx.tx, review.base);
  const staged: StagedRecord = {
    line: 0,
    recordId: review.recordId,
    ...record,
    raw: { ...record.values, ...record.raw },
  };
  await applyBatch(
    {
      tx: ctx.tx,
      source: { code: review.sourceCode, base: review.base, departmentId: source!.departmentId },
      loadId: null,
      now: ctx.clock.now(),
      authority,
      thresholds,
    },
    [staged],
    [],
    {
      force: new Set([review.recordId]),
      ...(pinned ? { pinned: new Map([[review.recordId, pinned]]) } : {}),
    },
  );
}

/** decideReview: the same person or enterprise (match) or not (distinct). */
export async function decideReview(
  ctx: Ctx,
  thresholds: Thresholds,
  id: string,
  decision: "match" | "distinct",
): Promise<ReviewRow> {
  const actor = actorOf(ctx);
  await rawQuery(ctx.tx, "select pg_advisory_xact_lock(hashtext($1))", [`fourfold.master.reviews`]);
  const review = await reviewOrThrow(ctx, id, true);
  if (review.status !== "pending") throw new AppError(MasterErrors.REVIEW_DECIDED);
  const [state] = await rawQuery<{
    goldenId: string | null;
    candidateStatus: string | null;
    values: Record<string, string | number | null>;
    invalid: Record<string, string>;
    candidateKey: string | null;
  }>(
    ctx.tx,
    `select r.golden_id as "goldenId", g.status as "candidateStatus", r.values, r.invalid, g.key as "candidateKey"
       from datahub.master_records r left join datahub.master_golden g on g.id = $3
      where r.source_code = $1 and r.record_id = $2 and r.deleted_at is null`,
    [review.sourceCode, review.recordId, review.candidateId],
  );
  if (!state || state.candidateStatus !== "active") {
    await rawQuery(ctx.tx, "update datahub.master_reviews set status = 'void' where id = $1", [id]);
    throw new AppError(MasterErrors.REVIEW_STALE);
  }
  if (decision === "match") {
    const key = validKey(review.base, state);
    if (key && state.candidateKey && key !== state.candidateKey)
      throw new AppError(MasterErrors.KEYS_CONFLICT);
  }
  await rawQuery(
    ctx.tx,
    `update datahub.master_reviews set status = $2, decided_by = $3, decided_at = $4, previous_golden_id = $5
      where id = $1`,
    [id, decision, actor.id, ctx.clock.now(), state.goldenId],
  );
  if (decision === "match") await relink(ctx, thresholds, review, review.candidateId);
  await appendAudit(ctx.tx, ctx, {
    action: `datahub.master.review.${decision}`,
    resourceType: "master-review",
    resourceId: id,
    details: {
      source: review.sourceCode,
      record: review.recordId,
      candidate: review.candidateId,
      score: review.score,
    },
  });
  return reviewOrThrow(ctx, id);
}

/** undoReview: the pair is pending again; a record that was matched is resolved afresh. */
export async function undoReview(ctx: Ctx, thresholds: Thresholds, id: string): Promise<ReviewRow> {
  await rawQuery(ctx.tx, "select pg_advisory_xact_lock(hashtext($1))", [`fourfold.master.reviews`]);
  const review = await reviewOrThrow(ctx, id, true);
  if (review.status !== "match" && review.status !== "distinct")
    throw new AppError(MasterErrors.REVIEW_NOT_DECIDED);
  await rawQuery(
    ctx.tx,
    "update datahub.master_reviews set status = 'pending', decided_by = null, decided_at = null where id = $1",
    [id],
  );
  if (review.status === "match") await relink(ctx, thresholds, review, null);
  await appendAudit(ctx.tx, ctx, {
    action: "datahub.master.review.undone",
    resourceType: "master-review",
    resourceId: id,
    details: { was: review.status, source: review.sourceCode, record: review.recordId },
  });
  return reviewOrThrow(ctx, id);
}
