/**
 * The compiled form of an expression and the one error every stage throws.
 *
 * The AST is plain JSON data (no classes, no functions, finite numbers only) so the engine can compile
 * an expression when a process is deployed, store it, and evaluate the stored copy later.
 */

/** Bounds that keep parsing and evaluation cheap and the JavaScript stack safe, whatever the input. */
export const MAX_SOURCE_LENGTH = 2000;
export const MAX_DEPTH = 64;

/** Names that lead to the prototype chain; refused everywhere, even when a plain object owns them. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export class ExpressionError extends Error {
  override readonly name = "ExpressionError";
  /** 0-based offset into the source string, so a modeler can underline the exact spot. */
  readonly position: number;

  constructor(problem: string, position: number, options?: ErrorOptions) {
    super(`${problem} at ${position}`, options);
    this.position = position;
  }
}

export type UnaryOp = "not" | "negate" | "empty";
export type LogicalOp = "and" | "or";
/**
 * `add` is JUEL's `+`, which never joins strings; `addOrConcat` is FEEL's `+`, which joins two strings.
 * `in` is FEEL's membership test.
 */
export type BinaryOp =
  | "add"
  | "addOrConcat"
  | "sub"
  | "mul"
  | "div"
  | "mod"
  | "eq"
  | "ne"
  | "lt"
  | "le"
  | "gt"
  | "ge"
  | "in";

/** Every node records where it came from in the source, for error messages raised during evaluation. */
export type Expr =
  | { kind: "literal"; value: string | number | boolean | null; position: number }
  | { kind: "variable"; name: string; position: number }
  | { kind: "member"; object: Expr; property: Expr; position: number }
  | { kind: "unary"; op: UnaryOp; operand: Expr; position: number }
  | { kind: "binary"; op: BinaryOp; left: Expr; right: Expr; position: number }
  | { kind: "logical"; op: LogicalOp; left: Expr; right: Expr; position: number }
  | { kind: "conditional"; test: Expr; consequent: Expr; alternate: Expr; position: number }
  | { kind: "call"; name: string; args: Expr[]; position: number }
  | { kind: "list"; items: Expr[]; position: number }
  /** A JUEL composite such as `Leave of ${days} days`: every part is converted to text and joined. */
  | { kind: "template"; parts: Expr[]; position: number };

export function childrenOf(node: Expr): Expr[] {
  switch (node.kind) {
    case "literal":
    case "variable":
      return [];
    case "member":
      return [node.object, node.property];
    case "unary":
      return [node.operand];
    case "binary":
    case "logical":
      return [node.left, node.right];
    case "conditional":
      return [node.test, node.consequent, node.alternate];
    case "call":
      return node.args;
    case "list":
      return node.items;
    case "template":
      return node.parts;
  }
}

/**
 * The root variable names an expression reads, in order of first appearance: `${order.total > limit}`
 * reads `order` and `limit`. Function names are not variables.
 */
export function expressionVariables(expr: Expr): string[] {
  const names = new Set<string>();
  // An explicit stack rather than recursion, so a stored AST of any depth cannot overflow the JS stack.
  const pending: Expr[] = [expr];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (node.kind === "variable") names.add(node.name);
    pending.push(...childrenOf(node).reverse());
  }
  return [...names];
}
