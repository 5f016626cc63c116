import { appendAudit } from "../../../kernel/audit/audit";
import { type Db, isoTimestampSql, rawQuery } from "../../../kernel/db/db";
import { newId } from "../../../kernel/db/ids";
import type { Ctx } from "../../../kernel/http/context";
import { AppError, HttpErrors } from "../../../kernel/http/errors";
import type { Mask } from "../catalog/catalog.types";
import { maskValue } from "../exchange/masking";
import { actorOf, findUnit, isDataBureau } from "../org";
import { MasterErrors } from "./errors";
import { expandFields } from "./fuse";
import { applyBatch, type StagedRecord } from "./load/batch";
import { authorityOf } from "./load/loader";
import { KEY_FIELD, type Thresholds } from "./resolve";
import type { GoldenField, GoldenMember, StoredField } from "./schema";
import { fieldsOf, fieldTitle, type MasterBase } from "./standardise/fields";
import { standardiseRecord } from "./standardise/standardise";

/**
 * The registries (GovStack Digital Registries style) over the golden records: read, search, exists,
 * update by the authoritative department, pre-fill with a consent receipt, and the explanation of a
 * record field by field with its history. Personal fields are masked as the exchange gateway masks them,
 * except for the data bureau and the field's authoritative department; every read is audited.
 */

/** How each personal field is masked for a caller not entitled to it in clear. */
const MASKS: Record<MasterBase, Record<string, Mask>> = {
  population: {
    name: "name",
    idNumber: "id",
    phone: "phone",
    address: "address",
    householdAddress: "address",
    birthDate: "all",
    employer: "none",
  },
  legalPerson: { legalRepresentative: "name", phone: "phone" },
};

export interface FieldView {
  value: unknown;
  title: string;
  source: string;
  sourceName: string;
  departmentId: string;
  departmentName: string;
  at: string;
  rule: GoldenField["rule"];
  masked: boolean;
}

export interface GoldenView {
  id: string;
  base: MasterBase;
  version: number;
  status: string;
  updatedAt: string;
  sources: number;
  fields: Record<string, FieldView>;
}

interface GoldenRow {
  id: string;
  base: MasterBase;
  key: string | null;
  /** Expanded from the stored form (fuse.ts). */
  fields: Record<string, GoldenField>;
  reason: string;
  members: GoldenMember[];
  version: number;
  status: string;
  mergedInto: string | null;
  updatedAt: string;
}

const GOLDEN_SELECT = `select id, base, key, fields, members, version, status, reason, merged_into as "mergedInto",
  ${isoTimestampSql("updated_at")} as "updatedAt" from datahub.master_golden`;

