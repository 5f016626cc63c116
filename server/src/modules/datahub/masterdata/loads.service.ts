import { isoTimestampSql, rawQuery } from "../../../kernel/db/db";
import type { Ctx } from "../../../kernel/http/context";
import { AppError } from "../../../kernel/http/errors";
import { MasterErrors } from "./errors";
import { getSource } from "./sources.service";

const select = (
  extra = "",
) => `select l.id, l.source_code as source, s.name as "sourceName", l.status, l.mode, l.format, l.encoding,
    l.bytes_read as "bytesRead", l.bytes_total as "bytesTotal", l.rows_read as "rowsRead",
    l.rows_rejected as "rowsRejected", l.inserted, l.changed, l.unchanged, l.deleted,
    l.linked_exact as "linkedExact", l.linked_fuzzy as "linkedFuzzy", l.new_entities as "newEntities",
    l.to_review as "toReview", l.invalid_values as "invalidValues", l.problems, l.error,
    u.display_name as "startedByName", ${isoTimestampSql("l.started_at")} as "startedAt",
    case when l.finished_at is null then null else ${isoTimestampSql("l.finished_at")} end as "finishedAt"${extra}
  from datahub.master_loads l join datahub.master_sources s on s.code = l.source_code
  left join identity.users u on u.id = l.started_by`;

/** A load with its progress (while running) or its report. */
export async function getLoad(ctx: Ctx, id: string) {
  const [row] = await rawQuery<Record<string, unknown>>(ctx.tx, `${select()} where l.id = $1`, [id]);
  if (!row) throw new AppError(MasterErrors.LOAD_NOT_FOUND);
  return row;
}

export async function listLoads(
  ctx: Ctx,
  input: { source?: string | undefined; page: number; pageSize: number },
) {
  const params: unknown[] = [input.pageSize, (input.page - 1) * input.pageSize];
  if (input.source) params.push(input.source);
  const rows = await rawQuery<Record<string, unknown> & { total: number }>(
    ctx.tx,
    `${select(", count(*) over ()::int as total")}
      ${input.source ? "where l.source_code = $3" : ""} order by l.started_at desc, l.id desc limit $1 offset $2`,
    params,
  );
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map(({ total: _, problems: p, ...r }) => ({ ...r, problems: (p as unknown[]).slice(0, 20) })),
  };
}

/** listRecordLinks: the golden record of each record of a source, in record id order. */
export async function listLinks(ctx: Ctx, input: { source: string; page: number; pageSize: number }) {
  await getSource(ctx, input.source);
  const rows = await rawQuery<{
    sourceRecordId: string;
    goldenId: string | null;
    method: string | null;
    total: number;
  }>(
    ctx.tx,
    `select record_id as "sourceRecordId", golden_id as "goldenId", link_method as method, count(*) over ()::int as total
       from datahub.master_records where source_code = $1 and deleted_at is null
      order by record_id limit $2 offset $3`,
    [input.source, input.pageSize, (input.page - 1) * input.pageSize],
  );
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map(({ total: _, ...r }) => ({ source: input.source, ...r })),
  };
}
