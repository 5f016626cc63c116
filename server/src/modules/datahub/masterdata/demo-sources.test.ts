import { parse } from "csv-parse/sync";
import * as OpenCC from "opencc-js/t2cn";
import { describe, expect, it } from "vitest";
import { BUREAUS } from "../../../demo/bureaus";
import { AS_OF } from "../../../demo/dates";
import { generateDistrict } from "../../../demo/district";
import { parseCitizenId, parseUscc, upgradeLegacyId } from "../../../kernel/identity/identifiers";
import { DEMO_SOURCES, type GeneratedSource, generateSources, pairwiseQuality } from "./demo-sources";
import { LEGAL_PERSON_FIELDS, PERSON_FIELDS } from "./standardise/fields";

const district = generateDistrict({ seed: 11, citizens: 4000, enterprises: 800 });
const options = { seed: 11, citizens: district.citizens, enterprises: district.enterprises };
const sources = generateSources(options);
const byCode = new Map(sources.map((s) => [s.spec.code, s]));
const citizens = new Map(district.citizens.map((c) => [c.idNumber, c]));
const enterprises = new Map(district.enterprises.map((e) => [e.uscc, e]));
const toSimplified = OpenCC.Converter({ from: "hk", to: "cn" });

const FIELDS = { population: PERSON_FIELDS, legalPerson: LEGAL_PERSON_FIELDS };

function source(code: string): GeneratedSource {
  const found = byCode.get(code);
  if (!found) throw new Error(`no source ${code}`);
  return found;
}

function text(s: GeneratedSource): string {
  return new TextDecoder(s.spec.format === "csv-gbk" ? "gbk" : "utf-8").decode(s.body);
}

interface ReadFile {
  header: string[];
  rows: (Record<string, string> | null)[];
}
const read = new WeakMap<GeneratedSource, ReadFile>();

/** A file's data rows: CSV rows by header, NDJSON objects; null for a row that cannot be read. */
function readRows(s: GeneratedSource): ReadFile {
  const cached = read.get(s);
  if (cached) return cached;
  const file = parseFile(s);
  read.set(s, file);
  return file;
}

function parseFile(s: GeneratedSource): ReadFile {
  if (s.spec.format === "ndjson") {
    const rows = text(s)
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => {
        try {
          return JSON.parse(line) as Record<string, string>;
        } catch {
          return null;
        }
      });
    const header = [...new Set(rows.flatMap((r) => (r ? Object.keys(r) : [])))];
    return { header, rows };
  }
  const [header, ...records] = parse(text(s), { bom: true, relax_column_count: true }) as string[][];
  return {
    header: header!,
    rows: records.map((r) =>
      r.length === header!.length ? Object.fromEntries(header!.map((column, i) => [column, r[i]!])) : null,
    ),
  };
}

/** Values of a canonical field in a source, by record id, for the loadable rows. */
function column(s: GeneratedSource, field: string): Map<string, string> {
  const name = Object.entries(s.spec.mapping).find(([, f]) => f === field)?.[0];
  if (!name) throw new Error(`${s.spec.code} has no ${field}`);
  const values = new Map<string, string>();
  for (const row of readRows(s).rows)
    if (row && typeof row[name] === "string") values.set(row[s.spec.keyColumn]!, row[name]);
  return values;
}

