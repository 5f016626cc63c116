import { type Db, rawQuery } from "../../../kernel/db/db";
import type { Ctx } from "../../../kernel/http/context";
import { AppError } from "../../../kernel/http/errors";
import { MasterErrors } from "./errors";
import { KEY_FIELD } from "./resolve";
import { fieldsOf, fieldTitle, type MasterBase } from "./standardise/fields";

/**
 * Data quality of the sources (数据质量): per source and mapped field, the share of records that pass
 * each rule — completeness (the value is there), validity (it passes its format and checksum),
 * uniqueness (the identifier is not repeated within the source), consistency (it agrees with the golden
 * record's value, which the authoritative department or the latest source decided) — and per source
 * timeliness (loaded within its update cycle). Counts are computed after each load; timeliness when read.
 */
export const RULES = ["completeness", "validity", "uniqueness", "consistency", "timeliness"] as const;
export type Rule = (typeof RULES)[number];

const literal = (field: string) => {
  if (!/^[a-zA-Z]+$/.test(field)) throw new Error(`not a field name: ${field}`);
  return `'${field}'`;
};

/** Recounts a source's field scores (in the load's closing transaction). */
export async function computeQuality(tx: Db, sourceCode: string, now: Date): Promise<void> {
  const [source] = await rawQuery<{ base: MasterBase; mapping: Record<string, string> }>(
    tx,
    "select base, mapping from datahub.master_sources where code = $1",
    [sourceCode],
  );
  if (!source) return;
  const known = new Set(fieldsOf(source.base));
  const fields = [...new Set(Object.values(source.mapping))].filter((f) => known.has(f));
  if (fields.length === 0) return;
  const key = KEY_FIELD[source.base];
  const columns = fields.flatMap((f) => {
    const name = literal(f);
    return [
      `count(*) filter (where r.values->>${name} is not null) as "${f}_present"`,
      `count(*) filter (where r.values->>${name} is not null and not r.invalid ? ${name}) as "${f}_valid"`,
      `count(*) filter (where r.values->>${name} is not null and g.fields ? ${name}) as "${f}_comparable"`,
      `count(*) filter (where r.values->>${name} is not null and g.fields->${name}->>'v' = r.values->>${name}) as "${f}_agree"`,
    ];
  });
  const [counts] = await rawQuery<Record<string, string | number>>(
    tx,
    `select count(*) as total, ${columns.join(", ")}
       from datahub.master_records r left join datahub.master_golden g on g.id = r.golden_id
      where r.source_code = $1 and r.deleted_at is null`,
    [sourceCode],
  );
  const [repeated] = fields.includes(key)
    ? await rawQuery<{ n: string | number }>(
        tx,
        `select coalesce(sum(n), 0) as n from (
           select count(*) as n from datahub.master_records
            where source_code = $1 and deleted_at is null and values->>${literal(key)} is not null
            group by values->>${literal(key)} having count(*) > 1) d`,
        [sourceCode],
      )
    : [{ n: 0 }];
  const total = Number(counts?.total ?? 0);
  const rows: { field: string; rule: Rule; passed: number; total: number }[] = [];
  for (const f of fields) {
    const present = Number(counts?.[`${f}_present`] ?? 0);
    rows.push({ field: f, rule: "completeness", passed: present, total });
    rows.push({ field: f, rule: "validity", passed: Number(counts?.[`${f}_valid`] ?? 0), total: present });
    rows.push({
      field: f,
      rule: "consistency",
      passed: Number(counts?.[`${f}_agree`] ?? 0),
      total: Number(counts?.[`${f}_comparable`] ?? 0),
    });
    if (f === key)
      rows.push({ field: f, rule: "uniqueness", passed: present - Number(repeated?.n ?? 0), total: present });
  }
  await rawQuery(tx, "delete from datahub.master_quality where source_code = $1", [sourceCode]);
  await rawQuery(
    tx,
    `insert into datahub.master_quality (source_code, field, rule, passed, total, computed_at)
     select $1, q.field, q.rule, q.passed, q.total, $2
       from jsonb_to_recordset($3::jsonb) as q(field text, rule text, passed int, total int)`,
    [sourceCode, now, JSON.stringify(rows)],
  );
}

