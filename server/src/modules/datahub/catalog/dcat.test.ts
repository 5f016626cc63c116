import { readFileSync } from "node:fs";
import path from "node:path";
import jsonld from "jsonld";
import { DataFactory, Parser, type Quad, Store } from "n3";
import SHACLValidator from "rdf-validate-shacl";
import { describe, expect, it } from "vitest";
import { fixturesDir } from "../../../../test/fixtures";
import { type ResourceView, UPDATE_CYCLES, type UpdateCycle } from "./catalog.types";
import { type CatalogExportInput, catalogGraph, catalogJsonLd, catalogTurtle } from "./dcat";

const { namedNode } = DataFactory;
const DCAT_AP = path.join(fixturesDir(), "dcat-ap");
const BASE = "https://data.example.gov.cn";
const EU = "http://publications.europa.eu/resource/authority";
const ns = {
  rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  dcat: "http://www.w3.org/ns/dcat#",
  dct: "http://purl.org/dc/terms/",
  foaf: "http://xmlns.com/foaf/0.1/",
  dcatap: "http://data.europa.eu/r5r/",
  sh: "http://www.w3.org/ns/shacl#",
};
/** dct:title for http://purl.org/dc/terms/title, as the expectations are written. */
const prefixed = (value: string) =>
  Object.entries(ns).reduce((text, [prefix, iri]) => text.replace(iri, `${prefix}:`), value);
const iri = (prefixed: string) => {
  const [prefix, local] = prefixed.split(":") as [keyof typeof ns, string];
  return namedNode(`${ns[prefix]}${local}`);
};

let sequence = 0;
/** A published resource of a district department, with two data items. */
function resource(overrides: Partial<ResourceView> & Pick<ResourceView, "code" | "name">): ResourceView {
  sequence += 1;
  const categoryCode = overrides.code.split("/")[0]!;
  return {
    id: `0193a2b4-0000-7000-8000-${String(sequence).padStart(12, "0")}`,
    summary: `${overrides.name}，由提供部门按更新周期维护。`,
    categoryCode,
    categoryName: `分类${categoryCode}`,
    format: "数据库",
    sharingType: "unconditional",
    sharingCondition: null,
    sharingBasis: null,
    sharingMethod: "api",
    openType: "closed",
    updateCycle: "daily",
    keyItem: "uscc",
    relatedCodes: [],
    items: [
      {
        name: "uscc",
        title: "统一社会信用代码",
        type: "string",
        length: 18,
        grade: "general",
        personal: false,
        sensitive: false,
        mask: "none",
        baseField: "legalEntity.uscc",
      },
      {
        name: "registeredOn",
        title: "成立日期",
        type: "date",
        length: null,
        grade: "general",
        personal: false,
        sensitive: false,
        mask: "none",
        baseField: null,
      },
    ],
    providerDepartmentId: "0193a2b4-0000-7000-8000-d00000000001",
    providerDepartmentName: "区市场监督管理局",
    providerDepartmentCode: "SCJGJ",
    status: "published",
    grade: "general",
    publishedOn: "2025-03-18",
    version: 1,
    createdAt: "2025-03-17T02:00:00.000Z",
    updatedAt: "2025-06-30T09:15:00.000Z",
    recordCount: 1200,
    sharedCount: 35,
    ...overrides,
  };
}

const population = resource({
  code: "101/000001",
  name: "人口基本信息",
  categoryName: "人口基础信息",
  summary: "本区户籍人口和常住人口的身份、户籍地址和婚姻状况。",
  sharingType: "conditional",
  sharingCondition: "仅用于政务服务事项办理和人口统计，需经公安分局审核",
  sharingBasis: "《中华人民共和国个人信息保护法》第十三条",
  providerDepartmentName: "区公安分局",
  providerDepartmentCode: "GAFJ",
  keyItem: "idNumber",
  relatedCodes: ["102/000001"],
  updateCycle: "realtime",
  version: 3,
});
const enterprises = resource({
  code: "102/000001",
  name: "企业登记信息",
  categoryName: "法人单位基础信息",
  openType: "open",
  updateCycle: "monthly",
});
const cityCases = resource({
  code: "206/000003",
  name: "城市管理案件",
  categoryName: "城市管理",
  sharingMethod: "file",
  format: "电子表格",
  updateCycle: "half-yearly",
  providerDepartmentName: "区城市管理和综合执法局",
  providerDepartmentCode: "CGJ",
});
const clinics = resource({
  code: "203/000002",
  name: "医疗机构诊疗记录",
  categoryName: "医疗卫生",
  sharingType: "none",
  sharingBasis: "《医疗机构病历管理规定》第六条",
  sharingMethod: "table",
  updateCycle: "quarterly",
  providerDepartmentName: "区卫生健康局",
  providerDepartmentCode: "WJJ",
});
const buses = resource({
  code: "209/000001",
  name: "公交车辆实时位置",
  categoryName: "交通运输",
  sharingType: "conditional",
  sharingCondition: "用于交通运行监测",
  sharingMethod: "table",
  format: "库表",
  updateCycle: "irregular",
  providerDepartmentName: "区交通运输局",
  providerDepartmentCode: "JTJ",
});
const retired = resource({ code: "301/000009", name: "已撤销的旧台账", status: "withdrawn" });

