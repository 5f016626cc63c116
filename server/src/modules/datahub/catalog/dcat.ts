import type { BlankNode, Literal, NamedNode, Quad, Quad_Object } from "n3";
import { DataFactory, Store, Writer } from "n3";
import {
  type ResourceView,
  SHARING_METHOD_NAMES,
  SHARING_TYPE_NAMES,
  UPDATE_CYCLE_NAMES,
  type UpdateCycle,
} from "./catalog.types";

/**
 * The catalog as DCAT-AP 3 (一网共享 目录 for other platforms): one dcat:Catalog, a dcat:Dataset per
 * published resource, a dcat:Distribution per shared one and the exchange gateway as a dcat:DataService.
 * Every node has an IRI (no blank nodes), so the Turtle and the JSON-LD compare triple by triple.
 * Controlled-vocabulary IRIs carry the class and scheme the DCAT-AP shapes check (range.ttl,
 * mdr-vocabularies.shape.ttl), as nothing here may fetch the EU vocabularies.
 */

const { namedNode, literal, quad } = DataFactory;

/** The prefixes of the Turtle and of the JSON-LD @context. */
export const DCAT_PREFIXES = {
  rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  rdfs: "http://www.w3.org/2000/01/rdf-schema#",
  xsd: "http://www.w3.org/2001/XMLSchema#",
  dcat: "http://www.w3.org/ns/dcat#",
  dct: "http://purl.org/dc/terms/",
  foaf: "http://xmlns.com/foaf/0.1/",
  skos: "http://www.w3.org/2004/02/skos/core#",
} as const;

const term =
  (ns: string) =>
  (local: string): NamedNode =>
    namedNode(`${ns}${local}`);
const rdf = term(DCAT_PREFIXES.rdf);
const rdfs = term(DCAT_PREFIXES.rdfs);
const xsd = term(DCAT_PREFIXES.xsd);
const dcat = term(DCAT_PREFIXES.dcat);
const dct = term(DCAT_PREFIXES.dct);
const foaf = term(DCAT_PREFIXES.foaf);
const skos = term(DCAT_PREFIXES.skos);

/** The EU Publications Office authority tables DCAT-AP names for these properties. */
const EU = "http://publications.europa.eu/resource/authority";

const FREQUENCIES: Record<UpdateCycle, string> = {
  realtime: "UPDATE_CONT",
  daily: "DAILY",
  weekly: "WEEKLY",
  monthly: "MONTHLY",
  quarterly: "QUARTERLY",
  "half-yearly": "ANNUAL_2",
  yearly: "ANNUAL",
  irregular: "IRREG",
};

type AccessRight = "PUBLIC" | "RESTRICTED" | "NON_PUBLIC";
const ACCESS_RIGHT_LABELS: Record<AccessRight, string> = {
  PUBLIC: "公开",
  RESTRICTED: "受限",
  NON_PUBLIC: "不公开",
};

/**
 * Shares are between government bodies, so only a resource also open to the public (无条件开放) is
 * PUBLIC; every other shared resource needs a grant first.
 */
function accessRight(resource: ResourceView): AccessRight {
  if (resource.sharingType === "none") return "NON_PUBLIC";
  return resource.sharingType === "unconditional" && resource.openType === "open" ? "PUBLIC" : "RESTRICTED";
}

const LANG = "zh-CN";
const zh = (text: string): Literal => literal(text, LANG);

/** YYYY-MM-DD stays a date; anything else is read as an instant and written as xsd:dateTime in UTC. */
function dateLiteral(value: string): Literal {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return literal(value, xsd("date"));
  return literal(new Date(value).toISOString(), xsd("dateTime"));
}

export interface CatalogExportInput {
  /** The catalog's resources; withdrawn ones are left out. */
  resources: readonly ResourceView[];
  /** The platform's public origin, e.g. https://data.example.gov.cn (a trailing slash is dropped). */
  baseUrl: string;
  /** The department that runs the catalog (数据主管部门). */
  publisher: { name: string; code: string };
  title?: string | undefined;
  /** When the catalog last changed: YYYY-MM-DD or an ISO date-time. */
  modified: string;
}

