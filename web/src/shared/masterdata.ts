/**
 * The master-data API (主数据, server/src/modules/datahub/masterdata) as the web app uses it: the
 * departments' sources feeding the population (人口库) and legal-person (法人库) bases, their loads, the
 * review queue of uncertain matches, the quality scorecard, and the registries' golden records with
 * their provenance. Field lists mirror standardise/fields.ts: the web app cannot import server code, so
 * keep the two in step.
 */
import { api, request } from "./api";
import type { Base } from "./datahub";

export type { Base } from "./datahub";

const enc = encodeURIComponent;

/** Roles that manage sources, load them, decide reviews and read provenance (the server's officers). */
export const MASTER_OFFICER_ROLES: readonly string[] = ["dataofficer", "databureau", "admin"];

/** Fields of a population (人口库) record, in display order. */
export const PERSON_FIELDS = [
  "name",
  "idNumber",
  "gender",
  "birthDate",
  "phone",
  "address",
  "householdAddress",
  "ethnicity",
  "maritalStatus",
  "education",
  "employer",
] as const;

/** Fields of a legal-person (法人库) record, in display order. */
export const LEGAL_PERSON_FIELDS = [
  "name",
  "uscc",
  "legalRepresentative",
  "registeredCapital",
  "establishedDate",
  "address",
  "industry",
  "status",
  "phone",
] as const;

export type PersonField = (typeof PERSON_FIELDS)[number];
export type LegalPersonField = (typeof LEGAL_PERSON_FIELDS)[number];

export function fieldsOf(base: Base): readonly string[] {
  return base === "population" ? PERSON_FIELDS : LEGAL_PERSON_FIELDS;
}

/** The identifier of each base: citizen ID number, unified social credit code (USCC). */
export const KEY_FIELD: Record<Base, "idNumber" | "uscc"> = { population: "idNumber", legalPerson: "uscc" };

// ─── sources ─────────────────────────────────────────────────────────────────────────────────

export interface Source {
  code: string;
  name: string;
  departmentId: string;
  departmentName: string;
  base: Base;
  /** source column → base field */
  mapping: Record<string, string>;
  keyColumn: string;
  pullUrl: string | null;
  pullEveryMinutes: number | null;
  updateCycleDays: number;
  createdAt: string;
  modifiedAt: string;
  lastLoadAt: string | null;
  records: number;
  /** In the list: whether the caller may change and load it (its department's data officer, the bureau). */
  mayLoad?: boolean;
}

export interface SourceInput {
  code: string;
  name: string;
  /** The providing department's id; the data bureau only (others register for their own). */
  department?: string;
  base: Base;
  mapping: Record<string, string>;
  keyColumn: string;
  pullUrl?: string | null;
  pullEveryMinutes?: number | null;
  updateCycleDays?: number;
}

/** A source code: lowercase letters, digits and hyphens, 2–64 characters. */
export const SOURCE_CODE = /^[a-z0-9][a-z0-9-]{1,63}$/;

export const listSources = (base: Base | undefined, signal?: AbortSignal) =>
  api.get<Source[]>("/api/datahub/master/sources", base ? { base } : undefined, signal);

export const getSource = (code: string, signal?: AbortSignal) =>
  api.get<Source>(`/api/datahub/master/sources/${enc(code)}`, undefined, signal);

/** Registers a source (201) or changes its name, mapping and schedule (200); its base stays. */
export const defineSource = (input: SourceInput) => api.post<Source>("/api/datahub/master/sources", input);

// ─── loads ───────────────────────────────────────────────────────────────────────────────────

export type LoadStatus = "running" | "completed" | "failed";
export type LoadMode = "full" | "delta";

export interface LoadProblem {
  line: number;
  reason: string;
  column?: string;
}

/** The counts of a load's report, in the order they are shown. */
export const LOAD_COUNTS = [
  "rowsRead",
  "rowsRejected",
  "inserted",
  "changed",
  "unchanged",
  "deleted",
  "linkedExact",
  "linkedFuzzy",
  "newEntities",
  "toReview",
  "invalidValues",
] as const;
export type LoadCount = (typeof LOAD_COUNTS)[number];

/** A load with its progress (running) or its report. */
export type Load = Record<LoadCount, number> & {
  id: string;
  source: string;
  /** absent from the import's own answer */
  sourceName?: string;
  status: LoadStatus;
  mode: LoadMode;
  format: "csv" | "ndjson" | "json";
  encoding: string | null;
  bytesRead: number;
  bytesTotal: number | null;
  /** The first 20 in a list of loads, up to 1000 in one load. */
  problems: LoadProblem[];
  error: string | null;
  startedByName?: string | null;
  startedAt: string;
  finishedAt: string | null;
};

export interface Paged<T> {
  total: number;
  items: T[];
}

export const listLoads = (
  query: { source?: string; page?: number; pageSize?: number },
  signal?: AbortSignal,
) => api.get<Paged<Load>>("/api/datahub/master/loads", query, signal);

export const getLoad = (id: string, signal?: AbortSignal) =>
  api.get<Load>(`/api/datahub/master/loads/${enc(id)}`, undefined, signal);

/** The dataset type of a file by its extension, or null when the server cannot read it. */
export function datasetType(fileName: string): string | null {
  const ext = fileName.toLowerCase().split(".").pop() ?? "";
  if (ext === "csv") return "text/csv";
  if (ext === "ndjson" || ext === "jsonl") return "application/x-ndjson";
  if (ext === "json") return "application/json";
  return null;
}

/**
 * Loads a file into a source; answers with the load report when done. A whole file refused is a 422
 * whose problem carries the report as `load`. The upload's progress is the running load's (listLoads).
 */
