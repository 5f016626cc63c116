import { type Db, isoTimestampSql, rawQuery } from "../../../../kernel/db/db";
import { newId } from "../../../../kernel/db/ids";
import { compactFields, expandFields, fuseFields, replacedFields, sameFields } from "../fuse";
import { blockKeys, type Candidate, decide, scoreAgainst, type Thresholds, validKey } from "../resolve";
import type { GoldenField, GoldenMember, StoredField } from "../schema";
import type { MasterBase } from "../standardise/fields";

/** A source record ready to be resolved: standardised, hashed, with its line in the file. */
export interface StagedRecord {
  line: number;
  recordId: string;
  raw: Record<string, unknown>;
  values: Record<string, string | number | null>;
  invalid: Record<string, string>;
  hash: string;
}

export interface BatchSource {
  code: string;
  base: MasterBase;
  departmentId: string;
}

export interface BatchCounts {
  inserted: number;
  changed: number;
  unchanged: number;
  deleted: number;
  linkedExact: number;
  linkedFuzzy: number;
  newEntities: number;
  toReview: number;
}

export const emptyCounts = (): BatchCounts => ({
  inserted: 0,
  changed: 0,
  unchanged: 0,
  deleted: 0,
  linkedExact: 0,
  linkedFuzzy: 0,
  newEntities: 0,
  toReview: 0,
});

interface Golden extends Candidate {
  fields: Record<string, GoldenField>;
  version: number;
  status: string;
  mergedInto: string | null;
  createdAt: string;
  updatedAt: string;
  /** What made the stored version. */
  storedReason: string;
  isNew: boolean;
  touched: boolean;
  /** What this batch changes. */
  reason: string;
}

interface ExistingRecord {
  recordId: string;
  hash: string;
  goldenId: string | null;
  linkMethod: "exact" | "fuzzy" | "manual" | "new" | null;
  loadId: string;
  deleted: boolean;
}

export interface BatchContext {
  tx: Db;
  source: BatchSource;
  /** The load that sees these records; null for a data officer's relinking, which keeps theirs. */
  loadId: string | null;
  now: Date;
  authority: ReadonlyMap<string, string>;
  thresholds: Thresholds;
}

/** The golden records of the given ids (active or not), as the resolver works on them. */
async function loadGoldens(tx: Db, ids: string[]): Promise<Map<string, Golden>> {
  const goldens = new Map<string, Golden>();
  if (ids.length === 0) return goldens;
  const rows = await rawQuery<{
    id: string;
    key: string | null;
    fields: Record<string, StoredField>;
    members: GoldenMember[];
    version: number;
    status: string;
    mergedInto: string | null;
    createdAt: string;
    updatedAt: string;
    storedReason: string;
  }>(
    tx,
    `select id, key, fields, members, version, status, merged_into as "mergedInto", created_at::text as "createdAt",
            ${isoTimestampSql("updated_at")} as "updatedAt", reason as "storedReason"
       from datahub.master_golden where id = any($1::uuid[])`,
    [ids],
  );
  for (const r of rows)
    goldens.set(r.id, {
      ...r,
      fields: expandFields(r.fields, r.members),
      isNew: false,
      touched: false,
      reason: "",
    });
  return goldens;
}

/**
 * Resolves and fuses one batch of a source's records in the caller's transaction: new and changed
 * records find their golden records, unchanged ones are only marked as seen by this load, and
 * `deletions` leave theirs. Everything the batch changes is written before it returns, so a batch is
 * applied whole or not at all.
 */
