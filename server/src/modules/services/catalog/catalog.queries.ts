import { type Db, rawQuery } from "../../../kernel/db/db";
import type { ServiceItemSpec } from "./item";

/** A version of an item with its department, as lists and pages show it. */
export interface ItemVersionRow {
  id: string;
  code: string;
  version: number;
  status: string;
  publishedVersion: number | null;
  latestVersion: number;
  departmentId: string;
  departmentCode: string;
  departmentName: string;
  departmentPath: string;
  name: string;
  itemType: string;
  lifeEvents: string[];
  applicantTypes: string[];
  promisedDays: number;
  statutoryDays: number;
  spec: Omit<ServiceItemSpec, "departmentKey">;
  publishedAt: string | null;
}

const COLUMNS = `i.id, i.code, v.version, v.status, i.published_version as "publishedVersion",
  i.latest_version as "latestVersion", i.department_id as "departmentId", d.code as "departmentCode",
  d.name as "departmentName", d.path as "departmentPath", v.name, v.item_type as "itemType",
  v.life_events as "lifeEvents", v.applicant_types as "applicantTypes", v.promised_days as "promisedDays",
  v.statutory_days as "statutoryDays", v.spec, v.published_at as "publishedAt"`;
const FROM = `services.items i join services.item_versions v on v.item_id = i.id
  join identity.departments d on d.id = i.department_id`;

/** A version of an item: the given one, or the published one (null when it has none). */
export async function findItemVersion(
  db: Db,
  itemId: string,
  version?: number | "latest",
): Promise<ItemVersionRow | null> {
  const which =
    version === "latest"
      ? "v.version = i.latest_version"
      : version === undefined
        ? "v.version = i.published_version"
        : "v.version = $2";
  const [row] = await rawQuery<ItemVersionRow>(
    db,
    `select ${COLUMNS} from ${FROM} where i.id = $1 and ${which}`,
    typeof version === "number" ? [itemId, version] : [itemId],
  );
  return row ?? null;
}

export interface ServiceFilter {
  /** Bigrams every match must hold, and the words it must contain (see kernel/text/search). */
  terms: string[];
  words: string[];
  applicantType?: string | undefined;
  lifeEvent?: string | undefined;
  departmentCode?: string | undefined;
  itemType?: string | undefined;
  limit: number;
  offset: number;
}

/**
 * Published items matching the filter, with the facet counts of the query before the facet filters
 * (so choosing a life event still shows how many items the others hold).
 */
export async function searchPublished(db: Db, filter: ServiceFilter) {
  const params: unknown[] = [];
  const base = ["v.status = 'published'"];
  if (filter.terms.length > 0) base.push(`v.search_terms @> $${params.push(filter.terms)}::text[]`);
  for (const word of filter.words)
    base.push(`strpos(v.search_text, $${params.push(word.toLowerCase())}) > 0`);
  if (filter.applicantType) base.push(`$${params.push(filter.applicantType)} = any(v.applicant_types)`);
  const narrow: string[] = [];
  if (filter.lifeEvent) narrow.push(`$${params.push(filter.lifeEvent)} = any("lifeEvents")`);
  if (filter.departmentCode) narrow.push(`"departmentCode" = $${params.push(filter.departmentCode)}`);
  if (filter.itemType) narrow.push(`"itemType" = $${params.push(filter.itemType)}`);
  const limit = params.push(filter.limit);
  const offset = params.push(filter.offset);
  const [result] = await rawQuery<{
    rows: ItemVersionRow[] | null;
    total: number;
    lifeEvents: { key: string; count: number }[] | null;
    departments: { code: string; name: string; count: number }[] | null;
    itemTypes: { name: string; count: number }[] | null;
  }>(
    db,
    `with base as (select ${COLUMNS} from ${FROM} where ${base.join(" and ")}),
       hits as (select * from base ${narrow.length ? `where ${narrow.join(" and ")}` : ""})
     select
       (select coalesce(json_agg(h order by h.name), '[]') from
          (select * from hits order by name, code limit $${limit} offset $${offset}) h) as rows,
       (select count(*)::int from hits) as total,
       (select json_agg(json_build_object('key', e, 'count', n) order by n desc, e) from
          (select unnest("lifeEvents") e, count(*)::int n from base group by 1) x) as "lifeEvents",
       (select json_agg(json_build_object('code', c, 'name', nm, 'count', n) order by n desc, c) from
          (select "departmentCode" c, "departmentName" nm, count(*)::int n from base group by 1, 2) x) as departments,
       (select json_agg(json_build_object('name', t, 'count', n) order by n desc, t) from
          (select "itemType" t, count(*)::int n from base group by 1) x) as "itemTypes"`,
    params,
  );
  return {
    rows: result?.rows ?? [],
    total: result?.total ?? 0,
    lifeEvents: result?.lifeEvents ?? [],
    departments: result?.departments ?? [],
    itemTypes: result?.itemTypes ?? [],
  };
}

/** Every version of an item, newest first. */
export async function listItemVersions(db: Db, itemId: string) {
  return rawQuery<{
    version: number;
    status: string;
    name: string;
    publishedAt: string | null;
    withdrawnAt: string | null;
    createdAt: string;
  }>(
    db,
    `select version, status, name, published_at as "publishedAt", withdrawn_at as "withdrawnAt", created_at as "createdAt"
       from services.item_versions where item_id = $1 order by version desc`,
    [itemId],
  );
}