/** The catalog as an ordered, duplicate-free list of triples. */
function catalogQuads(input: CatalogExportInput): Quad[] {
  const base = input.baseUrl.replace(/\/+$/, "");
  const quads: Quad[] = [];
  const seen = new Set<string>();
  const add = (subject: NamedNode, predicate: NamedNode, object: Quad_Object) => {
    const key = `${subject.value} ${predicate.value} ${termKey(object)}`;
    if (seen.has(key)) return;
    seen.add(key);
    quads.push(quad(subject, predicate, object));
  };

  const catalogIri = `${base}/datahub/catalog`;
  const catalog = namedNode(catalogIri);
  const resourcePage = (r: ResourceView) => `${base}/datahub/catalog/${encodeURIComponent(r.id)}`;
  const datasetOf = (r: ResourceView) => namedNode(`${resourcePage(r)}#dataset`);
  const gateway = namedNode(`${catalogIri}#exchange-gateway`);
  const categories = namedNode(`${catalogIri}#categories`);

  const agent = (name: string, code: string) => {
    const node = namedNode(`${catalogIri}#department-${encodeURIComponent(code)}`);
    add(node, rdf("type"), foaf("Agent"));
    add(node, foaf("name"), zh(name));
    add(node, dct("identifier"), literal(code));
    return node;
  };
  /** A concept of an EU authority table, typed as the range the shapes check. */
  const concept = (table: string, code: string, type: NamedNode, label: Literal) => {
    const node = namedNode(`${EU}/${table}/${code}`);
    add(node, rdf("type"), type);
    add(node, rdf("type"), skos("Concept"));
    add(node, skos("inScheme"), namedNode(`${EU}/${table}`));
    add(node, skos("prefLabel"), label);
    return node;
  };

  const resources = input.resources.filter((r) => r.status === "published");
  const byCode = new Map(resources.map((r) => [r.code, r]));

  add(catalog, rdf("type"), dcat("Catalog"));
  add(catalog, dct("title"), zh(input.title ?? "政务数据资源目录"));
  add(
    catalog,
    dct("description"),
    zh(
      `${input.publisher.name}发布的政务数据资源目录（一网共享），收录已发布的数据资源 ${resources.length} 个。`,
    ),
  );
  add(catalog, dct("publisher"), agent(input.publisher.name, input.publisher.code));
  add(catalog, dct("modified"), dateLiteral(input.modified));
  add(catalog, dct("language"), concept("language", "ZHO", dct("LinguisticSystem"), zh("中文")));
  const homepage = namedNode(`${base}/datahub`);
  add(homepage, rdf("type"), foaf("Document"));
  add(catalog, foaf("homepage"), homepage);
  add(catalog, dcat("themeTaxonomy"), categories);
  add(categories, rdf("type"), skos("ConceptScheme"));
  add(categories, dct("title"), zh("政务数据资源分类"));
  add(catalog, dcat("service"), gateway);

  add(gateway, rdf("type"), dcat("DataService"));
  add(gateway, dct("title"), zh("数据共享交换网关"));
  add(gateway, dct("description"), zh("按共享授权向政务部门的业务系统提供接口类数据资源。"));
  add(gateway, dcat("endpointURL"), namedNode(`${base}/exchange/v1`));
  add(gateway, dct("publisher"), agent(input.publisher.name, input.publisher.code));
  add(
    gateway,
    dct("accessRights"),
    concept("access-right", "RESTRICTED", dct("RightsStatement"), zh(ACCESS_RIGHT_LABELS.RESTRICTED)),
  );

  for (const r of resources) {
    const dataset = datasetOf(r);
    const page = namedNode(resourcePage(r));
    add(catalog, dcat("dataset"), dataset);
    add(dataset, rdf("type"), dcat("Dataset"));
    add(dataset, dct("identifier"), literal(r.code));
    add(dataset, dct("title"), zh(r.name));
    add(dataset, dct("description"), zh(r.summary));
    add(dataset, dct("publisher"), agent(r.providerDepartmentName, r.providerDepartmentCode));

    const category = namedNode(`${catalogIri}#category-${encodeURIComponent(r.categoryCode)}`);
    add(category, rdf("type"), skos("Concept"));
    add(category, skos("prefLabel"), zh(r.categoryName));
    add(category, skos("notation"), literal(r.categoryCode));
    add(category, skos("inScheme"), categories);
    add(dataset, dcat("theme"), category);

    add(
      dataset,
      dct("accrualPeriodicity"),
      concept(
        "frequency",
        FREQUENCIES[r.updateCycle],
        dct("Frequency"),
        zh(UPDATE_CYCLE_NAMES[r.updateCycle]),
      ),
    );
    const right = accessRight(r);
    add(
      dataset,
      dct("accessRights"),
      concept("access-right", right, dct("RightsStatement"), zh(ACCESS_RIGHT_LABELS[right])),
    );
    add(dataset, dct("issued"), dateLiteral(r.publishedOn));
    add(dataset, dct("modified"), dateLiteral(r.updatedAt));
    add(dataset, dcat("version"), literal(String(r.version)));
    add(page, rdf("type"), foaf("Document"));
    add(dataset, dcat("landingPage"), page);

    // 信息项: the structure a consumer can rely on, as one schema description per resource.
    const schema = namedNode(`${resourcePage(r)}#items`);
    add(schema, rdf("type"), dct("Standard"));
    add(schema, dct("title"), zh(`${r.name}的信息项`));
    add(schema, dct("description"), zh(itemsText(r)));
    add(dataset, dct("conformsTo"), schema);

    for (const code of r.relatedCodes) {
      const related = byCode.get(code);
      if (related && related !== r) add(dataset, dct("relation"), datasetOf(related));
    }

    // 不予共享: listed in the catalog, but nothing to access.
    if (r.sharingType === "none") continue;
    const distribution = namedNode(`${resourcePage(r)}#distribution`);
    add(dataset, dcat("distribution"), distribution);
    add(distribution, rdf("type"), dcat("Distribution"));
    add(distribution, dct("title"), zh(`${r.name}（${SHARING_METHOD_NAMES[r.sharingMethod]}）`));
    add(
      distribution,
      dct("description"),
      zh(`共享方式：${SHARING_METHOD_NAMES[r.sharingMethod]}；资源格式：${r.format}`),
    );
    const terms = namedNode(`${resourcePage(r)}#sharing-terms`);
    add(terms, rdf("type"), dct("RightsStatement"));
    add(terms, rdfs("label"), zh(SHARING_TYPE_NAMES[r.sharingType]));
    const conditions = [
      r.sharingCondition && `共享条件：${r.sharingCondition}`,
      r.sharingBasis && `共享依据：${r.sharingBasis}`,
    ].filter(Boolean);
    if (conditions.length > 0) add(terms, dct("description"), zh(conditions.join("；")));
    add(distribution, dct("rights"), terms);

    if (r.sharingMethod === "api") {
      add(distribution, dcat("accessURL"), namedNode(`${base}/exchange/v1/${r.code}`));
      add(distribution, dcat("accessService"), gateway);
      add(
        distribution,
        dct("format"),
        concept("file-type", "JSON", dct("MediaTypeOrExtent"), literal("JSON")),
      );
      const json = namedNode("https://www.iana.org/assignments/media-types/application/json");
      add(json, rdf("type"), dct("MediaType"));
      add(distribution, dcat("mediaType"), json);
      add(gateway, dcat("servesDataset"), dataset);
    } else {
      // 文件 / 库表 are handed over through the resource's page, after a sharing request.
      add(distribution, dcat("accessURL"), page);
    }
  }
  return quads;
}

