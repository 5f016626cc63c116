/**
 * Department datasets for the demo of master data fusion (人口库, 法人库), with their ground truth.
 *
 * Each source is what one department would hand over: its own column names, its own subset of people
 * or enterprises and of fields, its own date, phone and code conventions, and the errors its data entry
 * makes (typos, traditional characters, full-width digits, mistyped IDs, old 15-digit IDs, missing
 * values, stale addresses, duplicates). `truth` maps every loadable record to the entity it describes,
 * so entity resolution can be scored with `pairwiseQuality`. The sources are described one by one in
 * demo-sources.plans.ts, the people and enterprises behind them in demo-sources.subjects.ts, and the
 * ways of writing values and making mistakes in demo-sources.values.ts.
 *
 * Error rates are realistic rather than adversarial: a resolver that validates check characters, reads
 * full-width digits and traditional characters and compares name, birth date, phone and address can
 * reach pairwise precision ≥ 0.98 and recall ≥ 0.95.
 *
 * Malformed rows (grid-visit and housing-rental only): a CSV row missing its last column and a truncated
 * JSON line cannot be loaded, so they have no truth entry; a row with an impossible birth date
 * ("1985-02-30") is structurally sound and keeps its truth entry: only that field is invalid.
 *
 * Deterministic: the same options give byte-identical files. Profiles come from one stream per base
 * and each source draws from its own stream, derived from the seed and the source's code.
 */
import iconv from "iconv-lite";
import { buildOrganisation } from "../../../demo/organisation";
import { Random } from "../../../demo/random";
import type { DemoCitizen, DemoEnterprise } from "../../../demo/types";
import {
  type Column,
  ENTERPRISE_PLANS,
  type EnterprisePlan,
  enterpriseRendering,
  type PersonPlan,
  type PlanBase,
  POPULATION_PLANS,
  personRendering,
  perturbEnterprise,
  perturbPerson,
  renderEnterprise,
  renderPerson,
  type Values,
} from "./demo-sources.plans";
import { type Firm, Households, type Person, profileFirm, profilePeople } from "./demo-sources.subjects";
import { formatDate } from "./demo-sources.values";
import type { MasterBase } from "./standardise/fields";

/** Which master-data base a source feeds: 人口库 (population) or 法人库 (legal persons). */
export type { MasterBase };

/** A demo source as the loader registers it: code, owning bureau, format and column mapping. */
export interface DemoSourceSpec {
  /** e.g. "ps-household" (lowercase, hyphen). */
  code: string;
  /** Chinese, e.g. "公安户籍及居住登记人口信息". */
  name: string;
  /** Bureau key from server/src/demo/bureaus.ts. */
  bureau: string;
  base: MasterBase;
  format: "csv" | "csv-gbk" | "ndjson";
  /** The column holding the source's own record id. */
  keyColumn: string;
  /** Source column → canonical field; columns not in the mapping are extra columns the loader ignores. */
  mapping: Record<string, string>;
}

/** A generated source file with the ground truth of its records. */
export interface GeneratedSource {
  spec: DemoSourceSpec;
  /** CSV with a header row (UTF-8, or GBK for "csv-gbk"), or NDJSON (one JSON object per line). */
  body: Buffer;
  /** Data rows in the file, malformed ones included. */
  rows: number;
  /** Source record id → true entity key (the citizen's real idNumber, the enterprise's real uscc). */
  truth: Map<string, string>;
}

function specOf(plan: PersonPlan | EnterprisePlan): DemoSourceSpec {
  const mapping: Record<string, string> = {};
  for (const column of plan.columns as readonly Column<string, unknown>[])
    if (column.field) mapping[column.name] = column.field;
  const { code, name, bureau, base, format, keyColumn } = plan;
  return { code, name, bureau, base, format, keyColumn, mapping };
}

/** The published sources: 14 population sources and 4 legal-person sources. */
export const DEMO_SOURCES: readonly DemoSourceSpec[] = [...POPULATION_PLANS, ...ENTERPRISE_PLANS].map(specOf);

// ---------------------------------------------------------------------------------------------------
// Drawing a source's records and writing its file.

interface Drawing<S> {
  entity: (subject: S) => string;
  render: (rng: Random, subject: S) => Values;
  perturb: (rng: Random, values: Values) => void;
  /** The subject's birth date made impossible (30 February), for a structurally sound broken row. */
  invalidDate?: (subject: S) => string;
}

type AnyPlan<S> = PlanBase<string, S> & { errors: { duplicate?: number } };

type Breakage = "missingColumn" | "truncated" | "invalidDate";