const input: CatalogExportInput = {
  resources: [population, enterprises, cityCases, clinics, buses, retired],
  baseUrl: `${BASE}/`,
  publisher: { name: "区政务服务和数据管理局", code: "SJJ" },
  modified: "2025-07-01T08:00:00+08:00",
};

const dataset = (r: ResourceView) => namedNode(`${BASE}/datahub/catalog/${r.id}#dataset`);
const objects = (graph: Store, subject: string | ReturnType<typeof namedNode>, predicate: string) =>
  graph
    .getObjects(typeof subject === "string" ? namedNode(subject) : subject, iri(predicate), null)
    .map((o) => o.value);

/** The shape shared by n3's quads and the plain quads jsonld.toRDF returns. */
interface TripleLike {
  subject: { termType: string; value: string };
  predicate: { value: string };
  object: { termType: string; value: string; language?: string; datatype?: { value: string } };
}

/** A triple as one comparable string; language tags compare in lower case (RDF 1.1). */
function tripleKey(q: TripleLike): string {
  const o = q.object;
  const object =
    o.termType === "Literal"
      ? `"${o.value}"${o.language ? `@${o.language.toLowerCase()}` : `^^${o.datatype?.value}`}`
      : `${o.termType}:${o.value}`;
  return `${q.subject.termType}:${q.subject.value} ${q.predicate.value} ${object}`;
}

const readTurtle = (file: string): Quad[] =>
  new Parser().parse(readFileSync(path.join(DCAT_AP, file), "utf8"));

async function validate(data: Store, shapeFiles: string[]) {
  const validator = new SHACLValidator(new Store(shapeFiles.flatMap(readTurtle)));
  const report = await validator.validate(data);
  const results = report.results.map((r) => ({
    severity: prefixed(r.severity.value),
    focusNode: r.focusNode.value,
    path: r.path?.value ?? null,
    constraint: prefixed(r.sourceConstraintComponent.value),
    message: r.message.map((m) => m.value).join(" "),
  }));
  return { conforms: report.conforms, results };
}

