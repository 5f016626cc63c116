import {
  type BinaryOp,
  childrenOf,
  type Expr,
  ExpressionError,
  FORBIDDEN_NAMES,
  type LogicalOp,
  MAX_DEPTH,
  MAX_SOURCE_LENGTH,
  type UnaryOp,
} from "./ast";
import { type Dialect, type Token, Tokenizer } from "./tokenizer";

type Operator =
  | { kind: "logical"; op: LogicalOp; precedence: number }
  | { kind: "binary"; op: BinaryOp; precedence: number };

const or = { kind: "logical", op: "or", precedence: 1 } as const;
const and = { kind: "logical", op: "and", precedence: 2 } as const;
const binary = (op: BinaryOp, precedence: number): Operator => ({ kind: "binary", op, precedence });

// Keyed by token text: JUEL spells most operators both as symbols and as words.
const BINARY_OPERATORS: Record<Dialect, ReadonlyMap<string, Operator>> = {
  juel: new Map<string, Operator>([
    ["||", or],
    ["or", or],
    ["&&", and],
    ["and", and],
    ...(["==", "eq"] as const).map((t) => [t, binary("eq", 3)] as const),
    ...(["!=", "ne"] as const).map((t) => [t, binary("ne", 3)] as const),
    ...(["<", "lt"] as const).map((t) => [t, binary("lt", 4)] as const),
    ...(["<=", "le"] as const).map((t) => [t, binary("le", 4)] as const),
    ...([">", "gt"] as const).map((t) => [t, binary("gt", 4)] as const),
    ...([">=", "ge"] as const).map((t) => [t, binary("ge", 4)] as const),
    ["+", binary("add", 5)],
    ["-", binary("sub", 5)],
    ["*", binary("mul", 6)],
    ...(["/", "div"] as const).map((t) => [t, binary("div", 6)] as const),
    ...(["%", "mod"] as const).map((t) => [t, binary("mod", 6)] as const),
  ]),
  feel: new Map<string, Operator>([
    ["or", or],
    ["and", and],
    ["=", binary("eq", 3)],
    ["!=", binary("ne", 3)],
    ["<", binary("lt", 3)],
    ["<=", binary("le", 3)],
    [">", binary("gt", 3)],
    [">=", binary("ge", 3)],
    ["in", binary("in", 3)],
    ["+", binary("addOrConcat", 5)],
    ["-", binary("sub", 5)],
    ["*", binary("mul", 6)],
    ["/", binary("div", 6)],
  ]),
};

const UNARY_OPERATORS: Record<Dialect, ReadonlyMap<string, UnaryOp>> = {
  juel: new Map<string, UnaryOp>([
    ["!", "not"],
    ["not", "not"],
    ["-", "negate"],
    ["empty", "empty"],
  ]),
  // FEEL's `not` is a function, `not(x)`, handled with the other primaries.
  feel: new Map<string, UnaryOp>([["-", "negate"]]),
};

const KEYWORDS: Record<Dialect, ReadonlySet<string>> = {
  juel: new Set([
    "and",
    "or",
    "not",
    "eq",
    "ne",
    "lt",
    "gt",
    "le",
    "ge",
    "div",
    "mod",
    "empty",
    "instanceof",
  ]),
  feel: new Set(["and", "or", "not", "in", "if", "then", "else"]),
};

const LITERALS: ReadonlyMap<string, boolean | null> = new Map([
  ["true", true],
  ["false", false],
  ["null", null],
]);

/**
 * Parses the three surface syntaxes BPMN tools write:
 * `= amount > 1000` (FEEL), `${amount > 1000}` or a template `Leave of ${days} days` (JUEL), and a bare
 * `amount > 1000`, read as a JUEL body. Surrounding whitespace is ignored, as XML attribute values
 * often carry it.
 */
