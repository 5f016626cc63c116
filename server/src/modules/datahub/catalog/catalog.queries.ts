import type { Db } from "../../../kernel/db/db";
import { isoTimestampSql, rawQuery } from "../../../kernel/db/db";
import type { DataItem, Grade, OpenType, SharingMethod, SharingType, UpdateCycle } from "./catalog.types";

const ts = isoTimestampSql;

export interface ResourceRow {
  id: string;
  code: string;
  categoryCode: string;
  name: string;
  summary: string;
  providerDepartmentId: string;
  providerDepartmentName: string;
  providerDepartmentCode: string;
  providerDepartmentPath: string;
  format: string;
  sharingType: SharingType;
  sharingCondition: string | null;
  sharingBasis: string | null;
  sharingMethod: SharingMethod;
  openType: OpenType;
  updateCycle: UpdateCycle;
  keyItem: string;
  relatedCodes: string[];
  items: DataItem[];
  grade: Grade;
  status: "published" | "withdrawn";
  version: number;
  publishedOn: string;
  createdAt: string;
  updatedAt: string;
  recordCount: number;
  sharedCount: number;
}

const RESOURCE_COLUMNS = `r.id, r.code, r.category_code as "categoryCode", r.name, r.summary,
  r.provider_department_id as "providerDepartmentId", p.name as "providerDepartmentName",
  p.code as "providerDepartmentCode", p.path as "providerDepartmentPath", r.format,
  r.sharing_type as "sharingType", r.sharing_condition as "sharingCondition", r.sharing_basis as "sharingBasis",
  r.sharing_method as "sharingMethod", r.open_type as "openType", r.update_cycle as "updateCycle",
  r.key_item as "keyItem", r.related_codes as "relatedCodes", r.items, r.grade, r.status, r.version,
  to_char(r.published_on, 'YYYY-MM-DD') as "publishedOn", ${ts("r.created_at")} as "createdAt",
  ${ts("r.updated_at")} as "updatedAt",
  r.record_count as "recordCount",
  coalesce((select sum(u.calls)::int from datahub.usage_daily u where u.resource_id = r.id), 0) as "sharedCount"`;
const RESOURCE_FROM = "datahub.resources r join identity.departments p on p.id = r.provider_department_id";

function parsed(row: ResourceRow): ResourceRow {
  return typeof row.items === "string" ? { ...row, items: JSON.parse(row.items) as DataItem[] } : row;
}

export async function findResourceRow(db: Db, id: string, lock = false): Promise<ResourceRow | null> {
  const [row] = await rawQuery<ResourceRow>(
    db,
    `select ${RESOURCE_COLUMNS} from ${RESOURCE_FROM} where r.id = $1${lock ? " for update of r" : ""}`,
    [id],
  );
  return row ? parsed(row) : null;
}

export async function findResourceRowsByCode(db: Db, codes: string[]): Promise<ResourceRow[]> {
  const rows = await rawQuery<ResourceRow>(
    db,
    `select ${RESOURCE_COLUMNS} from ${RESOURCE_FROM} where r.code = any($1::text[]) order by r.code`,
    [codes],
  );
  return rows.map(parsed);
}

export async function listPublishedResourceRows(db: Db): Promise<ResourceRow[]> {
  const rows = await rawQuery<ResourceRow>(
    db,
    `select ${RESOURCE_COLUMNS} from ${RESOURCE_FROM} where r.status = 'published' order by r.code`,
    [],
  );
  return rows.map(parsed);
}

/** The next sequence number in a category, under a transaction lock on the category. */
export async function nextSeq(db: Db, categoryCode: string): Promise<number> {
  await rawQuery(db, "select pg_advisory_xact_lock(hashtext('datahub.resource-seq:' || $1))", [categoryCode]);
  const [row] = await rawQuery<{ next: number }>(
    db,
    "select coalesce(max(seq), 0)::int + 1 as next from datahub.resources where category_code = $1",
    [categoryCode],
  );
  return row!.next;
}

export const FACETS = [
  ["category", "category_code"],
  ["provider", "provider_department_id"],
  ["sharingType", "sharing_type"],
  ["sharingMethod", "sharing_method"],
  ["openType", "open_type"],
  ["updateCycle", "update_cycle"],
  ["grade", "grade"],
] as const;
export type Facet = (typeof FACETS)[number][0];

export interface CatalogQuery {
  /** Every one of these bigrams must be among a resource's terms. */
  terms: string[];
  /** Every one of these words must occur in the indexed text. */
  words: string[];
  filters: Partial<Record<Facet, string>>;
  /** Only these resources (the near misses of a fuzzy search). */
  ids?: string[];
  limit: number;
  offset: number;
}

export interface ResourceSummaryRow {
  id: string;
  code: string;
  name: string;
  summary: string;
  categoryCode: string;
  providerDepartmentId: string;
  providerDepartmentName: string;
  sharingType: SharingType;
  sharingMethod: SharingMethod;
  openType: OpenType;
  updateCycle: UpdateCycle;
  grade: Grade;
  status: string;
  version: number;
  publishedOn: string;
  updatedAt: string;
  itemCount: number;
  recordCount: number;
  sharedCount: number;
}

