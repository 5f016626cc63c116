/**
 * The NGSI-LD query language (ETSI GS CIM 009 §4.9) for `q`, translated into SQL over the stored
 * attributes: `;` and, `|` or (and binds tighter), parentheses; `==`, `!=`, `>`, `>=`, `<`, `<=`,
 * `~=` (regular expression), `!~=`; ranges `a..b` and lists `a,b,c`; attribute paths with
 * sub-attributes or members (`speed.observedAt`) and value members (`address[city]`); a bare path
 * tests that the attribute exists. Values are numbers, booleans, "strings" or unquoted text (URIs,
 * date-times). Every value is a bind parameter.
 */
import { type SQL, sql } from "drizzle-orm";
import type { ActiveContext } from "./context";
import { bad, expandAttrName, isDateTime } from "./entity";

const MEMBER_NAMES = new Set(["observedAt", "unitCode", "datasetId", "createdAt", "modifiedAt"]);
const MAX_TERMS = 64;

type Literal = number | boolean | string;
type Op = "==" | "!=" | ">" | ">=" | "<" | "<=" | "~=" | "!~=";
type Node =
  | { kind: "and" | "or"; items: Node[] }
  | { kind: "term"; path: string; op?: Op; values?: Literal[]; range?: [Literal, Literal] };

class Parser {
  pos = 0;
  terms = 0;
  constructor(readonly text: string) {}

  fail(message: string): never {
    throw bad(`q: ${message} at position ${this.pos + 1} of "${this.text}"`);
  }

  peek(): string {
    return this.text[this.pos] ?? "";
  }

  parseOr(): Node {
    const items = [this.parseAnd()];
    while (this.peek() === "|") {
      this.pos++;
      items.push(this.parseAnd());
    }
    return items.length === 1 ? items[0]! : { kind: "or", items };
  }

  parseAnd(): Node {
    const items = [this.parseTerm()];
    while (this.peek() === ";") {
      this.pos++;
      items.push(this.parseTerm());
    }
    return items.length === 1 ? items[0]! : { kind: "and", items };
  }

  parseTerm(): Node {
    if (++this.terms > MAX_TERMS) this.fail(`more than ${MAX_TERMS} terms`);
    if (this.peek() === "(") {
      this.pos++;
      const inner = this.parseOr();
      if (this.peek() !== ")") this.fail("missing )");
      this.pos++;
      return inner;
    }
    const start = this.pos;
    while (this.pos < this.text.length && !/[=!<>~;|()]/.test(this.peek())) this.pos++;
    const path = this.text.slice(start, this.pos).trim();
    if (!path) this.fail("an attribute name is expected");
    const op = this.parseOp();
    if (!op) return { kind: "term", path };
    const values = this.parseValues();
    if (
      values.length === 1 &&
      typeof values[0] === "string" &&
      values[0].includes("..") &&
      !this.lastQuoted
    ) {
      const [low, high] = values[0].split("..");
      if (op !== "==" && op !== "!=") this.fail("a range goes with == or !=");
      return { kind: "term", path, op, range: [literal(low ?? ""), literal(high ?? "")] };
    }
    if (values.length > 1 && op !== "==" && op !== "!=") this.fail("a list of values goes with == or !=");
    return { kind: "term", path, op, values };
  }