/** A row as selected (stored fields) with its fields expanded. */
const expanded = (row: GoldenRow): GoldenRow => ({
  ...row,
  fields: expandFields(row.fields as unknown as Record<string, StoredField>, row.members),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A golden record by its id or its identifier (citizen ID number, USCC); a merged one leads on. */
export async function findGolden(db: Db, base: MasterBase, idOrKey: string): Promise<GoldenRow | null> {
  const byId = UUID.test(idOrKey);
  let [row] = await rawQuery<GoldenRow>(
    db,
    byId
      ? `${GOLDEN_SELECT} where id = $1 and base = $2`
      : `${GOLDEN_SELECT} where key = $1 and base = $2 and status = 'active'`,
    [byId ? idOrKey.toLowerCase() : idOrKey.toUpperCase(), base],
  );
  for (let hops = 0; row?.mergedInto && hops < 5; hops++)
    [row] = await rawQuery<GoldenRow>(db, `${GOLDEN_SELECT} where id = $1`, [row.mergedInto]);
  return row ? expanded(row) : null;
}

async function goldenOrThrow(ctx: Ctx, base: MasterBase, idOrKey: string): Promise<GoldenRow> {
  const row = await findGolden(ctx.tx, base, idOrKey);
  if (!row) throw new AppError(MasterErrors.GOLDEN_NOT_FOUND);
  return row;
}

/** Who sees which fields in clear: the data bureau all; a department the fields it is responsible for. */
async function clearFields(ctx: Ctx, base: MasterBase): Promise<(field: string) => boolean> {
  const actor = actorOf(ctx);
  if (isDataBureau(actor)) return () => true;
  const unit = actor.departmentId ? await findUnit(ctx.tx, actor.departmentId) : null;
  if (!unit) return () => false;
  const rows = await rawQuery<{ field: string }>(
    ctx.tx,
    "select field from datahub.responsibilities where base = $1 and department_id = $2",
    [base, unit.id],
  );
  const own = new Set(rows.map((r) => r.field));
  return (field) => own.has(field);
}

async function names(db: Db, sources: string[], departments: string[]) {
  const [s, d] = await Promise.all([
    rawQuery<{ code: string; name: string }>(
      db,
      "select code, name from datahub.master_sources where code = any($1::text[])",
      [sources],
    ),
    rawQuery<{ id: string; name: string }>(
      db,
      "select id, name from identity.departments where id = any($1::uuid[])",
      [departments],
    ),
  ]);
  return {
    source: new Map(s.map((r) => [r.code, r.name])),
    department: new Map(d.map((r) => [r.id, r.name])),
  };
}

async function view(ctx: Ctx, rows: GoldenRow[], clear: (field: string) => boolean): Promise<GoldenView[]> {
  const sources = new Set<string>();
  const departments = new Set<string>();
  for (const r of rows)
    for (const f of Object.values(r.fields)) {
      sources.add(f.source);
      departments.add(f.departmentId);
    }
  const n = await names(ctx.tx, [...sources], [...departments]);
  return rows.map((r) => ({
    id: r.id,
    base: r.base,
    version: r.version,
    status: r.status,
    updatedAt: r.updatedAt,
    sources: r.members.length,
    fields: Object.fromEntries(
      fieldsOf(r.base)
        .filter((f) => r.fields[f])
        .map((f) => {
          const g = r.fields[f]!;
          const mask = MASKS[r.base][f] ?? "none";
          const masked = mask !== "none" && !clear(f);
          return [
            f,
            {
              value: masked ? maskValue(mask, g.value) : g.value,
              title: fieldTitle(r.base, f),
              source: g.source,
              sourceName: n.source.get(g.source) ?? g.source,
              departmentId: g.departmentId,
              departmentName: n.department.get(g.departmentId) ?? "",
              at: g.at,
              rule: g.rule,
              masked,
            },
          ];
        }),
    ),
  }));
}

const auditRead = (
  ctx: Ctx,
  base: MasterBase,
  ids: string[],
  action: string,
  details: Record<string, unknown>,
) =>
  appendAudit(ctx.tx, ctx, {
    action,
    resourceType: base === "population" ? "person" : "legal-person",
    resourceId: ids.length === 1 ? ids[0]! : null,
    details: { base, records: ids.length, ...details },
  });

/** readRecord */
export async function readRecord(ctx: Ctx, base: MasterBase, idOrKey: string): Promise<GoldenView> {
  const row = await goldenOrThrow(ctx, base, idOrKey);
  const [result] = await view(ctx, [row], await clearFields(ctx, base));
  await auditRead(ctx, base, [row.id], "datahub.master.record.read", {});
  return result!;
}

/** searchRecords: by identifier, phone or name (the start of it), newest first. */
export async function searchRecords(
  ctx: Ctx,
  base: MasterBase,
  input: { q: string; page: number; pageSize: number },
): Promise<{ total: number; items: GoldenView[] }> {
  const q = input.q.trim().toUpperCase();
  const key = KEY_FIELD[base];
  const isKey = base === "population" ? /^\d{17}[\dX]$/.test(q) : /^[0-9A-Z]{18}$/.test(q);
  const isPhone = /^1\d{10}$/.test(q);
  const where = isKey
    ? "g.key = $2"
    : isPhone
      ? "g.id in (select golden_id from datahub.master_block_keys where base = $1 and key = 'ph:' || $2)"
      : "(g.fields->'name'->>'v') like $2 || '%'";
  const rows = await rawQuery<GoldenRow & { total: number }>(
    ctx.tx,
    `select g.id, g.base, g.key, g.fields, g.members, g.version, g.status, g.reason, g.merged_into as "mergedInto",
            ${isoTimestampSql("g.updated_at")} as "updatedAt", count(*) over ()::int as total
       from datahub.master_golden g
      where g.base = $1 and g.status = 'active' and ${where}
      order by g.fields->'name'->>'v', g.id limit $3 offset $4`,
    [base, isKey || isPhone ? q : input.q.trim(), input.pageSize, (input.page - 1) * input.pageSize],
  );
  const items = await view(ctx, rows.map(expanded), await clearFields(ctx, base));
  await auditRead(
    ctx,
    base,
    rows.map((r) => r.id),
    "datahub.master.records.searched",
    { by: isKey ? key : isPhone ? "phone" : "name" },
  );
  return { total: rows[0]?.total ?? 0, items };
}

/** recordExists: whether the base holds a person or enterprise with this identifier. */
export async function recordExists(
  ctx: Ctx,
  base: MasterBase,
  identifier: string,
): Promise<{ exists: boolean }> {
  const row = await findGolden(ctx.tx, base, identifier.trim());
  await auditRead(ctx, base, row ? [row.id] : [], "datahub.master.record.exists", { found: !!row });
  return { exists: !!row && row.status === "active" };
}

interface HistoryRow {
  version: number;
  reason: string;
  at: string;
  /** The fields of this version that the next one replaced (null: the next one added it). */
  fields: Record<string, GoldenField | null>;
}

/** Every version's full fields, newest first: each history row applied backwards to the current fields. */
function versionsOf(row: GoldenRow, history: HistoryRow[]) {
  const versions = [
    {
      version: row.version,
      reason: row.reason,
      at: row.updatedAt,
      fields: row.fields,
      replacedNext: [] as string[],
    },
  ];
  let fields = row.fields;
  for (const h of history) {
    fields = { ...fields };
    for (const [name, old] of Object.entries(h.fields)) {
      if (old) fields[name] = old;
      else delete fields[name];
    }
    versions.push({
      version: h.version,
      reason: h.reason,
      at: h.at,
      fields,
      replacedNext: Object.keys(h.fields),
    });
  }
  return versions;
}

/** A golden record field by field: every source's value, the one chosen and why, and its history. */
export async function explainRecord(ctx: Ctx, base: MasterBase, idOrKey: string) {
  const row = await goldenOrThrow(ctx, base, idOrKey);
  const clear = await clearFields(ctx, base);
  const [golden] = await view(ctx, [row], clear);
  const n = await names(
    ctx.tx,
    row.members.map((m) => m.source),
    row.members.map((m) => m.departmentId),
  );
  const shown = (field: string, value: unknown) => {
    const mask = MASKS[base][field] ?? "none";
    return mask !== "none" && !clear(field) ? maskValue(mask, value) : value;
  };
  const history = await rawQuery<HistoryRow>(
    ctx.tx,
    `select version, reason, ${isoTimestampSql("at")} as at, fields from datahub.master_golden_history
      where golden_id = $1 order by version desc limit 50`,
    [row.id],
  );
  const authority = new Map(
    (
      await rawQuery<{ field: string; departmentName: string }>(
        ctx.tx,
        `select r.field, d.name as "departmentName" from datahub.responsibilities r
           join identity.departments d on d.id = r.department_id where r.base = $1`,
        [base],
      )
    ).map((r) => [r.field, r.departmentName]),
  );
  await auditRead(ctx, base, [row.id], "datahub.master.record.explained", {});
  return {
    ...golden!,
    explanation: fieldsOf(base).map((field) => ({
      field,
      title: fieldTitle(base, field),
      authority: authority.get(field) ?? null,
      chosen: row.fields[field] ? { source: row.fields[field]!.source, rule: row.fields[field]!.rule } : null,
      candidates: row.members
        .filter((m) => m.values[field] !== undefined && m.values[field] !== null)
        .map((m) => ({
          source: m.source,
          sourceName: n.source.get(m.source) ?? m.source,
          recordId: m.recordId,
          departmentName: n.department.get(m.departmentId) ?? "",
          value: shown(field, m.values[field]),
          invalid: m.invalid[field] ?? null,
          at: m.at,
        })),
    })),
    history: versionsOf(row, history).map((h) => ({
      version: h.version,
      reason: h.reason,
      at: h.at,
      changes: Object.fromEntries(Object.entries(h.fields).map(([f, v]) => [f, shown(f, v.value)])),
      replacedNext: h.replacedNext,
    })),
  };
}

/** The registry source of a department: where its direct updates of the base are kept. */
async function registrySource(ctx: Ctx, base: MasterBase, unit: { id: string; code: string; name: string }) {
  const code = `registry-${base === "population" ? "p" : "l"}-${unit.code}`.toLowerCase();
  const now = ctx.clock.now();
  await rawQuery(
    ctx.tx,
    `insert into datahub.master_sources (code, name, department_id, base, mapping, key_column, update_cycle_days,
       created_by, created_at, modified_at)
     values ($1, $2, $3, $4, $5, 'id', 3650, $6, $7, $7) on conflict (code) do nothing`,
    [
      code,
      `${unit.name}直接更新`,
      unit.id,
      base,
      JSON.stringify(Object.fromEntries(fieldsOf(base).map((f) => [f, f]))),
      ctx.actor?.id ?? null,
      now,
    ],
  );
  return code;
}

/**
 * updateRecord: the authoritative department of each field corrects it directly. The change is kept as
 * the department's own source record of the person or enterprise, so it wins by authority and the
 * golden record's history shows it like any other source's.
 */
export async function updateRecord(
  ctx: Ctx,
  thresholds: Thresholds,
  base: MasterBase,
  idOrKey: string,
  input: { fields: Record<string, string | number | null>; reason: string },
): Promise<GoldenView> {
  const actor = actorOf(ctx);
  const row = await goldenOrThrow(ctx, base, idOrKey);
  if (row.status !== "active") throw new AppError(MasterErrors.GOLDEN_NOT_FOUND);
  const unit = actor.departmentId ? await findUnit(ctx.tx, actor.departmentId) : null;
  const known = new Set(fieldsOf(base));
  const responsible = await authorityOf(ctx.tx, base);
  const errors: { field: string; message: string }[] = [];
  for (const field of Object.keys(input.fields)) {
    if (!known.has(field))
      errors.push({ field: `/body/fields/${field}`, message: "is not a field of the base" });
  }
  if (errors.length > 0) throw new AppError(HttpErrors.VALIDATION_FAILED, { errors });
  const denied = Object.keys(input.fields).filter((f) => !unit || responsible.get(f) !== unit.id);
  if (!unit || denied.length > 0)
    throw new AppError(MasterErrors.NOT_AUTHORITATIVE, {
      errors: denied.map((f) => ({
        field: `/body/fields/${f}`,
        message: "your department is not its source",
      })),
    });
  const { invalid } = standardiseRecord(base, input.fields);
  const invalidErrors = Object.entries(invalid).map(([f, reason]) => ({
    field: `/body/fields/${f}`,
    message: `is not valid (${reason})`,
  }));
  if (invalidErrors.length > 0) throw new AppError(HttpErrors.VALIDATION_FAILED, { errors: invalidErrors });
  const code = await registrySource(ctx, base, unit);
  const [previous] = await rawQuery<{ raw: Record<string, unknown>; values: Record<string, unknown> }>(
    ctx.tx,
    "select raw, values from datahub.master_records where source_code = $1 and record_id = $2 and deleted_at is null",
    [code, row.id],
  );
  const raw = { ...(previous?.values ?? {}), ...(previous?.raw ?? {}), ...input.fields };
  const standardised = standardiseRecord(base, raw);
  const staged: StagedRecord = {
    line: 0,
    recordId: row.id,
    raw,
    values: standardised.values,
    invalid: standardised.invalid,
    hash: `${row.id}:${JSON.stringify(raw)}`,
  };
  await applyBatch(
    {
      tx: ctx.tx,
      source: { code, base, departmentId: unit.id },
      loadId: null,
      now: ctx.clock.now(),
      authority: responsible,
      thresholds,
    },
    [staged],
    [],
    { force: new Set([row.id]), pinned: new Map([[row.id, row.id]]) },
  );
  await appendAudit(ctx.tx, ctx, {
    action: "datahub.master.record.updated",
    resourceType: base === "population" ? "person" : "legal-person",
    resourceId: row.id,
    details: { fields: Object.keys(input.fields), reason: input.reason, department: unit.code },
  });
  return readRecord(ctx, base, row.id);
}

/**
 * prefill: the values of the given fields for a form, each with the department that supplied it. The
 * caller states the purpose; the subject is the caller (a citizen or enterprise) or someone a clerk
 * serves. A consent receipt and an audit entry are recorded, and the citizen sees the use in "my data".
 */
export async function prefill(
  ctx: Ctx,
  base: MasterBase,
  input: { subject: string; fields: string[]; purpose: string },
) {
  const actor = actorOf(ctx);
  const known = new Set(fieldsOf(base));
  const unknown = input.fields.filter((f) => !known.has(f));
  if (unknown.length > 0)
    throw new AppError(HttpErrors.VALIDATION_FAILED, {
      errors: unknown.map((f) => ({ field: "/body/fields", message: `${f} is not a field of the base` })),
    });
  const subject = input.subject.trim().toUpperCase();
  if (actor.kind === "citizen" || actor.kind === "enterprise") {
    const [own] = await rawQuery<{ key: string }>(
      ctx.tx,
      actor.kind === "citizen"
        ? "select id_number as key from identity.citizens where id = $1"
        : "select uscc as key from identity.enterprises where id = $1",
      [actor.kind === "citizen" ? actor.citizenId : actor.enterpriseId],
    );
    if (!own || own.key.toUpperCase() !== subject)
      throw new AppError(HttpErrors.FORBIDDEN, {
        message: "A citizen or enterprise pre-fills its own data only",
      });
  }
  const row = await findGolden(ctx.tx, base, subject);
  if (!row || row.status !== "active") throw new AppError(MasterErrors.GOLDEN_NOT_FOUND);
  const n = await names(
    ctx.tx,
    [],
    input.fields.map((f) => row.fields[f]?.departmentId).filter((d): d is string => !!d),
  );
  const values = Object.fromEntries(
    input.fields.map((f) => {
      const g = row.fields[f];
      return [
        f,
        g
          ? { value: g.value, departmentName: n.department.get(g.departmentId) ?? "", at: g.at }
          : { value: null, departmentName: null, at: null },
      ];
    }),
  );
  const [citizen] =
    base === "population"
      ? await rawQuery<{ id: string }>(ctx.tx, "select id from identity.citizens where id_number = $1", [
          subject,
        ])
      : [];
  const unit = actor.departmentId ? await findUnit(ctx.tx, actor.departmentId) : null;
  const consentId = newId(ctx.clock.now().getTime());
  const now = ctx.clock.now();
  const supplied = input.fields.filter((f) => row.fields[f]);
  await rawQuery(
    ctx.tx,
    `insert into datahub.master_consents (id, base, golden_id, citizen_id, requested_by, department_id, purpose, fields, at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [consentId, base, row.id, citizen?.id ?? null, actor.id, unit?.id ?? null, input.purpose, supplied, now],
  );
  if (citizen)
    await rawQuery(
      ctx.tx,
      `insert into datahub.data_uses (citizen_id, at, channel, department_id, resource_id, fields, purpose, request_id)
       values ($1, $2, 'prefill', $3, null, $4, $5, $6)`,
      [citizen.id, now, unit?.id ?? null, supplied, input.purpose, ctx.requestId],
    );
  await appendAudit(ctx.tx, ctx, {
    action: "datahub.master.prefill",
    resourceType: base === "population" ? "person" : "legal-person",
    resourceId: row.id,
    details: { fields: supplied, purpose: input.purpose, consent: consentId },
  });
  return { consentId, subjectId: row.id, values };
}