interface Task<S> {
  subject: S;
  duplicate: boolean;
  broken: Breakage | null;
}

const duplicateRate = (plan: { errors: { duplicate?: number } }) => plan.errors.duplicate ?? 0.01;

/**
 * Splits a base's record total over its requested sources by weight. A source cannot hold more records
 * than its eligible subjects (plus their duplicates), so what it cannot take goes to the others.
 */
function allocate(total: number, weights: readonly number[], capacities: readonly number[]): number[] {
  const exact = weights.map(() => 0);
  const open = new Set(weights.keys());
  let remaining = total;
  for (let capped = true; capped && open.size > 0; ) {
    capped = false;
    let weight = 0;
    for (const i of open) weight += weights[i]!;
    for (const i of open) {
      exact[i] = weight > 0 ? (remaining * weights[i]!) / weight : 0;
      if (exact[i]! > capacities[i]!) {
        exact[i] = capacities[i]!;
        remaining -= capacities[i]!;
        open.delete(i);
        capped = true;
        break;
      }
    }
  }
  // Rounding the running sum keeps the rounded parts adding up to the rounded total.
  let sum = 0;
  return exact.map((x) => {
    const before = Math.round(sum);
    sum += x;
    return Math.round(sum) - before;
  });
}

/** Which subjects the source holds, in file order: a sample of the eligible, about 1 % of them twice. */
function drawTasks<S>(plan: AnyPlan<S>, rng: Random, pool: readonly S[], rows: number): Task<S>[] {
  const unique = Math.min(pool.length, Math.round(rows / (1 + duplicateRate(plan))));
  const chosen = rng.sample(pool, unique);
  // The sample is in random order, so its head is a random choice of subjects recorded twice.
  const tasks: Task<S>[] = chosen.map((subject) => ({ subject, duplicate: false, broken: null }));
  for (const subject of chosen.slice(0, Math.min(unique, rows - unique)))
    tasks.push({ subject, duplicate: true, broken: null });
  for (let i = tasks.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [tasks[i], tasks[j]] = [tasks[j]!, tasks[i]!];
  }
  return tasks;
}

/** Marks a few rows of a source marked `malformed` as broken, as described in the file comment. */
function breakTasks<S>(plan: AnyPlan<S>, rng: Random, tasks: readonly Task<S>[]): void {
  if (!plan.malformed || tasks.length < 20) return;
  const count = Math.min(5, Math.max(1, Math.round(tasks.length * 0.0005)));
  const withDates = plan.format !== "ndjson" && plan.columns.some((c) => c.field === "birthDate");
  const victims = rng.sample(tasks, withDates ? 2 * count : count);
  victims.forEach((task, i) => {
    task.broken = plan.format === "ndjson" ? "truncated" : i < count ? "missingColumn" : "invalidDate";
  });
}

const NEEDS_QUOTES = /[",\r\n]/;

function csvCell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A CSV line; quotes the cells that need it, in place. */
function csvLine(cells: (string | number | null)[]): string {
  for (let i = 0; i < cells.length; i++) cells[i] = csvCell(cells[i]!);
  return cells.join(",");
}

function jsonLine(
  header: readonly string[],
  cells: readonly (string | number | null)[],
  missing: PlanBase<string, unknown>["missing"],
): string {
  const object: Record<string, string | number | null> = {};
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (cell !== null) object[header[i]!] = cell;
    else if (missing === "null") object[header[i]!] = null;
    else if (missing === "empty") object[header[i]!] = "";
  }
  return JSON.stringify(object);
}

/**
 * Collects a file's lines and encodes them a thousand at a time: the bytes live outside the JavaScript
 * heap, so a 200,000-line file does not make garbage collection the largest cost.
 */
class FileWriter {
  private readonly chunks: Buffer[] = [];
  private pending: string[] = [];
  private readonly newline: string;

  constructor(private readonly plan: AnyPlan<unknown>) {
    // The GBK exports come from Windows-era systems, with CRLF line ends.
    this.newline = plan.format === "csv-gbk" ? "\r\n" : "\n";
    if (plan.bom) this.chunks.push(Buffer.from("\uFEFF", "utf8"));
  }

  push(line: string): void {
    this.pending.push(line);
    if (this.pending.length === 1024) this.flush();
  }

  bytes(): Buffer {
    this.flush();
    return Buffer.concat(this.chunks);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join(this.newline) + this.newline;
    this.chunks.push(this.plan.format === "csv-gbk" ? iconv.encode(text, "gbk") : Buffer.from(text, "utf8"));
    this.pending = [];
  }
}