interface Tally {
  passed: number;
  total: number;
}
export type Scores = Partial<Record<Rule, number>> & { overall: number | null };

function scoresOf(tallies: Partial<Record<Rule, Tally>>): Scores {
  const scores: Scores = { overall: null };
  const parts: number[] = [];
  for (const rule of RULES) {
    const t = tallies[rule];
    if (!t || t.total === 0) continue;
    const s = Math.round((t.passed / t.total) * 1000) / 1000;
    scores[rule] = s;
    parts.push(s);
  }
  if (parts.length > 0)
    scores.overall = Math.round((parts.reduce((a, b) => a + b, 0) / parts.length) * 1000) / 1000;
  return scores;
}

function addTally(into: Partial<Record<Rule, Tally>>, rule: Rule, passed: number, total: number) {
  const t = into[rule] ?? { passed: 0, total: 0 };
  t.passed += passed;
  t.total += total;
  into[rule] = t;
}

export interface QualityBoard {
  sources: {
    code: string;
    name: string;
    base: MasterBase;
    departmentId: string;
    departmentName: string;
    records: number;
    lastLoadAt: string | null;
    scores: Scores;
    fields: { field: string; title: string; scores: Scores }[];
  }[];
  departments: { departmentId: string; departmentName: string; sources: number; scores: Scores }[];
  fields: { base: MasterBase; field: string; title: string; scores: Scores }[];
}

/** The quality scorecard: per source (dataset), per department and per field. */
export async function qualityBoard(ctx: Ctx, base?: MasterBase): Promise<QualityBoard> {
  const now = ctx.clock.now().getTime();
  const sources = await rawQuery<{
    code: string;
    name: string;
    base: MasterBase;
    departmentId: string;
    departmentName: string;
    lastLoadAt: string | null;
    updateCycleDays: number;
    records: number;
  }>(
    ctx.tx,
    `select s.code, s.name, s.base, s.department_id as "departmentId", d.name as "departmentName",
            to_char(s.last_load_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "lastLoadAt",
            s.update_cycle_days as "updateCycleDays",
            (select count(*)::int from datahub.master_records r where r.source_code = s.code and r.deleted_at is null) as records
       from datahub.master_sources s join identity.departments d on d.id = s.department_id
      ${base ? "where s.base = $1" : ""} order by s.base, s.code`,
    base ? [base] : [],
  );
  const tallies = await rawQuery<{
    sourceCode: string;
    field: string;
    rule: Rule;
    passed: number;
    total: number;
  }>(
    ctx.tx,
    `select source_code as "sourceCode", field, rule, passed, total from datahub.master_quality
      where source_code = any($1::text[])`,
    [sources.map((s) => s.code)],
  );
  const bySource = new Map<string, typeof tallies>();
  for (const t of tallies) bySource.set(t.sourceCode, [...(bySource.get(t.sourceCode) ?? []), t]);
  const departments = new Map<
    string,
    { departmentName: string; sources: number; t: Partial<Record<Rule, Tally>> }
  >();
  const fields = new Map<string, { base: MasterBase; field: string; t: Partial<Record<Rule, Tally>> }>();
  const board: QualityBoard = { sources: [], departments: [], fields: [] };
  for (const s of sources) {
    const sourceTally: Partial<Record<Rule, Tally>> = {};
    const perField = new Map<string, Partial<Record<Rule, Tally>>>();
    for (const t of bySource.get(s.code) ?? []) {
      addTally(sourceTally, t.rule, t.passed, t.total);
      const f = perField.get(t.field) ?? {};
      addTally(f, t.rule, t.passed, t.total);
      perField.set(t.field, f);
      const acrossKey = `${s.base}/${t.field}`;
      const across = fields.get(acrossKey) ?? { base: s.base, field: t.field, t: {} };
      addTally(across.t, t.rule, t.passed, t.total);
      fields.set(acrossKey, across);
    }
    const fresh =
      s.lastLoadAt !== null && now - Date.parse(s.lastLoadAt) <= s.updateCycleDays * 86_400_000 ? 1 : 0;
    addTally(sourceTally, "timeliness", fresh, 1);
    const dept = departments.get(s.departmentId) ?? { departmentName: s.departmentName, sources: 0, t: {} };
    dept.sources++;
    for (const [rule, t] of Object.entries(sourceTally) as [Rule, Tally][])
      addTally(dept.t, rule, t.passed, t.total);
    departments.set(s.departmentId, dept);
    board.sources.push({
      code: s.code,
      name: s.name,
      base: s.base,
      departmentId: s.departmentId,
      departmentName: s.departmentName,
      records: s.records,
      lastLoadAt: s.lastLoadAt,
      scores: scoresOf(sourceTally),
      fields: [...perField].map(([field, t]) => ({
        field,
        title: fieldTitle(s.base, field),
        scores: scoresOf(t),
      })),
    });
  }
  board.departments = [...departments].map(([departmentId, d]) => ({
    departmentId,
    departmentName: d.departmentName,
    sources: d.sources,
    scores: scoresOf(d.t),
  }));
  board.fields = [...fields.values()].map((f) => ({
    base: f.base,
    field: f.field,
    title: fieldTitle(f.base, f.field),
    scores: scoresOf(f.t),
  }));
  return board;
}