/** Conditions of the text query as SQL over `r`, appending their parameters. */
function textConditions(query: CatalogQuery, params: unknown[]): string[] {
  const conditions = ["r.status = 'published'"];
  if (query.terms.length > 0) conditions.push(`r.search_terms @> $${params.push(query.terms)}::text[]`);
  for (const word of query.words) conditions.push(`strpos(r.search_text, $${params.push(word)}) > 0`);
  if (query.ids) conditions.push(`r.id = any($${params.push(query.ids)}::uuid[])`);
  return conditions;
}

function filterConditions(query: CatalogQuery, params: unknown[], except?: Facet, alias = "r"): string[] {
  return FACETS.filter(([facet]) => facet !== except && query.filters[facet] !== undefined).map(
    ([facet, column]) =>
      `${alias}.${column}${facet === "provider" ? "::text" : ""} = $${params.push(query.filters[facet])}`,
  );
}

export interface CatalogPage {
  rows: ResourceSummaryRow[];
  /** Resources matching the text query and the filters. */
  total: number;
  /**
   * Facet counts: for each facet, the matching resources by value under the text query and every
   * other facet's filter (so choosing a value in one facet does not hide the others' alternatives).
   */
  counts: { facet: Facet; value: string; count: number }[];
}

/**
 * One page of the catalog matching the query, best first (resources whose name holds more of the
 * query's words, then by code), its total and its facet counts — in one statement that finds the
 * matches once: the text query's matches are the facets' ground, the filtered ones the page's.
 */
export async function searchResourceRows(db: Db, query: CatalogQuery): Promise<CatalogPage> {
  const params: unknown[] = [];
  const text = textConditions(query, params).join(" and ");
  const rank =
    query.words.length > 0
      ? query.words.map((w) => `(strpos(lower(r.name), $${params.push(w)}) > 0)::int`).join(" + ")
      : "0";
  const filters = filterConditions(query, params, undefined, "m");
  const facets = FACETS.map(([facet, column]) => {
    const others = filterConditions(query, params, facet, "m");
    return `select '${facet}' as facet, m.${column}::text as value, count(*)::int as count
      from matched m${others.length > 0 ? ` where ${others.join(" and ")}` : ""} group by m.${column}`;
  });
  const [result] = await rawQuery<{
    rows: (ResourceSummaryRow & { rank?: number })[];
    total: number;
    counts: CatalogPage["counts"];
  }>(
    db,
    `with matched as materialized (
       select r.id, r.code, ${rank} as rank, ${FACETS.map(([, c]) => `r.${c}`).join(", ")}
       from datahub.resources r where ${text}),
     hits as (select m.id, m.rank, m.code from matched m${filters.length > 0 ? ` where ${filters.join(" and ")}` : ""}),
     page as (select id, rank, code from hits order by rank desc, code limit ${query.limit} offset ${query.offset})
     select
       (select coalesce(json_agg(x order by x.rank desc, x.code), '[]') from (
          select r.id, r.code, r.name, r.summary, r.category_code as "categoryCode",
            r.provider_department_id as "providerDepartmentId", p.name as "providerDepartmentName",
            r.sharing_type as "sharingType", r.sharing_method as "sharingMethod", r.open_type as "openType",
            r.update_cycle as "updateCycle", r.grade, r.status, r.version,
            to_char(r.published_on, 'YYYY-MM-DD') as "publishedOn", ${ts("r.updated_at")} as "updatedAt",
            jsonb_array_length(r.items) as "itemCount", r.record_count as "recordCount",
            coalesce((select sum(u.calls) from datahub.usage_daily u where u.resource_id = r.id), 0)::int as "sharedCount",
            g.rank
          from page g join datahub.resources r on r.id = g.id
            join identity.departments p on p.id = r.provider_department_id) x) as rows,
       (select count(*)::int from hits) as total,
       (select coalesce(json_agg(f), '[]') from (${facets.join(" union all ")}) f) as counts`,
    params,
  );
  const parse = <T>(value: T | string): T => (typeof value === "string" ? (JSON.parse(value) as T) : value);
  return {
    rows: parse(result!.rows).map(({ rank: _rank, ...row }) => row),
    total: result!.total,
    counts: parse(result!.counts),
  };
}

/** Near misses by trigram similarity of the name (pg_trgm), for a query nothing matched exactly. */
export async function similarResourceRows(db: Db, q: string, limit: number): Promise<string[]> {
  const rows = await rawQuery<{ id: string }>(
    db,
    `select r.id from datahub.resources r
     where r.status = 'published' and r.name % $1
     order by similarity(r.name, $1) desc, r.code limit ${limit}`,
    [q],
  );
  return rows.map((r) => r.id);
}