/** One source's file and truth. Rows are written as they are drawn, so only finished text stays in memory. */
function generateOne<S>(
  plan: AnyPlan<S>,
  seed: number,
  pool: readonly S[],
  rows: number,
  households: Households,
  drawing: Drawing<S>,
): GeneratedSource {
  const rng = Random.derive(seed, `demo-sources/${plan.code}`);
  const tasks = drawTasks(plan, rng, pool, rows);
  breakTasks(plan, rng, tasks);

  const header = [plan.keyColumn, ...plan.columns.map((c) => c.name)];
  // What the loop needs, read from the plan once: plans differ in shape, and the loop should not care.
  const fields = plan.columns.map((c) => c.field ?? null);
  const extras = plan.columns.map((c) => c.extra ?? null);
  const ndjson = plan.format === "ndjson";
  const missing = plan.missing;
  const dateAt = fields.indexOf("birthDate") + 1;
  const [prefix, digits] = plan.recordId;
  let sequence = rng.int(1, 10 ** (digits - 3));
  const truth = new Map<string, string>();
  const lines = new FileWriter(plan as AnyPlan<unknown>);
  if (!ndjson) lines.push(csvLine([...header]));
  // Plain loops: this runs for every record, where even a closure per record costs measurably.
  for (const { subject, duplicate, broken } of tasks) {
    sequence += rng.int(1, 3);
    const recordId = prefix + String(sequence).padStart(digits, "0");
    const values = drawing.render(rng, subject);
    if (duplicate) drawing.perturb(rng, values);
    const cells: (string | number | null)[] = [recordId];
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i];
      cells.push(field ? (values[field] ?? null) : extras[i]!(rng, subject, households));
    }
    if (broken === "invalidDate" && drawing.invalidDate) cells[dateAt] = drawing.invalidDate(subject);
    if (broken === "missingColumn") cells.pop();
    if (!ndjson) lines.push(csvLine(cells));
    else {
      const json = jsonLine(header, cells, missing);
      lines.push(broken === "truncated" ? json.slice(0, Math.floor(json.length / 2)) : json);
    }
    if (broken !== "missingColumn" && broken !== "truncated") truth.set(recordId, drawing.entity(subject));
  }
  const spec = specOf(plan as unknown as PersonPlan | EnterprisePlan);
  return { spec, body: lines.bytes(), rows: tasks.length, truth };
}

const PLANS_BY_CODE: ReadonlyMap<string, PersonPlan | EnterprisePlan> = new Map(
  [...POPULATION_PLANS, ...ENTERPRISE_PLANS].map((plan) => [plan.code, plan]),
);

/**
 * Department source files for the given district, with the ground truth of which record is whom,
 * in DEMO_SOURCES order. The requested sources of a base split its record total by their weights; a
 * source holds each eligible subject at most once (about 1 % of them twice), and what it cannot hold
 * goes to the others, so the total falls short only when all of them are full.
 */
export function generateSources(options: {
  seed: number;
  citizens: readonly DemoCitizen[];
  enterprises: readonly DemoEnterprise[];
  /** Total population records over the requested population sources (default 2 × citizens.length). */
  personRecords?: number;
  /** Total legal-person records over the requested legal-person sources (default 2 × enterprises.length). */
  enterpriseRecords?: number;
  /** Only these sources (codes); default all. */
  sources?: readonly string[];
}): GeneratedSource[] {
  const seed = options.seed >>> 0;
  const wanted = options.sources ?? DEMO_SOURCES.map((s) => s.code);
  for (const code of wanted)
    if (!PLANS_BY_CODE.has(code)) throw new RangeError(`Unknown demo source "${code}"`);
  const plans = DEMO_SOURCES.filter((s) => wanted.includes(s.code)).map((s) => PLANS_BY_CODE.get(s.code)!);
  const personPlans = plans.filter((p): p is PersonPlan => p.base === "population");
  const enterprisePlans = plans.filter((p): p is EnterprisePlan => p.base === "legalPerson");
  const communities = buildOrganisation().communities;

  const firmRng = Random.derive(seed, "demo-sources/enterprises");
  const firms = options.enterprises.map((e) => profileFirm(firmRng, e, communities));
  const people = personPlans.length > 0 ? profilePeople(seed, options.citizens, firms, communities) : [];
  const households = new Households(people);

  const generated = new Map<string, GeneratedSource>();
  const personPools = personPlans.map((plan) => people.filter(plan.eligible));
  const personRows = allocate(
    options.personRecords ?? 2 * options.citizens.length,
    personPlans.map((p) => p.share),
    personPools.map((pool, i) => Math.floor(pool.length * (1 + duplicateRate(personPlans[i]!)))),
  );
  personPlans.forEach((plan, i) => {
    const drawing = personDrawing(plan);
    generated.set(plan.code, generateOne(plan, seed, personPools[i]!, personRows[i]!, households, drawing));
  });
  const firmPools = enterprisePlans.map((plan) => firms.filter(plan.eligible));
  const firmRows = allocate(
    options.enterpriseRecords ?? 2 * options.enterprises.length,
    enterprisePlans.map((p) => p.share),
    firmPools.map((pool, i) => Math.floor(pool.length * (1 + duplicateRate(enterprisePlans[i]!)))),
  );
  enterprisePlans.forEach((plan, i) => {
    const drawing = enterpriseDrawing(plan);
    generated.set(plan.code, generateOne(plan, seed, firmPools[i]!, firmRows[i]!, households, drawing));
  });
  return plans.map((plan) => generated.get(plan.code)!);
}

