import { type Db, rawQuery } from "../../../kernel/db/db";
import { queryWords } from "../../../kernel/text/search";
import { LIFE_EVENTS, type LifeEvent } from "./item";

/** What the list shows of a published item, and what it is searched and filtered by. */
export interface PublishedEntry {
  id: string;
  code: string;
  basicCode: string;
  name: string;
  itemType: string;
  department: { code: string; name: string };
  lifeEvents: string[];
  applicantTypes: string[];
  promisedDays: number;
  statutoryDays: number;
  visits: number;
  fullyOnline: boolean;
  handlingForm: string;
  feeFen: number;
  version: number;
  searchText: string;
}

export interface CatalogQuery {
  q?: string | undefined;
  lifeEvent?: string | undefined;
  department?: string | undefined;
  applicantType?: "person" | "legal" | undefined;
  itemType?: string | undefined;
  page: number;
  pageSize: number;
}

/**
 * The published list held in memory: a district publishes a few thousand items and changes them a few
 * times a day, while citizens search it all day long. The list is read once and dropped whenever an
 * item is published or withdrawn: in this process after the commit, in others on the event.
 */
export class PublishedCatalog {
  private entries: Promise<PublishedEntry[]> | null = null;

  constructor(private readonly db: Db) {}

  forget(): void {
    this.entries = null;
  }

  private load(): Promise<PublishedEntry[]> {
    if (this.entries) return this.entries;
    const loading = rawQuery<PublishedEntry>(
      this.db,
      `select i.id, i.code, v.spec->>'basicCode' as "basicCode", v.name, v.item_type as "itemType",
              json_build_object('code', d.code, 'name', d.name) as department, v.life_events as "lifeEvents",
              v.applicant_types as "applicantTypes", v.promised_days as "promisedDays",
              v.statutory_days as "statutoryDays", (v.spec->>'visits')::int as visits,
              (v.spec->>'fullyOnline')::boolean as "fullyOnline", v.spec->>'handlingForm' as "handlingForm",
              (v.spec->'fee'->>'amountFen')::int as "feeFen", v.version, v.search_text as "searchText"
         from services.items i join services.item_versions v on v.item_id = i.id and v.version = i.published_version
         join identity.departments d on d.id = i.department_id
        order by v.name, i.code`,
      [],
    );
    this.entries = loading;
    // A failed read is not kept: the next search reads again.
    loading.catch(() => {
      if (this.entries === loading) this.entries = null;
    });
    return loading;
  }

  /** A page of the list matching the query, with facets counted before the facet filters. */
  async search(query: CatalogQuery) {
    const all = await this.load();
    const words = query.q ? queryWords(query.q).map((w) => w.toLowerCase()) : [];
    const base = all.filter(
      (e) =>
        (!query.applicantType || e.applicantTypes.includes(query.applicantType)) &&
        words.every((w) => e.searchText.includes(w)),
    );
    const hits = base.filter(
      (e) =>
        (!query.lifeEvent || e.lifeEvents.includes(query.lifeEvent)) &&
        (!query.department || e.department.code === query.department) &&
        (!query.itemType || e.itemType === query.itemType),
    );
    const count = <K>(keys: (e: PublishedEntry) => K[]) => {
      const counts = new Map<K, number>();
      for (const e of base) for (const k of keys(e)) counts.set(k, (counts.get(k) ?? 0) + 1);
      return [...counts].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
    };
    const departmentNames = new Map(base.map((e) => [e.department.code, e.department.name]));
    const start = (query.page - 1) * query.pageSize;
    return {
      total: hits.length,
      items: hits.slice(start, start + query.pageSize).map(({ searchText: _s, ...e }) => e),
      facets: {
        lifeEvents: count((e) => e.lifeEvents).map(([key, n]) => ({
          key,
          name: LIFE_EVENTS[key as LifeEvent] ?? key,
          count: n,
        })),
        departments: count((e) => [e.department.code]).map(([code, n]) => ({
          code,
          name: departmentNames.get(code) ?? code,
          count: n,
        })),
        itemTypes: count((e) => [e.itemType]).map(([name, n]) => ({ name, count: n })),
      },
    };
  }
}
