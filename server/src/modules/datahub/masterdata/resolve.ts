import type { GoldenMember } from "./schema";
import type { MasterBase } from "./standardise/fields";
import {
  addressSimilarity,
  dateSimilarity,
  idNumberSimilarity,
  jaroWinkler,
  namePinyin,
  nameSimilarity,
  phoneSimilarity,
} from "./standardise/similarity";

/**
 * Entity resolution: which golden record a standardised source record belongs to.
 *
 * 1. A valid identifier (citizen ID number, USCC) links exactly: one identifier, one golden record.
 * 2. Otherwise (no identifier, or a mistyped one that fails its checksum), candidates come from
 *    blocking keys (phone, birth date, the sound of the name, and the birth date inside a mistyped ID)
 *    and are scored by a weighted similarity of the fields both sides have (see WEIGHTS). At or above
 *    the match threshold the record joins the best candidate; from the review threshold it starts its
 *    own golden record and the pair goes to a data officer's review queue; below, it starts its own.
 * 3. A record with a valid identifier never joins a golden record that holds another valid one, and a
 *    data officer's decision (match or distinct) on a pair always stands.
 * The method, weights and thresholds are documented in docs/master-data.md.
 */

export interface Thresholds {
  match: number;
  review: number;
}

/** The identifier field of each base. */
export const KEY_FIELD: Record<MasterBase, "idNumber" | "uscc"> = {
  population: "idNumber",
  legalPerson: "uscc",
};

type Values = Record<string, string | number | null>;

/** Relative weights of the compared fields; fields missing on either side are left out of the sum. */
export const WEIGHTS: Record<MasterBase, Record<string, number>> = {
  population: { name: 0.3, birthDate: 0.25, idNumber: 0.25, phone: 0.1, address: 0.1 },
  legalPerson: { name: 0.45, uscc: 0.25, legalRepresentative: 0.15, address: 0.1, phone: 0.05 },
};

/** With fewer compared fields than this, a score is capped below the match threshold. */
const MIN_COMPARED = 2;

const text = (v: string | number | null | undefined): string | null =>
  v === null || v === undefined || v === "" ? null : String(v);

/** What a record contributes to matching: its valid key and its comparable values. */
export interface MatchRecord {
  values: Values;
  invalid: Record<string, string>;
}

export function validKey(base: MasterBase, record: MatchRecord): string | null {
  const field = KEY_FIELD[base];
  const value = text(record.values[field]);
  return value && !record.invalid[field] ? value : null;
}

const pinyinCache = new Map<string, string>();
function pinyinOf(name: string): string {
  let p = pinyinCache.get(name);
  if (p === undefined) {
    p = namePinyin(name);
    if (pinyinCache.size > 200_000) pinyinCache.clear();
    pinyinCache.set(name, p);
  }
  return p;
}

/** An enterprise name without its legal form and region, the part that tells enterprises apart. */
export function enterpriseCore(name: string): string {
  return name
    .replace(/[（(][^）)]*[）)]/g, "")
    .replace(/^(广东省)?(广州市)?/, "")
    .replace(
      /(股份有限公司|有限责任公司|有限公司|合伙企业（[^）]*）|合伙企业|个人独资企业|专业合作社|分公司|店|厂|部)$/,
      "",
    );
}

/** The birth date inside a citizen ID number (valid or mistyped), when it reads as a date. */
function birthInId(id: string | null): string | null {
  if (!id || id.length !== 18) return null;
  const d = id.slice(6, 14);
  if (!/^(19|20)\d{6}$/.test(d)) return null;
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
}

/** Blocking keys of a record: the buckets where its matches are looked for. */
export function blockKeys(base: MasterBase, record: MatchRecord): string[] {
  const v = record.values;
  const keys = new Set<string>();
  const key = validKey(base, record);
  if (key) keys.add(`id:${key}`);
  const phone = text(v.phone);
  if (phone && !record.invalid.phone) keys.add(`ph:${phone}`);
  const name = text(v.name);
  if (base === "population") {
    if (name) keys.add(`nm:${pinyinOf(name)}`);
    const birth = text(v.birthDate);
    if (birth && !record.invalid.birthDate) keys.add(`bd:${birth}`);
    const idBirth = birthInId(text(v.idNumber));
    if (idBirth) keys.add(`bd:${idBirth}`);
  } else {
    if (name) keys.add(`nm:${enterpriseCore(name)}`);
    const rep = text(v.legalRepresentative);
    const address = text(v.address);
    if (rep && address) keys.add(`ra:${pinyinOf(rep)}:${address.slice(0, 8)}`);
  }
  return [...keys];
}