function personDrawing(plan: PersonPlan): Drawing<Person> {
  const rendering = personRendering(plan);
  return {
    entity: (p) => p.citizen.idNumber,
    render: (rng, p) => renderPerson(rng, rendering, p),
    perturb: perturbPerson,
    invalidDate: (p) => formatDate(`${p.citizen.birthDate.slice(0, 4)}-02-30`, plan.date),
  };
}

function enterpriseDrawing(plan: EnterprisePlan): Drawing<Firm> {
  const rendering = enterpriseRendering(plan);
  return {
    entity: (f) => f.enterprise.uscc,
    render: (rng, f) => renderEnterprise(rng, rendering, f),
    perturb: perturbEnterprise,
    invalidDate: undefined,
  };
}

// ---------------------------------------------------------------------------------------------------
// Scoring a resolution against the truth.

/** The small integer standing for `key`, counting how often it was asked for. */
function countedId(ids: Map<string, number>, sizes: number[], key: string): number {
  let id = ids.get(key);
  if (id === undefined) {
    id = sizes.length;
    ids.set(key, id);
    sizes.push(0);
  }
  sizes[id]!++;
  return id;
}

/**
 * Pairwise precision, recall and F1 of a predicted clustering against the truth of `sources`.
 * `predicted` maps "<source code>/<record id>" to a predicted entity id. Only records with a truth entry
 * count; one the prediction leaves out counts as a cluster of its own, and predictions for records
 * without truth (unloadable rows) are ignored. Pairs are counted from cluster sizes (n choose 2), never
 * enumerated. With no pairs on a side, its measure is 1 (nothing to get wrong, nothing to miss).
 */
export function pairwiseQuality(
  sources: readonly GeneratedSource[],
  predicted: ReadonlyMap<string, string>,
): {
  precision: number;
  recall: number;
  f1: number;
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
} {
  // Entities and clusters become small integers; a record is then the number cluster × 2^32 + entity,
  // and equal numbers, found by sorting, are records sharing both.
  let records = 0;
  for (const source of sources) records += source.truth.size;
  const joint = new Float64Array(records);
  const entityIds = new Map<MasterBase, Map<string, number>>();
  const clusterIds = new Map<string, number>();
  const trueSizes: number[] = [];
  const predictedSizes: number[] = [];
  let placed = 0;
  for (const source of sources) {
    const { base, code } = source.spec;
    // Entities of the two bases never coincide, even if an idNumber and a uscc did.
    const entities = entityIds.get(base) ?? new Map<string, number>();
    entityIds.set(base, entities);
    for (const [recordId, entity] of source.truth) {
      const entityId = countedId(entities, trueSizes, entity);
      const cluster = predicted.get(`${code}/${recordId}`);
      // A record the prediction leaves out is a cluster of its own: it makes no pairs.
      if (cluster !== undefined)
        joint[placed++] = countedId(clusterIds, predictedSizes, cluster) * 2 ** 32 + entityId;
    }
  }
  const shared = joint.subarray(0, placed).sort();
  let correctPairs = 0;
  for (let i = 0, run = 1; i < shared.length; i++) {
    if (i + 1 < shared.length && shared[i + 1] === shared[i]) run++;
    else {
      correctPairs += (run * (run - 1)) / 2;
      run = 1;
    }
  }
  const pairs = (sizes: readonly number[]) => {
    let sum = 0;
    for (const n of sizes) sum += (n * (n - 1)) / 2;
    return sum;
  };
  const truePairs = pairs(trueSizes);
  const predictedPairs = pairs(predictedSizes);
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, truePairs, predictedPairs, correctPairs };
}