/** "公民身份号码（idNumber，string(18)）；姓名（name，string）" */
function itemsText(resource: ResourceView): string {
  if (resource.items.length === 0) return "无信息项";
  return resource.items
    .map(
      (item) =>
        `${item.title}（${item.name}，${item.type}${item.length === null ? "" : `(${item.length})`}）`,
    )
    .join("；");
}

function termKey(term: Quad_Object): string {
  if (term.termType !== "Literal") return `${term.termType}:${term.value}`;
  return `"${term.value}"@${term.language}^^${term.datatype.value}`;
}

/** Triples grouped by subject, then by predicate, in the order they were first stated. */
function grouped(quads: readonly Quad[]): Quad[] {
  const subjects = new Map<string, Map<string, Quad[]>>();
  for (const q of quads) {
    const predicates = subjects.get(q.subject.value) ?? new Map<string, Quad[]>();
    subjects.set(q.subject.value, predicates);
    const list = predicates.get(q.predicate.value);
    if (list) list.push(q);
    else predicates.set(q.predicate.value, [q]);
  }
  return [...subjects.values()].flatMap((predicates) => [...predicates.values()].flat());
}

/** The catalog as an RDF graph, for validation or further processing. */
export function catalogGraph(input: CatalogExportInput): Store {
  return new Store(catalogQuads(input));
}