export async function applyBatch(
  ctx: BatchContext,
  staged: StagedRecord[],
  deletions: string[],
  options: {
    /** Records to resolve again although unchanged (a review decided or undone). */
    force?: ReadonlySet<string>;
    /** Records that belong to the given golden record, whatever they hold (an authoritative update). */
    pinned?: ReadonlyMap<string, string>;
  } = {},
): Promise<{ counts: BatchCounts; problems: { line: number; reason: string }[] }> {
  const { tx, source, loadId, now } = ctx;
  const base = source.base;
  const at = now.toISOString();
  const counts = emptyCounts();
  const problems: { line: number; reason: string }[] = [];
  await rawQuery(tx, "select pg_advisory_xact_lock(hashtext($1))", [`fourfold.master.${base}`]);

  const ids = [...staged.map((s) => s.recordId), ...deletions];
  const existing = new Map<string, ExistingRecord>();
  if (ids.length > 0) {
    const rows = await rawQuery<ExistingRecord>(
      tx,
      `select record_id as "recordId", hash, golden_id as "goldenId", link_method as "linkMethod", load_id as "loadId",
              deleted_at is not null as deleted
         from datahub.master_records where source_code = $1 and record_id = any($2::text[])`,
      [source.code, ids],
    );
    for (const r of rows) existing.set(r.recordId, r);
  }

  // Sort the batch: a record id seen twice in one load is a problem row; unchanged ones are only seen.
  const seen = new Map<string, number>();
  const unchanged: string[] = [];
  const toResolve: { record: StagedRecord; previous: ExistingRecord | null }[] = [];
  for (const record of staged) {
    const previous = existing.get(record.recordId) ?? null;
    const earlier = seen.get(record.recordId);
    if (earlier !== undefined || (previous && loadId !== null && previous.loadId === loadId)) {
      problems.push({
        line: record.line,
        reason: `repeats record id ${record.recordId}${earlier !== undefined ? ` of line ${earlier}` : ""}`,
      });
      continue;
    }
    seen.set(record.recordId, record.line);
    if (
      previous &&
      !previous.deleted &&
      previous.hash === record.hash &&
      !options.force?.has(record.recordId)
    ) {
      unchanged.push(record.recordId);
      counts.unchanged++;
    } else toResolve.push({ record, previous });
  }
  const leaving = deletions
    .map((id) => existing.get(id))
    .filter((r): r is ExistingRecord => !!r && !r.deleted);

  // The data officers' decisions on these records' pairs.
  const matched = new Map<string, string>();
  const distinct = new Map<string, Set<string>>();
  if (toResolve.length > 0) {
    const decisions = await rawQuery<{ recordId: string; candidateId: string; status: string }>(
      tx,
      `select record_id as "recordId", candidate_id as "candidateId", status from datahub.master_reviews
        where source_code = $1 and record_id = any($2::text[]) and status in ('match', 'distinct')`,
      [source.code, toResolve.map((t) => t.record.recordId)],
    );
    for (const [recordId, goldenId] of options.pinned ?? []) matched.set(recordId, goldenId);
    for (const d of decisions) {
      if (d.status === "match" && !matched.has(d.recordId)) matched.set(d.recordId, d.candidateId);
      else {
        const set = distinct.get(d.recordId) ?? new Set<string>();
        set.add(d.candidateId);
        distinct.set(d.recordId, set);
      }
    }
  }

  // Candidates: the golden records behind the batch's blocking keys, the records' current ones, and
  // those a data officer matched them to.
  const keysOf = new Map<StagedRecord, string[]>();
  const wanted = new Set<string>();
  for (const { record } of toResolve) {
    const keys = blockKeys(base, record);
    keysOf.set(record, keys);
    for (const k of keys) wanted.add(k);
  }
  const index = new Map<string, Set<string>>();
  const goldenIds = new Set<string>();
  const addToIndex = (key: string, goldenId: string) => {
    const set = index.get(key) ?? new Set<string>();
    set.add(goldenId);
    index.set(key, set);
  };
  // Exact: the golden records holding the records' valid identifiers (their own unique index).
  const identifiers = toResolve.map(({ record }) => validKey(base, record)).filter((k): k is string => !!k);
  if (identifiers.length > 0) {
    const rows = await rawQuery<{ id: string; key: string }>(
      tx,
      `select id, key from datahub.master_golden where base = $1 and key = any($2::text[]) and status = 'active'`,
      [base, identifiers],
    );
    for (const r of rows) {
      addToIndex(`id:${r.key}`, r.id);
      goldenIds.add(r.id);
    }
  }
  // Fuzzy: for the records no identifier placed, the golden records behind their blocking keys — only
  // those without an identifier for a record with a valid one (it never joins another's).
  const unplaced = toResolve.filter(({ record }) => {
    const key = validKey(base, record);
    return !key || !index.has(`id:${key}`);
  });
  const fuzzyKeys = new Set<string>();
  for (const { record } of unplaced)
    for (const k of keysOf.get(record) ?? []) if (!k.startsWith("id:")) fuzzyKeys.add(k);
  if (fuzzyKeys.size > 0) {
    const rows = await rawQuery<{ key: string; goldenId: string; keyed: boolean }>(
      tx,
      `select k.key, k.golden_id as "goldenId", g.key is not null as keyed
         from datahub.master_block_keys k join datahub.master_golden g on g.id = k.golden_id
        where k.base = $1 and k.key = any($2::text[]) and g.status = 'active'`,
      [base, [...fuzzyKeys]],
    );
    const keyed = new Set<string>();
    for (const r of rows) {
      addToIndex(r.key, r.goldenId);
      if (r.keyed) keyed.add(r.goldenId);
    }
    for (const { record } of unplaced) {
      const key = validKey(base, record);
      for (const k of keysOf.get(record) ?? [])
        for (const id of index.get(k) ?? []) if (!key || !keyed.has(id)) goldenIds.add(id);
    }
  }
  for (const { previous } of toResolve) if (previous?.goldenId) goldenIds.add(previous.goldenId);
  for (const r of leaving) if (r.goldenId) goldenIds.add(r.goldenId);
  for (const id of matched.values()) goldenIds.add(id);
  const goldens = await loadGoldens(tx, [...goldenIds]);

  const newKeys: { key: string; goldenId: string }[] = [];
  const reviews: {
    id: string;
    recordId: string;
    candidateId: string;
    score: number;
    features: Record<string, number>;
  }[] = [];
  const recordRows: Record<string, unknown>[] = [];

  const touch = (golden: Golden, reason: string) => {
    golden.touched = true;
    if (!golden.reason.includes(reason))
      golden.reason = golden.reason ? `${golden.reason}, ${reason}` : reason;
  };
  /** Takes a record out of its golden record: it left (deleted or moved), or is about to come back changed. */
  const removeMember = (golden: Golden, recordId: string, why: "left" | "changing") => {
    const before = golden.members.length;
    golden.members = golden.members.filter((m) => !(m.source === source.code && m.recordId === recordId));
    if (golden.members.length === before) return;
    if (why === "left") touch(golden, `${source.code} left`);
    else golden.touched = true;
  };
  const indexKeys = (goldenId: string, keys: string[]) => {
    for (const key of keys) {
      const set = index.get(key) ?? new Set<string>();
      if (!set.has(goldenId)) {
        set.add(goldenId);
        index.set(key, set);
        // An identifier is found through the golden record's own key column.
        if (!key.startsWith("id:")) newKeys.push({ key, goldenId });
      }
    }
  };
  const active = (id: string | undefined) => {
    let golden = id ? goldens.get(id) : undefined;
    // A golden record merged into another sends its newcomers on.
    for (let hops = 0; golden && golden.status !== "active" && hops < 5; hops++)
      golden = golden.mergedInto ? goldens.get(golden.mergedInto) : undefined;
    return golden?.status === "active" ? golden : undefined;
  };

  for (const { record, previous } of toResolve) {
    const member: GoldenMember = {
      source: source.code,
      recordId: record.recordId,
      departmentId: source.departmentId,
      at,
      values: record.values,
      invalid: record.invalid,
    };
    const keys = keysOf.get(record) ?? [];
    const key = validKey(base, record);
    let target: Golden | undefined;
    let method: "exact" | "fuzzy" | "manual" | "new" = "new";
    let score: number | null = null;

    // A changed record stays in its golden record while it still belongs there.
    const current = previous?.goldenId ? active(previous.goldenId) : undefined;
    if (current) {
      removeMember(current, record.recordId, "changing");
      const pin = matched.get(record.recordId);
      const stays = pin
        ? pin === current.id
        : current.members.length === 0 ||
          (key !== null && current.key === key) ||
          ((!key || !current.key) &&
            scoreAgainst(base, record, current.members).score >= ctx.thresholds.match);
      if (stays) {
        target = current;
        method = pin
          ? "manual"
          : key !== null && current.key === key
            ? "exact"
            : (previous?.linkMethod ?? "new");
      }
    }
    if (!target) {
      const candidateIds = new Set<string>();
      for (const k of keys) for (const id of index.get(k) ?? []) candidateIds.add(id);
      const candidates = [...candidateIds].map((id) => active(id)).filter((g): g is Golden => !!g);
      const byKey = key ? (candidates.find((g) => g.key === key) ?? null) : null;
      const manual = active(matched.get(record.recordId));
      const decision = decide(
        base,
        record,
        candidates,
        byKey,
        { matched: manual?.id ?? null, distinct: distinct.get(record.recordId) ?? new Set() },
        ctx.thresholds,
      );
      if (decision.kind === "new") {
        target = {
          id: newId(now.getTime()),
          key: null,
          members: [],
          fields: {},
          version: 0,
          status: "active",
          mergedInto: null,
          createdAt: at,
          updatedAt: at,
          storedReason: "",
          isNew: true,
          touched: true,
          reason: "",
        };
        goldens.set(target.id, target);
        counts.newEntities++;
        if (decision.review) {
          reviews.push({ id: newId(now.getTime()), recordId: record.recordId, ...decision.review });
          counts.toReview++;
        }
      } else {
        target = goldens.get(decision.goldenId)!;
        method = decision.kind;
        if (decision.kind === "fuzzy") score = decision.score;
        if (decision.kind === "exact") counts.linkedExact++;
        else counts.linkedFuzzy++;
      }
    } else if (method === "exact") counts.linkedExact++;
    else if (method !== "new") counts.linkedFuzzy++;

    if (current && current !== target) touch(current, `${source.code} left`);
    target.members.push(member);
    if (key && !target.key) target.key = key;
    touch(target, previous ? `${source.code} changed` : `${source.code} joined`);
    indexKeys(target.id, keys);
    if (previous) counts.changed++;
    else counts.inserted++;
    recordRows.push({
      record_id: record.recordId,
      raw: rawDiff(record.raw, record.values),
      values: record.values,
      invalid: record.invalid,
      hash: record.hash,
      golden_id: target.id,
      link_method: method,
      link_score: score,
    });
  }

  for (const r of leaving) {
    const golden = r.goldenId ? goldens.get(r.goldenId) : undefined;
    if (golden) removeMember(golden, r.recordId, "left");
    counts.deleted++;
  }

  // Fuse what changed; a golden record left without members is retired.
  const goldenRows: Record<string, unknown>[] = [];
  const history: Record<string, unknown>[] = [];
  for (const golden of goldens.values()) {
    if (!golden.touched) continue;
    const fields = fuseFields(golden.members, ctx.authority);
    const status = golden.members.length === 0 ? "retired" : "active";
    const changed = golden.isNew || !sameFields(fields, golden.fields) || status !== golden.status;
    golden.key = goldenKey(base, golden);
    if (changed) {
      // The version being replaced goes to the history; the golden record holds the current one.
      // Only the fields this change replaces: the history of a field is in its row's versions.
      if (!golden.isNew)
        history.push({
          golden_id: golden.id,
          version: golden.version,
          fields: replacedFields(golden.fields, fields),
          reason: golden.storedReason,
          at: golden.updatedAt,
        });
      golden.version++;
    }
    goldenRows.push({
      id: golden.id,
      key: status === "active" ? golden.key : null,
      fields: compactFields(fields, golden.members),
      members: golden.members,
      version: golden.version,
      status,
      reason: changed ? golden.reason : golden.storedReason,
    });
  }

  if (recordRows.length > 0)
    await rawQuery(
      tx,
      `insert into datahub.master_records
         (source_code, record_id, base, raw, values, invalid, hash, golden_id, link_method, link_score, load_id, updated_at)
       select $1, r.record_id, $2, r.raw, r.values, r.invalid, r.hash, r.golden_id, r.link_method, r.link_score,
              coalesce($3::uuid, '00000000-0000-0000-0000-000000000000'), $4
         from jsonb_to_recordset($5::jsonb) as r(record_id text, raw jsonb, values jsonb, invalid jsonb, hash text,
              golden_id uuid, link_method text, link_score real)
       on conflict (source_code, record_id) do update set raw = excluded.raw, values = excluded.values,
         invalid = excluded.invalid, hash = excluded.hash, golden_id = excluded.golden_id,
         link_method = excluded.link_method, link_score = excluded.link_score,
         load_id = case when $3::uuid is null then datahub.master_records.load_id else excluded.load_id end,
         updated_at = excluded.updated_at, deleted_at = null`,
      [source.code, base, loadId, now, JSON.stringify(recordRows)],
    );
  if (unchanged.length > 0)
    await rawQuery(
      tx,
      `update datahub.master_records set load_id = coalesce($1::uuid, load_id)
        where source_code = $2 and record_id = any($3::text[])`,
      [loadId, source.code, unchanged],
    );
  if (leaving.length > 0)
    await rawQuery(
      tx,
      `update datahub.master_records set deleted_at = $1, golden_id = null, load_id = coalesce($2::uuid, load_id)
        where source_code = $3 and record_id = any($4::text[])`,
      [now, loadId, source.code, leaving.map((r) => r.recordId)],
    );
  if (goldenRows.length > 0)
    await rawQuery(
      tx,
      `insert into datahub.master_golden (id, base, key, fields, members, version, status, reason, created_at, updated_at)
       select g.id, $1, g.key, g.fields, g.members, g.version, g.status, g.reason, $2, $2
         from jsonb_to_recordset($3::jsonb) as g(id uuid, key text, fields jsonb, members jsonb, version int, status text,
              reason text)
       on conflict (id) do update set key = excluded.key, fields = excluded.fields, members = excluded.members,
         reason = excluded.reason,
         version = excluded.version, status = excluded.status, updated_at = excluded.updated_at`,
      [base, now, JSON.stringify(goldenRows)],
    );
  if (history.length > 0)
    await rawQuery(
      tx,
      `insert into datahub.master_golden_history (golden_id, version, fields, reason, at)
       select h.golden_id, h.version, h.fields, h.reason, h.at
         from jsonb_to_recordset($1::jsonb) as h(golden_id uuid, version int, fields jsonb, reason text, at timestamptz)
       on conflict do nothing`,
      [JSON.stringify(history)],
    );
  if (newKeys.length > 0)
    await rawQuery(
      tx,
      `insert into datahub.master_block_keys (base, key, golden_id)
       select $1, k.key, k.golden_id from jsonb_to_recordset($2::jsonb) as k(key text, golden_id uuid)
       on conflict do nothing`,
      [base, JSON.stringify(newKeys.map((k) => ({ key: k.key, golden_id: k.goldenId })))],
    );
  if (reviews.length > 0)
    await rawQuery(
      tx,
      `insert into datahub.master_reviews
         (id, base, source_code, record_id, candidate_id, score, features, status, created_at)
       select r.id, $1, $2, r.record_id, r.candidate_id, r.score, r.features, 'pending', $3
         from jsonb_to_recordset($4::jsonb) as r(id uuid, record_id text, candidate_id uuid, score real, features jsonb)
       on conflict (source_code, record_id, candidate_id) do nothing`,
      [
        base,
        source.code,
        now,
        JSON.stringify(
          reviews.map((r) => ({
            id: r.id,
            record_id: r.recordId,
            candidate_id: r.candidateId,
            score: r.score,
            features: r.features,
          })),
        ),
      ],
    );
  return { counts, problems };
}

/**
 * The raw values standardisation changed (e.g. a date as the department wrote it): what is stored of
 * the raw record, the rest being equal to the standardised values.
 */
export function rawDiff(
  raw: Record<string, unknown>,
  values: Record<string, string | number | null>,
): Record<string, unknown> {
  const diff: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(raw)) if (values[field] !== value) diff[field] = value;
  return diff;
}

/** A golden record's key: the valid identifier its members hold, the one it had while it still does. */
function goldenKey(base: MasterBase, golden: Golden): string | null {
  const keys = golden.members.map((m) => validKey(base, m)).filter((k): k is string => k !== null);
  if (golden.key && keys.includes(golden.key)) return golden.key;
  return keys[0] ?? null;
}