export const importDataset = (source: string, file: Blob, contentType: string, mode: LoadMode) =>
  request<Load>("POST", "/api/datahub/master/imports", {
    query: { source, mode },
    body: file,
    contentType,
  });

// ─── reviews ─────────────────────────────────────────────────────────────────────────────────

export const REVIEW_STATUSES = ["pending", "match", "distinct", "void"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export type Decision = "match" | "distinct";

export interface Review {
  id: string;
  base: Base;
  sourceCode: string;
  sourceName: string;
  recordId: string;
  candidateId: string;
  /** weighted similarity, 0..1 */
  score: number;
  /** field → similarity of the compared fields, 0..1 */
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

export type FieldValue = string | number | null;

/** A pair side by side: the source record's values and the candidate golden record's, field by field. */
export interface ReviewDetail extends Review {
  record: {
    values: Record<string, FieldValue>;
    invalid: Record<string, string>;
    goldenId: string | null;
  } | null;
  candidate: { id: string; status: string; sources: number; fields: Record<string, FieldValue> } | null;
  fields: { field: string; title: string; similarity: number | null }[];
}

export const listReviews = (
  query: { base?: Base; status: ReviewStatus; page?: number; pageSize?: number },
  signal?: AbortSignal,
) => api.get<Paged<Review>>("/api/datahub/master/reviews", query, signal);

export const getReview = (id: string, signal?: AbortSignal) =>
  api.get<ReviewDetail>(`/api/datahub/master/reviews/${enc(id)}`, undefined, signal);

export const decideReview = (id: string, decision: Decision) =>
  api.post<Review>(`/api/datahub/master/reviews/${enc(id)}/decision`, { decision });

export const undoReview = (id: string) => api.post<Review>(`/api/datahub/master/reviews/${enc(id)}/undo`);

// ─── quality ─────────────────────────────────────────────────────────────────────────────────

export const QUALITY_RULES = ["completeness", "validity", "uniqueness", "consistency", "timeliness"] as const;
export type QualityRule = (typeof QUALITY_RULES)[number];
/** The rules counted per field (timeliness is the source's). */
export const FIELD_RULES = ["completeness", "validity", "uniqueness", "consistency"] as const;
export type FieldRule = (typeof FIELD_RULES)[number];

/** Shares 0..1 of the records passing each rule; a rule that did not apply is absent. */
export type Scores = Partial<Record<QualityRule, number>> & { overall: number | null };

export interface QualityBoard {
  sources: {
    code: string;
    name: string;
    base: Base;
    departmentId: string;
    departmentName: string;
    records: number;
    lastLoadAt: string | null;
    scores: Scores;
    fields: { field: string; title: string; scores: Scores }[];
  }[];
  departments: { departmentId: string; departmentName: string; sources: number; scores: Scores }[];
  fields: { base: Base; field: string; title: string; scores: Scores }[];
}

export interface Failure {
  recordId: string;
  value: FieldValue;
  /** missing | repeated | differs | format | checksum | range | unknown */
  reason: string;
  goldenId: string | null;
  goldenValue: FieldValue;
}

export const getQuality = (base: Base | undefined, signal?: AbortSignal) =>
  api.get<QualityBoard>("/api/datahub/master/quality", base ? { base } : undefined, signal);

export const listFailures = (
  query: { source: string; field: string; rule: FieldRule; page?: number; pageSize?: number },
  signal?: AbortSignal,
) => api.get<Paged<Failure>>("/api/datahub/master/quality/failures", query, signal);

// ─── registries (golden records) ─────────────────────────────────────────────────────────────

/** Why a value was chosen: the field's authoritative department, the newest value, the only one. */
export type ChoiceRule = "authority" | "recency" | "only";

export interface GoldenFieldView {
  value: FieldValue;
  title: string;
  source: string;
  sourceName: string;
  departmentId: string;
  departmentName: string;
  at: string;
  rule: ChoiceRule;
  /** Shown masked: only the field's authoritative department and the data bureau see it in clear. */
  masked: boolean;
}

export interface GoldenRecord {
  id: string;
  base: Base;
  version: number;
  status: string;
  updatedAt: string;
  /** how many source records make it up */
  sources: number;
  fields: Record<string, GoldenFieldView>;
}

export interface Explanation extends GoldenRecord {
  explanation: {
    field: string;
    title: string;
    /** the responsible department's name (数源责任清单), if any */
    authority: string | null;
    chosen: { source: string; rule: ChoiceRule } | null;
    candidates: {
      source: string;
      sourceName: string;
      recordId: string;
      departmentName: string;
      value: FieldValue;
      invalid: string | null;
      at: string;
    }[];
  }[];
  /**
   * Newest first, the current version included; `changes` holds every field's value at that version
   * (masked as above), `replacedNext` the fields the next version changed.
   */
  history: {
    version: number;
    reason: string;
    at: string;
    changes: Record<string, FieldValue>;
    replacedNext?: string[];
  }[];
}

export const searchRecords = (
  base: Base,
  query: { q: string; page?: number; pageSize?: number },
  signal?: AbortSignal,
) => api.get<Paged<GoldenRecord>>(`/api/datahub/registries/${enc(base)}/records`, query, signal);

/** A golden record by id or identifier; a merged one leads to the record it joined. */
export const readRecord = (base: Base, id: string, signal?: AbortSignal) =>
  api.get<GoldenRecord>(`/api/datahub/registries/${enc(base)}/records/${enc(id)}`, undefined, signal);

export const explainRecord = (base: Base, id: string, signal?: AbortSignal) =>
  api.get<Explanation>(
    `/api/datahub/registries/${enc(base)}/records/${enc(id)}/explanation`,
    undefined,
    signal,
  );