function best<T>(values: T[], score: (v: T) => number): number {
  let top = 0;
  for (const v of values) {
    const s = score(v);
    if (s > top) top = s;
    if (top === 1) break;
  }
  return top;
}

/** The distinct non-null values a golden record's members hold for a field. */
function memberValues(members: readonly GoldenMember[], field: string): string[] {
  const seen = new Set<string>();
  for (const m of members) {
    const v = text(m.values[field]);
    if (v) seen.add(v);
  }
  return [...seen];
}

function fieldSimilarity(base: MasterBase, field: string, a: string, b: string): number {
  switch (field) {
    case "name":
      if (base === "legalPerson") {
        if (a === b) return 1;
        const ca = enterpriseCore(a);
        const cb = enterpriseCore(b);
        return ca === cb ? 0.95 : jaroWinkler(ca, cb) * 0.9;
      }
      return nameSimilarity(a, b, pinyinOf(a), pinyinOf(b));
    case "legalRepresentative":
      return nameSimilarity(a, b, pinyinOf(a), pinyinOf(b));
    case "birthDate":
      return dateSimilarity(a, b);
    case "idNumber":
    case "uscc":
      return a === b ? 1 : idNumberSimilarity(a, b);
    case "phone":
      return phoneSimilarity(a, b);
    case "address":
      return addressSimilarity(a, b);
    default:
      return a === b ? 1 : 0;
  }
}

export interface Scored {
  score: number;
  features: Record<string, number>;
}

/** How alike a record is to a golden record's members: the weighted similarity of the fields both have. */
export function scoreAgainst(
  base: MasterBase,
  record: MatchRecord,
  members: readonly GoldenMember[],
): Scored {
  const weights = WEIGHTS[base];
  const features: Record<string, number> = {};
  let sum = 0;
  let weight = 0;
  let compared = 0;
  for (const [field, w] of Object.entries(weights)) {
    const mine = text(record.values[field]);
    if (!mine) continue;
    let theirs = memberValues(members, field);
    // A person's address may stand in either address field of another source.
    if (field === "address" && base === "population")
      theirs = [...theirs, ...memberValues(members, "householdAddress")];
    if (theirs.length === 0) continue;
    const s = best(theirs, (t) => fieldSimilarity(base, field, mine, t));
    features[field] = Math.round(s * 1000) / 1000;
    sum += s * w;
    weight += w;
    compared++;
  }
  if (weight === 0 || features.name === undefined) return { score: 0, features };
  let score = sum / weight;
  // Different genders are different people, whatever else agrees.
  if (base === "population") {
    const gender = text(record.values.gender);
    const theirs = memberValues(members, "gender");
    if (gender && theirs.length > 0 && !theirs.includes(gender)) {
      score *= 0.6;
      features.gender = 0;
    }
  }
  if (compared < MIN_COMPARED) score = Math.min(score, 0.8);
  return { score: Math.round(score * 1000) / 1000, features };
}

/** A golden record as the resolver sees it. */
export interface Candidate {
  id: string;
  key: string | null;
  members: GoldenMember[];
}

export type Decision =
  | { kind: "exact"; goldenId: string }
  | { kind: "manual"; goldenId: string }
  | { kind: "fuzzy"; goldenId: string; score: number }
  | { kind: "new"; review: { candidateId: string; score: number; features: Record<string, number> } | null };

/**
 * Decides where a record goes, given the candidates found by its blocking keys (already loaded), the
 * golden record holding its valid key (if any), and the data officers' decisions on its pairs.
 */
export function decide(
  base: MasterBase,
  record: MatchRecord,
  candidates: readonly Candidate[],
  byKey: Candidate | null,
  decisions: { matched: string | null; distinct: ReadonlySet<string> },
  thresholds: Thresholds,
): Decision {
  if (decisions.matched) return { kind: "manual", goldenId: decisions.matched };
  if (byKey) return { kind: "exact", goldenId: byKey.id };
  const key = validKey(base, record);
  let top: { candidate: Candidate; scored: Scored } | null = null;
  for (const candidate of candidates) {
    if (decisions.distinct.has(candidate.id)) continue;
    // Two different valid identifiers are two different people or enterprises.
    if (key && candidate.key && candidate.key !== key) continue;
    const scored = scoreAgainst(base, record, candidate.members);
    if (!top || scored.score > top.scored.score) top = { candidate, scored };
  }
  if (top && top.scored.score >= thresholds.match)
    return { kind: "fuzzy", goldenId: top.candidate.id, score: top.scored.score };
  if (top && top.scored.score >= thresholds.review)
    return {
      kind: "new",
      review: { candidateId: top.candidate.id, score: top.scored.score, features: top.scored.features },
    };
  return { kind: "new", review: null };
}