export function parseExpression(source: string): Expr {
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new ExpressionError(`Expression is longer than ${MAX_SOURCE_LENGTH} characters`, MAX_SOURCE_LENGTH);
  }
  const start = source.search(/\S/);
  if (start === -1) throw new ExpressionError("Empty expression", 0);
  if (source[start] === "=") return parseBody(source, start + 1, "feel", null).expr;
  if (/[$#]\{/.test(source)) return parseTemplate(source);
  return parseBody(source, 0, "juel", null).expr;
}

function parseTemplate(source: string): Expr {
  const parts: Expr[] = [];
  const embedded: Expr[] = [];
  let text = "";
  let textStart = 0;
  let onlyWhitespaceText = true;
  const flushText = () => {
    if (text === "") return;
    parts.push(build({ kind: "literal", value: text, position: textStart }));
    if (text.trim() !== "") onlyWhitespaceText = false;
  };
  let i = 0;
  while (i < source.length) {
    if (source[i] === "\\" && isOpening(source, i + 1)) {
      // JUEL's escape for a literal `${` in text.
      text += source.slice(i + 1, i + 3);
      i += 3;
    } else if (isOpening(source, i)) {
      flushText();
      const { expr, end } = parseBody(source, i + 2, "juel", i);
      parts.push(expr);
      embedded.push(expr);
      i = end;
      text = "";
      textStart = i;
    } else {
      text += source[i];
      i += 1;
    }
  }
  flushText();
  // `${approved}` must stay a boolean, not become the text "true".
  if (embedded.length === 1 && onlyWhitespaceText) return embedded[0]!;
  return build({ kind: "template", parts, position: 0 });
}

function isOpening(source: string, index: number): boolean {
  return (source[index] === "$" || source[index] === "#") && source[index + 1] === "{";
}

/** `opening` is where `${` starts when the body must end with `}`, or null when it runs to the end. */
function parseBody(source: string, start: number, dialect: Dialect, opening: number | null) {
  const parser = new Parser(source, start, dialect);
  const expr = parser.expression();
  return { expr, end: parser.finish(opening) };
}

// Depth of every node built, so the limit is checked in O(1) per node rather than by re-walking trees.
const depths = new WeakMap<Expr, number>();

function build<T extends Expr>(node: T): T {
  let depth = 1;
  for (const child of childrenOf(node)) depth = Math.max(depth, (depths.get(child) ?? 1) + 1);
  if (depth > MAX_DEPTH) throw tooDeep(node.position);
  depths.set(node, depth);
  return node;
}

function tooDeep(position: number): ExpressionError {
  return new ExpressionError(`Expression is nested more than ${MAX_DEPTH} levels deep`, position);
}

function unexpected(token: Token): ExpressionError {
  if (token.type === "end") return new ExpressionError("Unexpected end of expression", token.position);
  return new ExpressionError(`Unexpected token ${JSON.stringify(token.text)}`, token.position);
}

function checkName(name: string, position: number): void {
  if (FORBIDDEN_NAMES.has(name)) throw new ExpressionError(`Access to "${name}" is not allowed`, position);
}

/** A Pratt parser: one method per precedence tier that is not a plain binary operator. */
class Parser {
  private readonly tokens: Tokenizer;
  private token: Token;
  // Recursion depth, bounded separately from AST depth because parentheses nest without adding nodes.
  private nesting = 0;

  constructor(
    private readonly source: string,
    start: number,
    private readonly dialect: Dialect,
  ) {
    this.tokens = new Tokenizer(source, start, dialect);
    this.token = this.tokens.next();
  }

  /** Returns the offset just after the expression, i.e. after its closing `}` if it has one. */
  finish(opening: number | null): number {
    if (opening !== null && this.isPunct("}")) return this.token.position + 1;
    if (opening !== null && this.token.type === "end") {
      const delimiter = this.source.slice(opening, opening + 2);
      throw new ExpressionError(`Missing "}" to close "${delimiter}"`, opening);
    }
    if (opening !== null || this.token.type !== "end") throw unexpected(this.token);
    return this.token.position;
  }

  expression(): Expr {
    return this.nested(() => {
      const test = this.binary(1);
      if (this.dialect !== "juel" || !this.isPunct("?")) return test;
      const question = this.advance();
      const consequent = this.expression();
      this.expect(":");
      const alternate = this.expression();
      return build({ kind: "conditional", test, consequent, alternate, position: question.position });
    });
  }

  private binary(minPrecedence: number): Expr {
    let left = this.unary();
    for (;;) {
      const key = this.token.type === "punct" || this.token.type === "name" ? this.token.value : "";
      const operator = BINARY_OPERATORS[this.dialect].get(key);
      if (operator === undefined || operator.precedence < minPrecedence) return left;
      const { position } = this.advance();
      // precedence + 1 makes every binary operator left-associative: a - b - c is (a - b) - c.
      const right = this.binary(operator.precedence + 1);
      left =
        operator.kind === "logical"
          ? build({ kind: "logical", op: operator.op, left, right, position })
          : build({ kind: "binary", op: operator.op, left, right, position });
    }
  }

  private unary(): Expr {
    const key = this.token.type === "punct" || this.token.type === "name" ? this.token.value : "";
    const op = UNARY_OPERATORS[this.dialect].get(key);
    if (op === undefined) return this.postfix(this.primary());
    const { position } = this.advance();
    return this.nested(() => build({ kind: "unary", op, operand: this.unary(), position }));
  }

  private postfix(target: Expr): Expr {
    let expr = target;
    for (;;) {
      if (this.isPunct(".")) {
        this.advance();
        const name = this.advance();
        if (name.type !== "name") throw unexpected(name);
        checkName(name.value, name.position);
        if (this.isPunct("(")) {
          throw new ExpressionError(
            `Method calls such as .${name.value}() are not supported; call a function by name, e.g. size(x)`,
            this.token.position,
          );
        }
        const property = build({ kind: "literal", value: name.value, position: name.position });
        expr = build({ kind: "member", object: expr, property, position: name.position });
      } else if (this.isPunct("[")) {
        if (this.dialect === "feel") {
          throw new ExpressionError(
            "Filters and indexes are not supported in FEEL expressions",
            this.token.position,
          );
        }
        const { position } = this.advance();
        const property = this.expression();
        this.expect("]");
        if (property.kind === "literal" && typeof property.value === "string") {
          checkName(property.value, property.position);
        }
        expr = build({ kind: "member", object: expr, property, position });
      } else if (this.isPunct("(")) {
        throw new ExpressionError("Only a function name can be called, e.g. size(x)", this.token.position);
      } else {
        return expr;
      }
    }
  }

  private primary(): Expr {
    const token = this.token;
    switch (token.type) {
      case "number":
      case "string":
        this.advance();
        return build({ kind: "literal", value: token.value, position: token.position });
      case "punct":
        if (token.value === "(") {
          this.advance();
          const inner = this.expression();
          this.expect(")");
          return inner;
        }
        if (token.value === "[") {
          this.advance();
          const items = this.list("]");
          return build({ kind: "list", items, position: token.position });
        }
        throw unexpected(token);
      case "name":
        return this.name(token.value, token.position);
      case "end":
        throw unexpected(token);
    }
  }

  private name(name: string, position: number): Expr {
    const literal = LITERALS.get(name);
    if (literal !== undefined) {
      this.advance();
      return build({ kind: "literal", value: literal, position });
    }
    if (this.dialect === "feel" && name === "if") return this.ifThenElse();
    if (this.dialect === "feel" && name === "not") {
      this.advance();
      if (!this.isPunct("(")) throw new ExpressionError('Use "not(x)" in FEEL', position);
      this.advance();
      const operand = this.expression();
      this.expect(")");
      return build({ kind: "unary", op: "not", operand, position });
    }
    if (KEYWORDS[this.dialect].has(name)) {
      throw new ExpressionError(`Unexpected keyword ${JSON.stringify(name)}`, position);
    }
    checkName(name, position);
    this.advance();
    if (!this.isPunct("(")) return build({ kind: "variable", name, position });
    this.advance();
    return build({ kind: "call", name, args: this.list(")"), position });
  }

  /** FEEL's `if c then a else b`; the `else` branch extends as far right as it can, as in FEEL. */
  private ifThenElse(): Expr {
    const { position } = this.advance();
    const test = this.expression();
    this.expectKeyword("then");
    const consequent = this.expression();
    this.expectKeyword("else");
    const alternate = this.expression();
    return build({ kind: "conditional", test, consequent, alternate, position });
  }

  /** Comma-separated expressions up to `close`, whose opening bracket has been consumed. */
  private list(close: string): Expr[] {
    return this.nested(() => {
      const items: Expr[] = [];
      if (this.isPunct(close)) {
        this.advance();
        return items;
      }
      for (;;) {
        items.push(this.expression());
        if (this.isPunct(close)) {
          this.advance();
          return items;
        }
        this.expect(",");
      }
    });
  }

  private nested<T>(parse: () => T): T {
    if (this.nesting >= MAX_DEPTH) throw tooDeep(this.token.position);
    this.nesting += 1;
    const result = parse();
    this.nesting -= 1;
    return result;
  }

  private advance(): Token {
    const current = this.token;
    this.token = this.tokens.next();
    return current;
  }

  private isPunct(value: string): boolean {
    return this.token.type === "punct" && this.token.value === value;
  }

  private expect(value: string): void {
    if (!this.isPunct(value)) {
      const found = this.token.type === "end" ? "the end" : JSON.stringify(this.token.text);
      throw new ExpressionError(`Expected "${value}" but found ${found}`, this.token.position);
    }
    this.advance();
  }

  private expectKeyword(keyword: string): void {
    if (this.token.type !== "name" || this.token.value !== keyword) {
      const found = this.token.type === "end" ? "the end" : JSON.stringify(this.token.text);
      throw new ExpressionError(`Expected "${keyword}" but found ${found}`, this.token.position);
    }
    this.advance();
  }
}