const narrow = (v: string) => v.replace(/[０-９Ｘ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

describe("DEMO_SOURCES", () => {
  it("describes at least ten population and three legal-person sources of real bureaus", () => {
    const bureaus = new Set(BUREAUS.map((b) => b.key));
    expect(DEMO_SOURCES.filter((s) => s.base === "population").length).toBeGreaterThanOrEqual(10);
    expect(DEMO_SOURCES.filter((s) => s.base === "legalPerson").length).toBeGreaterThanOrEqual(3);
    expect(new Set(DEMO_SOURCES.map((s) => s.code)).size).toBe(DEMO_SOURCES.length);
    for (const spec of DEMO_SOURCES) {
      expect(spec.code).toMatch(/^[a-z]+(-[a-z]+)+$/);
      expect(bureaus.has(spec.bureau), spec.bureau).toBe(true);
      expect(spec.mapping[spec.keyColumn]).toBeUndefined();
      for (const field of Object.values(spec.mapping))
        expect(FIELDS[spec.base] as readonly string[]).toContain(field);
      expect(Object.values(spec.mapping)).toContain("name");
    }
    expect(DEMO_SOURCES.filter((s) => s.format === "csv-gbk").length).toBeGreaterThanOrEqual(1);
    expect(DEMO_SOURCES.filter((s) => s.format === "ndjson").length).toBeGreaterThanOrEqual(2);
  });

  it("gives the first ten population sources every kind of error the benchmark should meet", () => {
    const firstTen = DEMO_SOURCES.filter((s) => s.base === "population").slice(0, 10);
    const codes = firstTen.map((s) => s.code);
    expect(codes).toEqual(
      expect.arrayContaining(["hr-insurance", "ca-marriage", "grid-visit", "db-realname"]),
    );
    expect(firstTen.some((s) => s.format === "csv-gbk")).toBe(true);
    expect(firstTen.filter((s) => s.format === "ndjson").length).toBeGreaterThanOrEqual(2);
  });
});

describe("generateSources", () => {
  it("is deterministic: the same options give byte-identical files, another seed other files", () => {
    const again = generateSources(options);
    expect(again.map((s) => s.body.toString("base64"))).toEqual(
      sources.map((s) => s.body.toString("base64")),
    );
    const other = generateSources({ ...options, seed: 12, sources: ["ps-household"] });
    expect(other[0]!.body.equals(source("ps-household").body)).toBe(false);
  });

  it("splits the requested record totals over the requested sources, in catalog order", () => {
    const population = sources.filter((s) => s.spec.base === "population");
    const legal = sources.filter((s) => s.spec.base === "legalPerson");
    expect(population.reduce((n, s) => n + s.rows, 0)).toBe(2 * district.citizens.length);
    expect(legal.reduce((n, s) => n + s.rows, 0)).toBe(2 * district.enterprises.length);
    const some = generateSources({
      ...options,
      personRecords: 3000,
      sources: ["grid-visit", "ps-household", "mr-enterprise"],
    });
    expect(some.map((s) => s.spec.code)).toEqual(["ps-household", "grid-visit", "mr-enterprise"]);
    expect(some[0]!.rows + some[1]!.rows).toBe(3000);
    // Alone, the register can hold each enterprise once (and about 1 % twice), not two records each.
    expect(some[2]!.rows).toBe(Math.floor(district.enterprises.length * 1.01));
    expect(() => generateSources({ ...options, sources: ["no-such-source"] })).toThrow(RangeError);
  });

  it("writes the GBK source in GBK: it decodes as GBK and is not valid UTF-8", () => {
    const gbk = sources.filter((s) => s.spec.format === "csv-gbk");
    expect(gbk.length).toBeGreaterThan(0);
    for (const s of gbk) {
      expect(() => new TextDecoder("utf-8", { fatal: true }).decode(s.body)).toThrow();
      const decoded = new TextDecoder("gbk").decode(s.body);
      expect(decoded.startsWith(`${s.spec.keyColumn},`)).toBe(true);
      expect(decoded).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it("heads every CSV with its key column and mapped columns; NDJSON objects use the same names", () => {
    for (const s of sources) {
      const { header, rows } = readRows(s);
      expect(header[0], s.spec.code).toBe(s.spec.keyColumn);
      expect(header, s.spec.code).toEqual(expect.arrayContaining(Object.keys(s.spec.mapping)));
      expect(new Set(header).size).toBe(header.length);
      expect(rows.length, s.spec.code).toBe(s.rows);
    }
  });

  it("has a truth entry for every loadable row, pointing at a real citizen or enterprise", () => {
    let unloadable = 0;
    for (const s of sources) {
      const { rows } = readRows(s);
      const loadable = rows.filter((r): r is Record<string, string> => r !== null);
      unloadable += rows.length - loadable.length;
      expect(s.truth.size, s.spec.code).toBe(loadable.length);
      for (const row of loadable) expect(s.truth.has(row[s.spec.keyColumn]!), s.spec.code).toBe(true);
      for (const entity of s.truth.values())
        expect((s.spec.base === "population" ? citizens : enterprises).has(entity)).toBe(true);
    }
    expect(unloadable).toBeGreaterThan(0);
  });

  it("draws realistic subsets: children in school and vaccination records, the old in pensions", () => {
    const ageOf = (id: string) => Number(AS_OF.slice(0, 4)) - Number(citizens.get(id)!.birthDate.slice(0, 4));
    for (const id of source("edu-student").truth.values()) expect(ageOf(id)).toBeLessThanOrEqual(19);
    for (const id of source("health-immunization").truth.values()) expect(ageOf(id)).toBeLessThanOrEqual(15);
    for (const id of source("hr-pension").truth.values()) expect(ageOf(id)).toBeGreaterThanOrEqual(60);
    for (const id of source("ps-household").truth.values())
      expect(citizens.get(id)!.idType).toBe("resident_id");
  });

  it("writes dates, phones and genders each source's own way", () => {
    const sample = (code: string, field: string) =>
      [...column(source(code), field).values()].filter((v) => v !== "").slice(0, 50);
    for (const v of sample("ps-household", "birthDate")) expect(v).toMatch(/^\d{8}$/);
    for (const v of sample("hcs-medical", "birthDate")) expect(v).toMatch(/^\d{4}\/\d{1,2}\/\d{1,2}$/);
    for (const v of sample("tax-iit", "birthDate")) expect(v).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/);
    for (const v of sample("hr-insurance", "birthDate")) expect(v).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const v of sample("hr-insurance", "gender")) expect(["1", "2"]).toContain(v);
    for (const v of sample("db-realname", "gender")) expect(["M", "F"]).toContain(v);
    for (const v of sample("housing-rental", "phone")) expect(v).toMatch(/^\+86 /);
    for (const v of sample("tax-iit", "phone"))
      expect(narrow(v)).toMatch(/^(\d{3} \d{4} \d{4}|0\d+ \d{4} \d{4})$/);
    const capitals = [
      ...sample("mr-enterprise", "registeredCapital"),
      ...sample("tax-taxpayer", "registeredCapital"),
      ...sample("stats-directory", "registeredCapital"),
    ];
    expect(capitals.some((v) => /^\d+\.\d{2}万元人民币$/.test(v))).toBe(true);
    expect(capitals.some((v) => /^\d+$/.test(v))).toBe(true);
    expect(capitals.some((v) => /^[\d.]+万元$/.test(v))).toBe(true);
  });

  it("makes realistic errors at realistic rates", () => {
    const population = sources.filter((s) => s.spec.base === "population");
    let ids = 0;
    let badChecksums = 0;
    let legacy = 0;
    let fullWidth = 0;
    let typos = 0;
    let names = 0;
    for (const s of population) {
      const idValues = column(s, "idNumber");
      const nameValues = column(s, "name");
      for (const [recordId, raw] of idValues) {
        if (raw === "") continue;
        ids++;
        const truth = s.truth.get(recordId)!;
        if (raw !== narrow(raw)) fullWidth++;
        const id = narrow(raw);
        if (/^\d{15}$/.test(id)) {
          legacy++;
          expect(upgradeLegacyId(id)).toBe(truth);
        } else if (citizens.get(truth)!.idType === "resident_id" && id.toUpperCase() !== truth) {
          badChecksums++;
          expect(parseCitizenId(id, { today: AS_OF }).ok).toBe(false);
        }
      }
      if (s.spec.code === "db-realname") continue;
      for (const [recordId, name] of nameValues) {
        names++;
        if (name.replaceAll(" ", "") !== citizens.get(s.truth.get(recordId)!)!.name) typos++;
      }
    }
    // Mistyped IDs: about 1 % over all sources (the household register is cleaner, the rest 1.5 %).
    expect(badChecksums / ids).toBeGreaterThan(0.004);
    expect(badChecksums / ids).toBeLessThan(0.03);
    expect(legacy).toBeGreaterThan(0);
    expect(fullWidth / ids).toBeGreaterThan(0.005);
    expect(fullWidth / ids).toBeLessThan(0.04);
    expect(typos / names).toBeGreaterThan(0.003);
    expect(typos / names).toBeLessThan(0.03);
  });

  it("leaves IDs out where the department often lacks them", () => {
    const missing = (code: string) => {
      const s = source(code);
      const values = column(s, "idNumber");
      return 1 - [...values.values()].filter((v) => v !== "").length / s.truth.size;
    };
    expect(missing("grid-visit")).toBeGreaterThan(0.2);
    expect(missing("grid-visit")).toBeLessThan(0.4);
    expect(missing("ps-household")).toBe(0);
  });

  it("writes about 30 % of the real-name users in traditional characters", () => {
    const names = [...column(source("db-realname"), "name").values()];
    const addresses = [...column(source("db-realname"), "address").values()];
    const traditional = (v: string) => toSimplified(v) !== v;
    // Every address holds 广州市 or 区, so a traditional address always differs from its simplified form.
    const share = addresses.filter(traditional).length / addresses.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
    expect(names.filter(traditional).length).toBeGreaterThan(0);
  });

  it("records about 1 % of subjects twice in a source, under different record ids", () => {
    const s = source("ps-household");
    const seen = new Map<string, number>();
    for (const entity of s.truth.values()) seen.set(entity, (seen.get(entity) ?? 0) + 1);
    const twice = [...seen.values()].filter((n) => n === 2).length;
    expect(twice / seen.size).toBeGreaterThan(0.005);
    expect(twice / seen.size).toBeLessThan(0.02);
  });

  it("shows moved households' newer address in the fresher sources", () => {
    const grid = column(source("grid-visit"), "address");
    const s = source("grid-visit");
    let moved = 0;
    for (const [recordId, address] of grid) {
      const home = citizens.get(s.truth.get(recordId)!)!.address;
      if (address !== "" && !home.endsWith(address)) moved++;
    }
    expect(moved / grid.size).toBeGreaterThan(0.01);
    expect(moved / grid.size).toBeLessThan(0.1);
  });

  it("breaks a few rows: a short CSV row and a cut JSON line without truth, an impossible date with it", () => {
    const grid = source("grid-visit");
    const { rows } = readRows(grid);
    expect(rows.filter((r) => r === null).length).toBeGreaterThan(0);
    const dates = column(grid, "birthDate");
    const impossible = [...dates].filter(([, v]) => v.endsWith("-02-30"));
    expect(impossible.length).toBeGreaterThan(0);
    for (const [recordId] of impossible) expect(grid.truth.has(recordId)).toBe(true);
    const housing = readRows(source("housing-rental"));
    expect(housing.rows.filter((r) => r === null).length).toBeGreaterThan(0);
  });

  it("varies enterprise records as registers do: brackets, spacing, mistyped USCCs, old shop names", () => {
    let usccs = 0;
    let invalid = 0;
    let variants = 0;
    let names = 0;
    for (const s of sources.filter((x) => x.spec.base === "legalPerson")) {
      for (const [recordId, raw] of column(s, "uscc")) {
        if (raw === "") continue;
        usccs++;
        const uscc = narrow(raw).toUpperCase();
        if (uscc !== s.truth.get(recordId)) {
          invalid++;
          expect(parseUscc(uscc).ok).toBe(false);
        }
      }
      for (const [recordId, name] of column(s, "name")) {
        names++;
        if (name !== enterprises.get(s.truth.get(recordId)!)!.name) variants++;
      }
    }
    expect(invalid).toBeGreaterThan(0);
    expect(invalid / usccs).toBeLessThan(0.03);
    expect(variants / names).toBeGreaterThan(0.02);
    expect(variants / names).toBeLessThan(0.3);
  });

  it("is easy for identifiers alone but leaves real work: ID-only clustering is precise, not complete", () => {
    const predicted = new Map<string, string>();
    for (const s of sources.filter((x) => x.spec.base === "population")) {
      for (const [recordId, raw] of column(s, "idNumber")) {
        let id = narrow(raw).trim().toUpperCase();
        if (/^\d{15}$/.test(id)) id = upgradeLegacyId(id);
        if (parseCitizenId(id, { today: AS_OF }).ok) predicted.set(`${s.spec.code}/${recordId}`, id);
      }
    }
    const quality = pairwiseQuality(
      sources.filter((x) => x.spec.base === "population"),
      predicted,
    );
    expect(quality.precision).toBe(1);
    expect(quality.recall).toBeGreaterThan(0.8);
    expect(quality.recall).toBeLessThan(0.97);
  });
});

describe("pairwiseQuality", () => {
  const spec = DEMO_SOURCES[0]!;
  /** Records a1 a2 a3 of entity A, b1 b2 of B, c1 of C, in one source. */
  const tiny: GeneratedSource[] = [
    {
      spec,
      body: Buffer.alloc(0),
      rows: 6,
      truth: new Map([
        ["a1", "A"],
        ["a2", "A"],
        ["a3", "A"],
        ["b1", "B"],
        ["b2", "B"],
        ["c1", "C"],
      ]),
    },
  ];
  const clustering = (clusters: string[][]) =>
    new Map(clusters.flatMap((members, i) => members.map((m) => [`${spec.code}/${m}`, `p${i}`] as const)));

  it("scores the truth itself 1/1/1", () => {
    const q = pairwiseQuality(tiny, clustering([["a1", "a2", "a3"], ["b1", "b2"], ["c1"]]));
    expect(q).toEqual({ precision: 1, recall: 1, f1: 1, truePairs: 4, predictedPairs: 4, correctPairs: 4 });
  });

  it("lowers precision when two true entities are merged", () => {
    const q = pairwiseQuality(tiny, clustering([["a1", "a2", "a3", "b1", "b2"], ["c1"]]));
    expect(q).toMatchObject({ truePairs: 4, predictedPairs: 10, correctPairs: 4, precision: 0.4, recall: 1 });
    expect(q.f1).toBeCloseTo(0.8 / 1.4, 12);
  });

  it("lowers recall when an entity is split, and treats unpredicted records as singletons", () => {
    const q = pairwiseQuality(tiny, clustering([["a1"], ["a2", "a3"], ["b1", "b2"]]));
    expect(q).toMatchObject({ truePairs: 4, predictedPairs: 2, correctPairs: 2, precision: 1, recall: 0.5 });
    expect(q.f1).toBeCloseTo(2 / 3, 12);
  });

  it("counts a mixed clustering exactly and ignores predictions for records without truth", () => {
    const predicted = clustering([["a1", "a2", "b1"], ["a3", "b2", "c1"], ["broken-row"]]);
    const q = pairwiseQuality(tiny, predicted);
    // Predicted pairs: 3 + 3; correct: a1–a2 only; true pairs: 3 (A) + 1 (B).
    expect(q).toMatchObject({ truePairs: 4, predictedPairs: 6, correctPairs: 1 });
    expect(q.precision).toBeCloseTo(1 / 6, 12);
    expect(q.recall).toBeCloseTo(1 / 4, 12);
  });

  it("counts the pairs of 200,000 records from cluster sizes", () => {
    const truth = new Map<string, string>();
    const predicted = new Map<string, string>();
    for (let i = 0; i < 200_000; i++) {
      truth.set(`r${i}`, `e${i >> 1}`);
      predicted.set(`${spec.code}/r${i}`, `p${i >> 2}`);
    }
    const q = pairwiseQuality([{ spec, body: Buffer.alloc(0), rows: truth.size, truth }], predicted);
    // Truth: 100,000 pairs; predicted: 50,000 clusters of four (6 pairs each), holding both true pairs.
    expect(q).toMatchObject({ truePairs: 100_000, predictedPairs: 300_000, correctPairs: 100_000 });
    expect(q.precision).toBeCloseTo(1 / 3, 12);
    expect(q.recall).toBe(1);
  });
});