describe("DCAT-AP 3 export of the catalog", () => {
  it("describes every published resource as a dataset with its code, names, provider and terms", () => {
    const graph = catalogGraph(input);
    const catalog = `${BASE}/datahub/catalog`;
    expect(objects(graph, catalog, "dcat:dataset").sort()).toEqual(
      [population, enterprises, cityCases, clinics, buses].map((r) => dataset(r).value).sort(),
    );
    expect(graph.getSubjects(iri("dct:identifier"), DataFactory.literal(retired.code), null)).toEqual([]);

    const titles = graph.getObjects(dataset(population), iri("dct:title"), null);
    expect(titles.map((t) => [t.value, t.termType === "Literal" ? t.language : null])).toEqual([
      ["人口基本信息", "zh-cn"],
    ]);
    expect(objects(graph, dataset(population), "dct:identifier")).toEqual(["101/000001"]);
    expect(objects(graph, dataset(population), "dcat:version")).toEqual(["3"]);
    const [provider] = objects(graph, dataset(population), "dct:publisher");
    expect(objects(graph, provider!, "foaf:name")).toEqual(["区公安分局"]);
    expect(objects(graph, provider!, "dct:identifier")).toEqual(["GAFJ"]);
    expect(objects(graph, dataset(population), "dct:relation")).toEqual([dataset(enterprises).value]);

    const accessRights = (r: ResourceView) => objects(graph, dataset(r), "dct:accessRights");
    expect(accessRights(population)).toEqual([`${EU}/access-right/RESTRICTED`]);
    expect(accessRights(enterprises)).toEqual([`${EU}/access-right/PUBLIC`]);
    expect(accessRights(cityCases)).toEqual([`${EU}/access-right/RESTRICTED`]);
    expect(accessRights(clinics)).toEqual([`${EU}/access-right/NON_PUBLIC`]);

    const accessUrls = (r: ResourceView) =>
      objects(graph, dataset(r), "dcat:distribution").flatMap((d) => objects(graph, d, "dcat:accessURL"));
    expect(accessUrls(population)).toEqual([`${BASE}/exchange/v1/101/000001`]);
    expect(accessUrls(cityCases)).toEqual([`${BASE}/datahub/catalog/${cityCases.id}`]);
    expect(accessUrls(buses)).toEqual([`${BASE}/datahub/catalog/${buses.id}`]);
    expect(accessUrls(clinics)).toEqual([]);

    const [terms] = objects(
      graph,
      `${dataset(population).value.replace("#dataset", "#distribution")}`,
      "dct:rights",
    );
    expect(objects(graph, terms!, "dct:description")).toEqual([
      "共享条件：仅用于政务服务事项办理和人口统计，需经公安分局审核；共享依据：《中华人民共和国个人信息保护法》第十三条",
    ]);
    const [items] = objects(graph, dataset(enterprises), "dct:conformsTo");
    expect(objects(graph, items!, "dct:description")).toEqual([
      "统一社会信用代码（uscc，string(18)）；成立日期（registeredOn，date）",
    ]);

    const [gateway] = objects(graph, catalog, "dcat:service");
    expect(objects(graph, gateway!, "dcat:endpointURL")).toEqual([`${BASE}/exchange/v1`]);
    expect(objects(graph, gateway!, "dcat:servesDataset").sort()).toEqual(
      [dataset(population).value, dataset(enterprises).value].sort(),
    );
    expect(graph.getQuads(null, null, null, null).some((q) => q.subject.termType === "BlankNode")).toBe(
      false,
    );
  });

  it("maps every update cycle to the EU frequency vocabulary", () => {
    const expected: Record<UpdateCycle, string> = {
      realtime: "UPDATE_CONT",
      daily: "DAILY",
      weekly: "WEEKLY",
      monthly: "MONTHLY",
      quarterly: "QUARTERLY",
      "half-yearly": "ANNUAL_2",
      yearly: "ANNUAL",
      irregular: "IRREG",
    };
    const resources = UPDATE_CYCLES.map((updateCycle, i) =>
      resource({ code: `205/00000${i + 1}`, name: `周期${updateCycle}`, updateCycle }),
    );
    const graph = catalogGraph({ ...input, resources });
    for (const r of resources) {
      expect(objects(graph, dataset(r), "dct:accrualPeriodicity")).toEqual([
        `${EU}/frequency/${expected[r.updateCycle]}`,
      ]);
    }
  });

  it("gives the same triples as Turtle and as JSON-LD, without fetching anything", async () => {
    const fromTurtle = new Parser({ format: "text/turtle" }).parse(catalogTurtle(input)).map(tripleKey);
    const requested: string[] = [];
    const options = {
      safe: true, // fail on anything the processor would silently drop
      documentLoader: async (url: string) => {
        requested.push(url);
        throw new Error(`No network: refused to load ${url}`);
      },
    };
    const toRdf = async (doc: object) =>
      (await jsonld.toRDF(doc, options as jsonld.Options.ToRdf)) as TripleLike[];
    const fromJsonLd = (await toRdf(catalogJsonLd(input))).map(tripleKey);
    const fromGraph = catalogGraph(input).getQuads(null, null, null, null).map(tripleKey);

    expect(requested).toEqual([]);
    expect(fromGraph.length).toBeGreaterThan(100);
    expect(new Set(fromTurtle).size).toBe(fromTurtle.length);
    fromGraph.sort();
    expect(fromTurtle.sort()).toEqual(fromGraph);
    expect(fromJsonLd.sort()).toEqual(fromGraph);
    expect(fromJsonLd).toContain(
      `NamedNode:${dataset(clinics).value} ${ns.dct}title "医疗机构诊疗记录"@zh-cn`,
    );

    // The refusing loader is the one in use: a published remote context is not fetched.
    const remote = "https://semiceu.github.io/DCAT-AP/releases/3.0.0/context/dcat-ap.jsonld";
    await expect(toRdf({ "@context": remote, "@id": `${BASE}/x`, title: "x" })).rejects.toThrow();
    expect(requested).toEqual([remote]);
  });

  it("conforms to the mandatory DCAT-AP 3 shapes and their class ranges", async () => {
    const { conforms, results } = await validate(catalogGraph(input), ["shapes.ttl", "range.ttl"]);
    expect(results).toEqual([]);
    expect(conforms).toBe(true);
  });

  it("breaks no controlled-vocabulary rule and misses only the recommendations it has no data for", async () => {
    const graph = catalogGraph(input);
    const { results } = await validate(graph, [
      "shapes.ttl",
      "range.ttl",
      "shapes_recommended.ttl",
      "mdr-vocabularies.shape.ttl",
    ]);
    expect(results.filter((r) => r.severity !== "sh:Warning")).toEqual([]);
    const classOf = (node: string) =>
      graph
        .getObjects(namedNode(node), iri("rdf:type"), null)
        .map((t) => prefixed(t.value))
        .find((t) => /^(dcat|foaf):/.test(t));
    const missing = new Set(results.map((r) => `${classOf(r.focusNode)} ${prefixed(r.path ?? "(node)")}`));
    // What the catalog does not hold: a publication date of its own, licences, contact points, spatial
    // and temporal coverage, keywords, ADMS publisher types; its departments and categories are not
    // EU corporate bodies or data themes; a 不予共享 resource has no distribution; file and table
    // shares have no fixed file format.
    expect([...missing].sort()).toEqual([
      "dcat:Catalog dcat:themeTaxonomy",
      "dcat:Catalog dct:issued",
      "dcat:Catalog dct:license",
      "dcat:Catalog dct:publisher",
      "dcat:Catalog dct:spatial",
      "dcat:DataService dcat:contactPoint",
      "dcat:DataService dcat:endpointDescription",
      "dcat:DataService dcat:keyword",
      "dcat:DataService dcat:theme",
      "dcat:DataService dct:conformsTo",
      "dcat:DataService dct:publisher",
      "dcat:Dataset dcat:contactPoint",
      "dcat:Dataset dcat:distribution",
      "dcat:Dataset dcat:keyword",
      "dcat:Dataset dcat:theme",
      "dcat:Dataset dct:publisher",
      "dcat:Dataset dct:spatial",
      "dcat:Dataset dct:temporal",
      "dcat:Distribution dcatap:availability",
      "dcat:Distribution dct:format",
      "dcat:Distribution dct:license",
      "foaf:Agent dct:type",
    ]);
  });

  it("fails validation when a dataset loses its title or the catalog its publisher", async () => {
    const graph = catalogGraph(input);
    graph.removeQuads(graph.getQuads(dataset(cityCases), iri("dct:title"), null, null));
    const catalog = namedNode(`${BASE}/datahub/catalog`);
    graph.removeQuads(graph.getQuads(catalog, iri("dct:publisher"), null, null));

    const { conforms, results } = await validate(graph, ["shapes.ttl", "range.ttl"]);
    expect(conforms).toBe(false);
    expect(results.map(({ focusNode, path, constraint }) => ({ focusNode, path, constraint }))).toEqual(
      expect.arrayContaining([
        {
          focusNode: dataset(cityCases).value,
          path: `${ns.dct}title`,
          constraint: "sh:MinCountConstraintComponent",
        },
        {
          focusNode: catalog.value,
          path: `${ns.dct}publisher`,
          constraint: "sh:MinCountConstraintComponent",
        },
      ]),
    );
    expect(results).toHaveLength(2);
  });

  it("fails validation when a frequency is not declared a dct:Frequency", async () => {
    const graph = catalogGraph(input);
    const monthly = namedNode(`${EU}/frequency/MONTHLY`);
    graph.removeQuads(graph.getQuads(monthly, iri("rdf:type"), iri("dct:Frequency"), null));

    const { conforms, results } = await validate(graph, ["shapes.ttl", "range.ttl"]);
    expect(conforms).toBe(false);
    expect(results.map(({ focusNode, path, constraint }) => ({ focusNode, path, constraint }))).toEqual([
      {
        focusNode: dataset(enterprises).value,
        path: `${ns.dct}accrualPeriodicity`,
        constraint: "sh:ClassConstraintComponent",
      },
    ]);
  });
});
