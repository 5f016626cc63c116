import { hasAnyRole } from "../../../kernel/access/actor";
import { appendAudit } from "../../../kernel/audit/audit";
import { isoTimestampSql, rawQuery } from "../../../kernel/db/db";
import type { Ctx } from "../../../kernel/http/context";
import { AppError, HttpErrors } from "../../../kernel/http/errors";
import { actorOf, findUnit, getUnit, isDataBureau, unitOfActor } from "../org";
import { MasterErrors } from "./errors";
import { fieldsOf, type MasterBase } from "./standardise/fields";

export interface SourceInput {
  code: string;
  name: string;
  /** The providing department; the caller's own unless the caller is the data bureau. */
  department?: string | undefined;
  base: MasterBase;
  mapping: Record<string, string>;
  keyColumn: string;
  pullUrl?: string | null | undefined;
  pullEveryMinutes?: number | null | undefined;
  updateCycleDays?: number | undefined;
}

export interface Source {
  code: string;
  name: string;
  departmentId: string;
  departmentName: string;
  base: MasterBase;
  mapping: Record<string, string>;
  keyColumn: string;
  pullUrl: string | null;
  pullEveryMinutes: number | null;
  updateCycleDays: number;
  createdAt: string;
  modifiedAt: string;
  lastLoadAt: string | null;
  records: number;
}

const SELECT = `select s.code, s.name, s.department_id as "departmentId", d.name as "departmentName", s.base,
    s.mapping, s.key_column as "keyColumn", s.pull_url as "pullUrl", s.pull_every_minutes as "pullEveryMinutes",
    s.update_cycle_days as "updateCycleDays", ${isoTimestampSql("s.created_at")} as "createdAt",
    ${isoTimestampSql("s.modified_at")} as "modifiedAt",
    case when s.last_load_at is null then null else ${isoTimestampSql("s.last_load_at")} end as "lastLoadAt",
    (select count(*)::int from datahub.master_records r where r.source_code = s.code and r.deleted_at is null) as records
  from datahub.master_sources s join identity.departments d on d.id = s.department_id`;

/** A mapping names each base field at most once, only fields of the base, and maps the key column. */
function checkMapping(input: Pick<SourceInput, "base" | "mapping" | "keyColumn">): void {
  const fields = new Set(fieldsOf(input.base));
  const errors: { field: string; message: string }[] = [];
  const used = new Map<string, string>();
  for (const [column, field] of Object.entries(input.mapping)) {
    if (!fields.has(field))
      errors.push({
        field: `/body/mapping/${column}`,
        message: `${field} is not a field of the ${input.base} base`,
      });
    else if (used.has(field))
      errors.push({
        field: `/body/mapping/${column}`,
        message: `${field} is mapped from ${used.get(field)} already`,
      });
    else used.set(field, column);
  }
  if (Object.keys(input.mapping).length === 0)
    errors.push({ field: "/body/mapping", message: "must map at least one column" });
  if (errors.length > 0) throw new AppError(HttpErrors.VALIDATION_FAILED, { errors });
}

/** Only the source's own department and the data bureau manage a source and load it. */
export async function mayManage(ctx: Ctx, departmentId: string): Promise<boolean> {
  const actor = actorOf(ctx);
  if (isDataBureau(actor)) return true;
  const unit = await unitOfActor(ctx);
  return unit.id === departmentId;
}

/** The sources, each saying whether the caller may change and load it (its department, or the bureau). */
export async function listSources(ctx: Ctx, base?: MasterBase): Promise<(Source & { mayLoad: boolean })[]> {
  const rows = await rawQuery<Source>(
    ctx.tx,
    `${SELECT} ${base ? "where s.base = $1" : ""} order by s.base, s.code`,
    base ? [base] : [],
  );
  const actor = actorOf(ctx);
  const unit = isDataBureau(actor) || !actor.departmentId ? null : await findUnit(ctx.tx, actor.departmentId);
  const may = (r: Source) =>
    isDataBureau(actor) ||
    (unit !== null && unit.id === r.departmentId && hasAnyRole(actor, ["dataofficer"]));
  return rows.map((r) => ({ ...r, mayLoad: may(r) }));
}

export async function getSource(ctx: Ctx, code: string): Promise<Source> {
  const [row] = await rawQuery<Source>(ctx.tx, `${SELECT} where s.code = $1`, [code]);
  if (!row) throw new AppError(MasterErrors.SOURCE_NOT_FOUND);
  return row;
}

/** defineSource: registers a department dataset with its column mapping, or changes it. */
export async function defineSource(
  ctx: Ctx,
  input: SourceInput,
): Promise<{ source: Source; created: boolean }> {
  const actor = actorOf(ctx);
  checkMapping(input);
  const department = input.department ? await getUnit(ctx.tx, input.department) : await unitOfActor(ctx);
  if (!(await mayManage(ctx, department.id))) throw new AppError(MasterErrors.NOT_SOURCE_DEPARTMENT);
  const [existing] = await rawQuery<{ departmentId: string; base: string }>(
    ctx.tx,
    `select department_id as "departmentId", base from datahub.master_sources where code = $1 for update`,
    [input.code],
  );
  if (existing && !(await mayManage(ctx, existing.departmentId)))
    throw new AppError(MasterErrors.NOT_SOURCE_DEPARTMENT);
  if (existing && existing.base !== input.base)
    throw new AppError(MasterErrors.SOURCE_BASE_FIXED, {
      errors: [{ field: "/body/base", message: `the source feeds the ${existing.base} base` }],
    });
  const now = ctx.clock.now();
  await rawQuery(
    ctx.tx,
    `insert into datahub.master_sources (code, name, department_id, base, mapping, key_column, pull_url,
       pull_every_minutes, update_cycle_days, created_by, created_at, modified_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
     on conflict (code) do update set name = excluded.name, department_id = excluded.department_id,
       mapping = excluded.mapping, key_column = excluded.key_column, pull_url = excluded.pull_url,
       pull_every_minutes = excluded.pull_every_minutes, update_cycle_days = excluded.update_cycle_days,
       modified_at = excluded.modified_at`,
    [
      input.code,
      input.name,
      department.id,
      input.base,
      JSON.stringify(input.mapping),
      input.keyColumn,
      input.pullUrl ?? null,
      input.pullUrl ? (input.pullEveryMinutes ?? 60) : null,
      input.updateCycleDays ?? 30,
      actor.id,
      now,
    ],
  );
  await appendAudit(ctx.tx, ctx, {
    action: existing ? "datahub.master.source.changed" : "datahub.master.source.defined",
    resourceType: "master-source",
    resourceId: input.code,
    details: { base: input.base, department: department.code, columns: Object.keys(input.mapping).length },
  });
  return { source: await getSource(ctx, input.code), created: !existing };
}
