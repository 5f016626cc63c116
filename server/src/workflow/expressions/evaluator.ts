import { type BinaryOp, type Expr, ExpressionError, FORBIDDEN_NAMES, MAX_DEPTH } from "./ast";
import { BUILTINS } from "./functions";
import {
  compare,
  isEmpty,
  isNull,
  looseEquals,
  ownValue,
  readProperty,
  toBoolean,
  toNumber,
  toText,
} from "./values";

export type ExpressionFunction = (...args: unknown[]) => unknown;

/**
 * Evaluates a parsed (or stored) expression against process variables.
 *
 * `functions` are the engine's own (`now`, `workingDays`); they take precedence over the built-ins.
 * An unknown variable throws, so typos surface, except where it is only tested for absence: as the
 * operand of `empty` or of `==`/`!=`, where it (and a member chain on it) is null.
 */
export function evaluate(
  expr: Expr,
  variables: Readonly<Record<string, unknown>>,
  functions: Readonly<Record<string, ExpressionFunction>> = {},
): unknown {
  return new Evaluator(variables, functions).value(expr, 0, false);
}

class Evaluator {
  constructor(
    private readonly variables: Readonly<Record<string, unknown>>,
    private readonly functions: Readonly<Record<string, ExpressionFunction>>,
  ) {}

  /** `lenient`: an unknown variable or a member of null is null instead of an error. */
  value(node: Expr, depth: number, lenient: boolean): unknown {
    // The parser never builds deeper trees; this guards ASTs read back from storage.
    if (depth >= MAX_DEPTH) {
      throw new ExpressionError(`Expression is nested more than ${MAX_DEPTH} levels deep`, node.position);
    }
    const next = depth + 1;
    switch (node.kind) {
      case "literal":
        return node.value;
      case "variable":
        return this.variable(node.name, node.position, lenient);
      case "member": {
        const target = this.value(node.object, next, lenient);
        if (lenient && isNull(target)) return null;
        return readProperty(target, this.value(node.property, next, false), node.position);
      }
      case "unary":
        return this.unary(node, next);
      case "binary":
        return this.binary(node, next);
      case "logical": {
        // Short-circuits, and always yields a boolean, as JUEL coerces both sides.
        const left = toBoolean(this.value(node.left, next, false), node.left.position);
        if (node.op === "and" ? !left : left) return left;
        return toBoolean(this.value(node.right, next, false), node.right.position);
      }
      case "conditional": {
        const test = toBoolean(this.value(node.test, next, false), node.test.position);
        return this.value(test ? node.consequent : node.alternate, next, false);
      }
      case "call":
        return this.call(node.name, node.args, node.position, next);
      case "list":
        return node.items.map((item) => this.value(item, next, false));
      case "template":
        return node.parts.map((part) => toText(this.value(part, next, false), part.position)).join("");
      default: {
        const unknown: { kind?: unknown; position?: unknown } = node;
        const position = typeof unknown.position === "number" ? unknown.position : 0;
        throw new ExpressionError(`Unknown expression node ${JSON.stringify(unknown.kind)}`, position);
      }
    }
  }

  private variable(name: string, position: number, lenient: boolean): unknown {
    if (FORBIDDEN_NAMES.has(name)) throw new ExpressionError(`Access to "${name}" is not allowed`, position);
    if (Object.hasOwn(this.variables, name)) return ownValue(this.variables, name, position);
    if (lenient) return null;
    throw new ExpressionError(`Unknown variable ${name}`, position);
  }

  private unary(node: Extract<Expr, { kind: "unary" }>, depth: number): unknown {
    const operand = this.value(node.operand, depth, node.op === "empty");
    switch (node.op) {
      case "not":
        return !toBoolean(operand, node.operand.position);
      case "negate":
        return -toNumber(operand, node.operand.position);
      case "empty":
        return isEmpty(operand);
    }
    throw new ExpressionError(`Unknown operator ${JSON.stringify(node.op)}`, node.position);
  }

  private binary(node: Extract<Expr, { kind: "binary" }>, depth: number): unknown {
    const lenient = node.op === "eq" || node.op === "ne";
    const left = this.value(node.left, depth, lenient);
    const right = this.value(node.right, depth, lenient);
    return applyBinary(node, left, right);
  }

  private call(name: string, args: readonly Expr[], position: number, depth: number): unknown {
    // Looked up before the arguments are evaluated, so a misspelt name is the error reported.
    const own = Object.hasOwn(this.functions, name) ? this.functions[name] : undefined;
    const builtin = BUILTINS.get(name);
    if (typeof own !== "function" && builtin === undefined) {
      throw new ExpressionError(`Unknown function ${name}`, position);
    }
    const values = args.map((arg) => this.value(arg, depth, false));
    if (typeof own !== "function") return builtin?.(values, position);
    try {
      return own(...values) ?? null;
    } catch (error) {
      if (error instanceof ExpressionError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ExpressionError(`Function ${name} failed: ${reason}`, position, { cause: error });
    }
  }
}

// Maps rather than object literals: an `op` read back from storage must not find Object.prototype members.
const ORDERINGS: ReadonlyMap<BinaryOp, (sign: number) => boolean> = new Map<
  BinaryOp,
  (sign: number) => boolean
>([
  ["lt", (sign) => sign < 0],
  ["le", (sign) => sign <= 0],
  ["gt", (sign) => sign > 0],
  ["ge", (sign) => sign >= 0],
]);

const ARITHMETIC: ReadonlyMap<BinaryOp, (a: number, b: number) => number> = new Map<
  BinaryOp,
  (a: number, b: number) => number
>([
  ["add", (a, b) => a + b],
  ["addOrConcat", (a, b) => a + b],
  ["sub", (a, b) => a - b],
  ["mul", (a, b) => a * b],
  ["div", (a, b) => a / b],
  ["mod", (a, b) => a % b],
]);

function applyBinary(node: Extract<Expr, { kind: "binary" }>, left: unknown, right: unknown): unknown {
  const { op, position } = node;
  if (op === "eq") return looseEquals(left, right);
  if (op === "ne") return !looseEquals(left, right);
  if (op === "in")
    return Array.isArray(right) ? right.some((item) => looseEquals(left, item)) : looseEquals(left, right);
  // FEEL joins two strings with +; JUEL's + is always arithmetic.
  if (op === "addOrConcat" && typeof left === "string" && typeof right === "string") return left + right;
  const ordering = ORDERINGS.get(op);
  if (ordering !== undefined) {
    // EL: every ordering involving null is false.
    const sign = compare(left, right, position);
    return sign !== null && ordering(sign);
  }
  const operation = ARITHMETIC.get(op);
  if (operation === undefined) throw new ExpressionError(`Unknown operator ${JSON.stringify(op)}`, position);
  const a = toNumber(left, node.left.position);
  const b = toNumber(right, node.right.position);
  if ((op === "div" || op === "mod") && b === 0) throw new ExpressionError("Division by zero", position);
  const result = operation(a, b);
  if (!Number.isFinite(result)) throw new ExpressionError("Result is too large", position);
  return result;
}