/** The catalog as Turtle (served for `Accept: text/turtle`). */
export function catalogTurtle(input: CatalogExportInput): string {
  const writer = new Writer({ format: "text/turtle", prefixes: DCAT_PREFIXES });
  writer.addQuads(grouped(catalogQuads(input)));
  let turtle: string | undefined;
  // Without an output stream the writer hands the text over synchronously.
  writer.end((error, result: string) => {
    if (error) throw error;
    turtle = result;
  });
  if (turtle === undefined) throw new Error("The Turtle writer did not finish");
  return turtle;
}

type JsonLdValue = string | { "@id": string } | { "@value": string; "@language"?: string; "@type"?: string };
export interface CatalogJsonLd {
  "@context": Record<string, string>;
  "@graph": Record<string, string | JsonLdValue | (string | JsonLdValue)[]>[];
}

/**
 * The catalog as JSON-LD (served as application/ld+json): one flat node per subject, with an inline
 * @context of prefixes so that no processor has to fetch a context.
 */
export function catalogJsonLd(input: CatalogExportInput): CatalogJsonLd {
  const nodes = new Map<string, CatalogJsonLd["@graph"][number]>();
  for (const q of grouped(catalogQuads(input))) {
    const id = nodeId(q.subject as NamedNode | BlankNode);
    const node = nodes.get(id) ?? { "@id": id };
    nodes.set(id, node);
    const isType = q.predicate.value === `${DCAT_PREFIXES.rdf}type`;
    const key = isType ? "@type" : compact(q.predicate.value);
    const value = isType ? compact(q.object.value) : jsonValue(q.object);
    const present = node[key];
    node[key] = present === undefined ? value : [...(Array.isArray(present) ? present : [present]), value];
  }
  return { "@context": { ...DCAT_PREFIXES }, "@graph": [...nodes.values()] };
}

const nodeId = (node: NamedNode | BlankNode) =>
  node.termType === "BlankNode" ? `_:${node.value}` : node.value;

/** dct:title for http://purl.org/dc/terms/title; IRIs outside the prefixes stay whole. */
function compact(iri: string): string {
  for (const [prefix, ns] of Object.entries(DCAT_PREFIXES)) {
    const local = iri.slice(ns.length);
    if (iri.startsWith(ns) && /^[A-Za-z_][\w-]*$/.test(local)) return `${prefix}:${local}`;
  }
  return iri;
}

function jsonValue(object: Quad_Object): JsonLdValue {
  if (object.termType === "NamedNode" || object.termType === "BlankNode") return { "@id": nodeId(object) };
  if (object.termType !== "Literal") throw new Error(`A ${object.termType} cannot be written as JSON-LD`);
  if (object.language) return { "@value": object.value, "@language": object.language };
  if (object.datatype.value === `${DCAT_PREFIXES.xsd}string`) return object.value;
  return { "@value": object.value, "@type": compact(object.datatype.value) };
}
