/**
 * The indicator formula language (docs/indicators.md): JSON trees of aggregations over twin entities
 * — their attributes' current values, or telemetry windows read from the roll-ups — and ratios.
 * This file checks a formula (every problem named by its JSON pointer) and works out what it
 * depends on, so the engine re-evaluates an indicator only when one of those changes.
 */
import { sql } from "drizzle-orm";
import type { FieldError } from "../../../kernel/http/errors";
import { AppError } from "../../../kernel/http/errors";
import { CORE_CONTEXT, NGSI_LD } from "../twin/context";
import { expandAttrName, expandType, isUri } from "../twin/entity";
import { qToSql } from "../twin/query";

export const AGGREGATIONS = ["sum", "avg", "max", "min", "count", "latest"] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];
export const RATE_BASES = ["change", "sum", "count"] as const;
export type RateBasis = (typeof RATE_BASES)[number];

export interface Selector {
  /** Entity types (terms of the core context, or IRIs); any of them. */
  type?: string | string[];
  /** Entity ids; any of them. */
  id?: string | string[];
  /** An Area entity: entities whose refArea or partOf points to it or to an area within it. */
  area?: string;
  /** Entities within `distance` metres of another entity (between the centres of their locations). */
  near?: { entity: string; distance: number };
  /** An NGSI-LD query (ETSI GS CIM 009 §4.9) over the entities' attributes. */
  q?: string;
}

export interface AggregateNode {
  op: Aggregation;
  select: Selector;
  /** The attribute aggregated (optional for count, which then counts entities). */
  attr?: string;
  /** Seconds: aggregate the telemetry readings of this window instead of the current values. */
  window?: number;
  scale?: number;
}

export interface RateNode {
  op: "rate";
  select: Selector;
  attr: string;
  window: number;
  /** change: value change per minute (default); sum: readings' total per minute; count: readings per minute. */
  basis?: RateBasis;
  scale?: number;
}

export interface RatioNode {
  op: "ratio";
  num: Formula;
  den: Formula;
  scale?: number;
}

export interface ConstNode {
  op: "const";
  value: number;
}

export type Formula = AggregateNode | RateNode | RatioNode | ConstNode | number;

export const MIN_WINDOW = 60;
export const MAX_WINDOW = 7 * 86_400;
export const MAX_DISTANCE = 10_000;
const MAX_NODES = 16;
const MAX_DEPTH = 5;
const MAX_LIST = 100;