export interface Failure {
  recordId: string;
  value: unknown;
  reason: string;
  goldenId: string | null;
  goldenValue: unknown;
}

/** The records of a source that fail a rule on a field, to be corrected at the source. */
export async function listFailures(
  ctx: Ctx,
  input: { source: string; field: string; rule: Exclude<Rule, "timeliness">; page: number; pageSize: number },
): Promise<{ total: number; items: Failure[] }> {
  const [source] = await rawQuery<{ base: MasterBase }>(
    ctx.tx,
    "select base from datahub.master_sources where code = $1",
    [input.source],
  );
  if (!source) throw new AppError(MasterErrors.SOURCE_NOT_FOUND);
  if (!fieldsOf(source.base).includes(input.field))
    throw new AppError(MasterErrors.SOURCE_NOT_FOUND, {
      message: `${input.field} is not a field of the base`,
    });
  const f = literal(input.field);
  const where = {
    completeness: `r.values->>${f} is null`,
    validity: `r.values->>${f} is not null and r.invalid ? ${f}`,
    uniqueness: `r.values->>${f} in (select values->>${f} from datahub.master_records where source_code = $1
                   and deleted_at is null and values->>${f} is not null group by 1 having count(*) > 1)`,
    consistency: `r.values->>${f} is not null and g.fields ? ${f} and g.fields->${f}->>'v' <> r.values->>${f}`,
  }[input.rule];
  const rows = await rawQuery<Failure & { total: number; invalidReason: string | null }>(
    ctx.tx,
    `select r.record_id as "recordId", r.values->${f} as value, r.invalid->>${f} as "invalidReason",
            r.golden_id as "goldenId", g.fields->${f}->'v' as "goldenValue", count(*) over ()::int as total
       from datahub.master_records r left join datahub.master_golden g on g.id = r.golden_id
      where r.source_code = $1 and r.deleted_at is null and ${where}
      order by r.record_id limit $2 offset $3`,
    [input.source, input.pageSize, (input.page - 1) * input.pageSize],
  );
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map(({ total: _, invalidReason, ...r }) => ({
      ...r,
      reason:
        input.rule === "validity"
          ? (invalidReason ?? "format")
          : input.rule === "completeness"
            ? "missing"
            : input.rule === "uniqueness"
              ? "repeated"
              : "differs",
    })),
  };
}