  parseOp(): Op | null {
    for (const op of ["!~=", "==", "!=", ">=", "<=", "~=", ">", "<"] as const) {
      if (this.text.startsWith(op, this.pos)) {
        this.pos += op.length;
        return op;
      }
    }
    if (this.pos < this.text.length && !/[;|)]/.test(this.peek())) this.fail("an operator is expected");
    return null;
  }

  lastQuoted = false;

  parseValues(): Literal[] {
    const values: Literal[] = [];
    this.lastQuoted = false;
    for (;;) {
      if (this.peek() === '"') {
        const end = this.text.indexOf('"', this.pos + 1);
        if (end < 0) this.fail("unterminated string");
        values.push(this.text.slice(this.pos + 1, end));
        this.pos = end + 1;
        this.lastQuoted = true;
      } else {
        const start = this.pos;
        while (this.pos < this.text.length && !/[;|),]/.test(this.peek())) this.pos++;
        const raw = this.text.slice(start, this.pos);
        if (!raw) this.fail("a value is expected");
        if (/[<>=!~"'(]/.test(raw)) this.fail(`"${raw}" is not a value (quote text with ")`);
        values.push(raw.includes("..") ? raw : literal(raw));
      }
      if (this.peek() !== ",") return values;
      this.pos++;
    }
  }
}

function literal(raw: string): Literal {
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) return Number(raw);
  if (raw === "true") return true;
  if (raw === "false") return false;
  return raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
}

/** The attribute path → the SQL jsonb expression of the compared value, and of the attribute itself. */
function pathSql(
  context: ActiveContext,
  path: string,
  table: SQL,
): { value: SQL; exists: SQL; contains: ((v: Literal) => SQL) | null } {
  const brackets = [...path.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!);
  const dotted = path.replace(/\[.*$/, "");
  const [first, ...rest] = dotted.split(".");
  let attr = sql`${table}.attrs -> ${expandAttrName(context, first!)}`;
  let member: string | null = null;
  for (const part of rest) {
    if (member) throw bad(`q: nothing follows the member ${member} in "${path}"`);
    if (MEMBER_NAMES.has(part)) member = part;
    else attr = sql`${attr} -> ${expandAttrName(context, part)}`;
  }
  let value = member
    ? sql`(${attr} -> ${member})`
    : sql`coalesce(${attr} -> 'value', ${attr} -> 'object', ${attr} -> 'languageMap')`;
  for (const key of brackets) value = sql`(${value} -> ${key})`;
  // A top-level attribute's text or boolean value equals v exactly when the entity's terms (its
  // text, boolean and relationship values, GIN-indexed) contain it as the value or the object,
  // alone or in an array.
  const iri = expandAttrName(context, first!);
  const contains =
    rest.length === 0 && brackets.length === 0
      ? (v: Literal) =>
          sql`(${sql.join(
            [{ value: v }, { value: [v] }, { object: v }, { object: [v] }].map(
              (member) => sql`${table}.terms @> ${JSON.stringify({ [iri]: member })}::jsonb`,
            ),
            sql` or `,
          )})`
      : null;
  return { value, exists: sql`(${attr}) is not null`, contains };
}

function equals(value: SQL, v: Literal, contains: ((v: Literal) => SQL) | null): SQL {
  if (contains && typeof v !== "number") return contains(v);
  const json = JSON.stringify(v);
  return sql`(${value} = ${json}::jsonb or (jsonb_typeof(${value}) = 'array' and ${value} @> ${`[${json}]`}::jsonb))`;
}

function compare(value: SQL, op: ">" | ">=" | "<" | "<=", raw: Literal): SQL {
  const operator = sql.raw(op);
  // Date-times are stored in UTC with milliseconds; a literal in another form compares as the same instant.
  const v = isDateTime(raw) ? new Date(raw).toISOString() : raw;
  // jsonb orders null < strings < numbers < booleans < arrays < objects: a number above n and below
  // false is a number, as the planner sees a range (a typeof test would make it guess ~no rows).
  if (typeof v === "number")
    return op === ">" || op === ">="
      ? sql`(${value} ${operator} ${String(v)}::jsonb and ${value} < 'false'::jsonb)`
      : sql`(jsonb_typeof(${value}) = 'number' and ${value} ${operator} ${String(v)}::jsonb)`;
  return sql`(jsonb_typeof(${value}) = 'string' and (${value} #>> '{}') collate "C" ${operator} ${String(v)})`;
}

function termSql(context: ActiveContext, node: Extract<Node, { kind: "term" }>, table: SQL): SQL {
  const { value, exists, contains } = pathSql(context, node.path, table);
  if (!node.op) return exists;
  if (node.range) {
    const [low, high] = node.range;
    // Between two numbers is a number (see compare).
    const inRange =
      typeof low === "number" && typeof high === "number"
        ? sql`(${value} >= ${String(low)}::jsonb and ${value} <= ${String(high)}::jsonb)`
        : sql`(${compare(value, ">=", low)} and ${compare(value, "<=", high)})`;
    return node.op === "==" ? inRange : sql`(${exists} and not ${inRange})`;
  }
  const values = node.values!;
  switch (node.op) {
    case "==":
      return sql`(${sql.join(
        values.map((v) => equals(value, v, contains)),
        sql` or `,
      )})`;
    case "!=":
      return sql`(${value} is not null and not (${sql.join(
        values.map((v) => equals(value, v, null)),
        sql` or `,
      )}))`;
    case "~=":
    case "!~=": {
      const pattern = String(values[0]);
      const match = sql`(jsonb_typeof(${value}) = 'string' and (${value} #>> '{}') ~ ${pattern})`;
      return node.op === "~=" ? match : sql`(${value} is not null and not ${match})`;
    }
    default:
      return compare(value, node.op, values[0]!);
  }
}

function toSql(context: ActiveContext, node: Node, table: SQL): SQL {
  if (node.kind === "term") return termSql(context, node, table);
  const joiner = node.kind === "and" ? sql` and ` : sql` or `;
  return sql`(${sql.join(
    node.items.map((n) => toSql(context, n, table)),
    joiner,
  )})`;
}

/** `q` → a SQL condition over an operations.entities row (`table`: its alias in the query). */
export function qToSql(context: ActiveContext, q: string, table: SQL): SQL {
  const parser = new Parser(q);
  const tree = parser.parseOr();
  if (parser.pos !== q.length) parser.fail("unexpected character");
  return toSql(context, tree, table);
}