const SELECTOR_KEYS = new Set(["type", "id", "area", "near", "q"]);
const KEYS: Record<string, Set<string>> = {
  aggregate: new Set(["op", "select", "attr", "window", "scale"]),
  rate: new Set(["op", "select", "attr", "window", "basis", "scale"]),
  ratio: new Set(["op", "num", "den", "scale"]),
  const: new Set(["op", "value"]),
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === "object" && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

class Checker {
  readonly errors: FieldError[] = [];
  nodes = 0;

  fail(field: string, message: string): void {
    this.errors.push({ field, message });
  }

  unknownKeys(value: Record<string, unknown>, allowed: Set<string>, path: string): void {
    for (const key of Object.keys(value))
      if (!allowed.has(key))
        this.fail(`${path}/${key}`, `unknown member; allowed: ${[...allowed].join(", ")}`);
  }

  /** A name the NGSI-LD layer accepts (it throws a ProblemDetails we turn into a field error). */
  name(value: unknown, path: string, check: (v: string) => void): void {
    if (typeof value !== "string" || value.length === 0) {
      this.fail(path, "must be a non-empty string");
      return;
    }
    try {
      check(value);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      this.fail(path, e.message);
    }
  }

  list(value: unknown, path: string, item: (v: unknown, p: string) => void): void {
    if (Array.isArray(value)) {
      if (value.length === 0 || value.length > MAX_LIST) {
        this.fail(path, `must list 1 to ${MAX_LIST} items`);
        return;
      }
      for (const [i, v] of value.entries()) item(v, `${path}/${i}`);
    } else item(value, path);
  }

  selector(value: unknown, path: string): void {
    if (!isObject(value)) {
      this.fail(path, "must be an object selecting entities (type, id, area, near, q)");
      return;
    }
    this.unknownKeys(value, SELECTOR_KEYS, path);
    if (
      value.type === undefined &&
      value.id === undefined &&
      value.area === undefined &&
      value.near === undefined
    )
      this.fail(path, "must narrow the entities by at least one of type, id, area or near");
    if (value.type !== undefined)
      this.list(value.type, `${path}/type`, (v, p) => this.name(v, p, (t) => expandType(CORE_CONTEXT, t)));
    if (value.id !== undefined)
      this.list(value.id, `${path}/id`, (v, p) => {
        if (!isUri(v)) this.fail(p, "must be an entity id (a URI such as urn:ngsi-ld:Camera:001)");
      });
    if (value.area !== undefined && !isUri(value.area))
      this.fail(`${path}/area`, "must be the id of an Area entity (a URI)");
    if (value.near !== undefined) {
      const near = value.near;
      if (!isObject(near)) this.fail(`${path}/near`, "must be {entity, distance}");
      else {
        this.unknownKeys(near, new Set(["entity", "distance"]), `${path}/near`);
        if (!isUri(near.entity)) this.fail(`${path}/near/entity`, "must be an entity id (a URI)");
        if (!isFiniteNumber(near.distance) || near.distance <= 0 || near.distance > MAX_DISTANCE)
          this.fail(`${path}/near/distance`, `must be metres, more than 0 and at most ${MAX_DISTANCE}`);
      }
    }
    if (value.q !== undefined) {
      if (typeof value.q !== "string" || value.q.length === 0 || value.q.length > 1000)
        this.fail(`${path}/q`, "must be an NGSI-LD query of 1 to 1000 characters");
      else this.name(value.q, `${path}/q`, (q) => qToSql(CORE_CONTEXT, q, sql`e`));
    }
  }

  scale(value: Record<string, unknown>, path: string): void {
    if (value.scale !== undefined && (!isFiniteNumber(value.scale) || value.scale === 0))
      this.fail(`${path}/scale`, "must be a non-zero number");
  }

  window(value: unknown, path: string, required: boolean): void {
    if (value === undefined) {
      if (required) this.fail(path, "is required: the window in seconds");
      return;
    }
    if (!Number.isInteger(value) || (value as number) < MIN_WINDOW || (value as number) > MAX_WINDOW)
      this.fail(path, `must be whole seconds from ${MIN_WINDOW} to ${MAX_WINDOW}`);
  }

  attr(value: unknown, path: string, required: boolean): void {
    if (value === undefined) {
      if (required) this.fail(path, "is required: the attribute to aggregate");
      return;
    }
    this.name(value, path, (a) => expandAttrName(CORE_CONTEXT, a));
  }

  formula(value: unknown, path: string, depth: number): void {
    if (++this.nodes > MAX_NODES) {
      if (this.nodes === MAX_NODES + 1) this.fail(path, `a formula has at most ${MAX_NODES} nodes`);
      return;
    }
    if (depth > MAX_DEPTH) {
      this.fail(path, `formulas nest at most ${MAX_DEPTH} levels`);
      return;
    }
    if (typeof value === "number") {
      if (!Number.isFinite(value)) this.fail(path, "must be a finite number");
      return;
    }
    if (!isObject(value)) {
      this.fail(path, "must be a formula object or a number");
      return;
    }
    const op = value.op;
    if ((AGGREGATIONS as readonly unknown[]).includes(op)) {
      this.unknownKeys(value, KEYS.aggregate!, path);
      this.selector(value.select, `${path}/select`);
      this.attr(value.attr, `${path}/attr`, op !== "count");
      this.window(value.window, `${path}/window`, false);
      if (op === "count" && value.window !== undefined && value.attr === undefined)
        this.fail(`${path}/attr`, "is required with a window: count counts the attribute's readings");
      this.scale(value, path);
    } else if (op === "rate") {
      this.unknownKeys(value, KEYS.rate!, path);
      this.selector(value.select, `${path}/select`);
      this.attr(value.attr, `${path}/attr`, true);
      this.window(value.window, `${path}/window`, true);
      if (value.basis !== undefined && !(RATE_BASES as readonly unknown[]).includes(value.basis))
        this.fail(`${path}/basis`, `must be one of ${RATE_BASES.join(", ")}`);
      this.scale(value, path);
    } else if (op === "ratio") {
      this.unknownKeys(value, KEYS.ratio!, path);
      if (value.num === undefined) this.fail(`${path}/num`, "is required: the numerator formula");
      else this.formula(value.num, `${path}/num`, depth + 1);
      if (value.den === undefined) this.fail(`${path}/den`, "is required: the denominator formula");
      else this.formula(value.den, `${path}/den`, depth + 1);
      this.scale(value, path);
    } else if (op === "const") {
      this.unknownKeys(value, KEYS.const!, path);
      if (!isFiniteNumber(value.value)) this.fail(`${path}/value`, "must be a finite number");
    } else {
      this.fail(`${path}/op`, `must be one of ${[...AGGREGATIONS, "rate", "ratio", "const"].join(", ")}`);
    }
  }
}

/** The problems of a formula, each with the JSON pointer of its member under `base`; none when valid. */
export function checkFormula(value: unknown, base: string): FieldError[] {
  const checker = new Checker();
  checker.formula(value, base, 1);
  return checker.errors;
}

/** Selectors of a formula's aggregations, in order. */
export function selectorsOf(formula: Formula): (AggregateNode | RateNode)[] {
  if (typeof formula === "number" || formula.op === "const") return [];
  if (formula.op === "ratio") return [...selectorsOf(formula.num), ...selectorsOf(formula.den)];
  return [formula];
}

/** Whether the formula reads a telemetry window (its value changes as time passes, not only with data). */
export function usesWindow(formula: Formula): boolean {
  return selectorsOf(formula).some((n) => n.window !== undefined);
}

export const asList = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

const REF_AREA = expandAttrName(CORE_CONTEXT, "refArea");
const PART_OF = expandAttrName(CORE_CONTEXT, "partOf");
const LOCATION = `${NGSI_LD}location`;
/** Stands for any entity type in a dependency key. */
export const ANY = "*";

/** Attribute names a `q` refers to (the first segment of each path), as IRIs. */
export function attributesOfQ(q: string): string[] {
  const names = new Set<string>();
  for (const part of q.split(/[;|()]/)) {
    const path = part.split(/[=!<>~]/)[0]!.trim();
    if (!path) continue;
    const first = path.replace(/\[.*$/, "").split(".")[0]!;
    if (first) names.add(expandAttrName(CORE_CONTEXT, first));
  }
  return [...names];
}

/**
 * What a formula depends on: keys `owner\u0000attribute` where owner is an entity id (for selectors
 * pinned to ids), an entity type IRI, or ANY. A change of that attribute on such an entity may
 * change the value. Deleting or creating an entity of a type (or id) in `owners` may too.
 */
export function dependenciesOf(formula: Formula): { keys: Set<string>; owners: Set<string> } {
  const keys = new Set<string>();
  const owners = new Set<string>();
  for (const node of selectorsOf(formula)) {
    const s = node.select;
    const attrs = new Set<string>();
    if (node.attr) attrs.add(expandAttrName(CORE_CONTEXT, node.attr));
    if (s.q) for (const a of attributesOfQ(s.q)) attrs.add(a);
    if (s.area) attrs.add(REF_AREA).add(PART_OF);
    if (s.near) attrs.add(LOCATION);
    const ids = asList(s.id);
    const types = asList(s.type).map((t) => expandType(CORE_CONTEXT, t));
    const nodeOwners = ids.length > 0 ? ids : types.length > 0 ? types : [ANY];
    for (const owner of nodeOwners) {
      owners.add(owner);
      for (const a of attrs) keys.add(`${owner}\u0000${a}`);
    }
    // An area grows or shrinks when any entity's partOf changes; a reference entity may move.
    if (s.area) keys.add(`${ANY}\u0000${PART_OF}`);
    if (s.near) {
      keys.add(`${s.near.entity}\u0000${LOCATION}`);
      owners.add(s.near.entity);
    }
  }
  return { keys, owners };
}
