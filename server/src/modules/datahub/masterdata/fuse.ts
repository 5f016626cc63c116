import type { GoldenField, GoldenMember, StoredField } from "./schema";

/**
 * A golden record's fields from its members (survivorship). For each field: among the members that
 * hold a valid value, the authoritative department's (数源责任清单) wins; without one, the most recent
 * value. A value kept although invalid is chosen only when no member has a valid one, and says so.
 */
export function fuseFields(
  members: readonly GoldenMember[],
  /** field → the department responsible for it */
  authority: ReadonlyMap<string, string>,
): Record<string, GoldenField> {
  const fields: Record<string, GoldenField> = {};
  const names = new Set<string>();
  for (const m of members) for (const f of Object.keys(m.values)) names.add(f);
  for (const field of names) {
    let chosen: { member: GoldenMember; rank: number } | null = null;
    let holders = 0;
    const responsible = authority.get(field);
    for (const member of members) {
      const value = member.values[field];
      if (value === null || value === undefined || value === "") continue;
      holders++;
      // Rank: valid beats invalid, then the authority beats the rest, then the newer beats the older.
      const rank = (member.invalid[field] ? 0 : 2) + (member.departmentId === responsible ? 1 : 0);
      if (
        !chosen ||
        rank > chosen.rank ||
        (rank === chosen.rank && member.at > chosen.member.at) ||
        (rank === chosen.rank && member.at === chosen.member.at && member.source < chosen.member.source)
      )
        chosen = { member, rank };
    }
    if (!chosen) continue;
    const { member, rank } = chosen;
    fields[field] = {
      value: member.values[field] ?? null,
      source: member.source,
      recordId: member.recordId,
      departmentId: member.departmentId,
      at: member.at,
      rule: holders === 1 ? "only" : rank % 2 === 1 ? "authority" : "recency",
      ...(member.invalid[field] ? { invalid: member.invalid[field] } : {}),
    };
  }
  return fields;
}

/** Fields as stored: the value, the index of the member it came from, and the rule. */
export function compactFields(
  fields: Record<string, GoldenField>,
  members: readonly GoldenMember[],
): Record<string, StoredField> {
  const index = new Map(members.map((m, i) => [`${m.source}\u0000${m.recordId}`, i]));
  const stored: Record<string, StoredField> = {};
  for (const [name, f] of Object.entries(fields)) {
    stored[name] = {
      v: f.value,
      m: index.get(`${f.source}\u0000${f.recordId}`) ?? -1,
      r: f.rule,
      ...(f.invalid ? { x: f.invalid } : {}),
    };
  }
  return stored;
}

/** Fields as stored, with their provenance from the members again. */
export function expandFields(
  stored: Record<string, StoredField>,
  members: readonly GoldenMember[],
): Record<string, GoldenField> {
  const fields: Record<string, GoldenField> = {};
  for (const [name, f] of Object.entries(stored)) {
    const m = members[f.m];
    fields[name] = {
      value: f.v,
      source: m?.source ?? "",
      recordId: m?.recordId ?? "",
      departmentId: m?.departmentId ?? "",
      at: m?.at ?? "",
      rule: f.r,
      ...(f.x ? { invalid: f.x } : {}),
    };
  }
  return fields;
}

/** Whether two versions of a golden record's fields say the same. */
export function sameFields(a: Record<string, GoldenField>, b: Record<string, GoldenField>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) {
    const x = a[k]!;
    const y = b[k];
    if (!y || x.value !== y.value || x.source !== y.source || x.recordId !== y.recordId || x.rule !== y.rule)
      return false;
  }
  return true;
}

/**
 * The fields of `before` that `after` replaces or drops: what a history row keeps of the version it
 * replaces (the unchanged fields live on in the newer versions).
 */
export function replacedFields(
  before: Record<string, GoldenField>,
  after: Record<string, GoldenField>,
): Record<string, GoldenField | null> {
  const replaced: Record<string, GoldenField | null> = {};
  for (const [name, field] of Object.entries(before)) {
    const now = after[name];
    if (!now || now.value !== field.value || now.source !== field.source || now.recordId !== field.recordId)
      replaced[name] = field;
  }
  // A field the older version did not have yet: null, so a reader knows it appeared with the change.
  for (const name of Object.keys(after)) if (!(name in before)) replaced[name] = null;
  return replaced;
}
