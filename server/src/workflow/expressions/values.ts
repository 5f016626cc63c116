/**
 * JUEL-like coercions shared by the operators and the built-in functions. They are stricter than JUEL
 * where JUEL would silently turn a mistake into a value (null or "abc" as a number, "yes" as false).
 */
import { ExpressionError, FORBIDDEN_NAMES } from "./ast";

// What Java's Double.valueOf accepts, minus hex, Infinity and NaN.
const NUMERIC = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** JSON variables hold null; JavaScript callers may pass undefined. Both mean "no value". */
export function isNull(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** How a value is named in error messages; short, and never the whole of a large value. */
export function describe(value: unknown): string {
  if (isNull(value)) return "null";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  if (Array.isArray(value)) return "a list";
  if (value instanceof Date) return "a date";
  if (typeof value === "function") return "a function";
  return "an object";
}

export function toNumber(value: unknown, position: number): number {
  if (typeof value === "number" && !Number.isNaN(value)) return value;
  if (typeof value === "string" && NUMERIC.test(value)) return Number(value);
  throw new ExpressionError(`Cannot use ${describe(value)} as a number`, position);
}

/** null is false, as in JUEL; "true"/"false" strings come from HTML forms; anything else is a mistake. */
export function toBoolean(value: unknown, position: number): boolean {
  if (typeof value === "boolean") return value;
  if (isNull(value)) return false;
  if (typeof value === "string") {
    const lower = value.toLowerCase();
    if (lower === "true" || lower === "false") return lower === "true";
  }
  throw new ExpressionError(`Cannot use ${describe(value)} as a boolean`, position);
}

export function toText(value: unknown, position: number): string {
  if (isNull(value)) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  if (Array.isArray(value) || isPlainObject(value)) {
    try {
      return JSON.stringify(value);
    } catch (error) {
      throw new ExpressionError(`Cannot convert ${describe(value)} to text`, position, { cause: error });
    }
  }
  throw new ExpressionError(`Cannot convert ${describe(value)} to text`, position);
}

/** JUEL's `empty`. */
export function isEmpty(value: unknown): boolean {
  if (isNull(value) || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.keys(value).length === 0;
}

/** `==`: numbers and numeric strings compare as numbers, form strings "true"/"false" as booleans. */
export function looseEquals(left: unknown, right: unknown): boolean {
  if (isNull(left) || isNull(right)) return isNull(left) && isNull(right);
  if (left instanceof Date && right instanceof Date) return left.getTime() === right.getTime();
  if (typeof left === typeof right) return left === right;
  const [number, other] = typeof left === "number" ? [left, right] : [right, left];
  if (typeof number === "number" && typeof other === "string") {
    return NUMERIC.test(other) && Number(other) === number;
  }
  const [boolean, text] = typeof left === "boolean" ? [left, right] : [right, left];
  if (typeof boolean === "boolean" && typeof text === "string") return text.toLowerCase() === String(boolean);
  return false;
}

/**
 * Sign of left − right, or null when either side is null: EL says every ordering with null is false.
 * Two strings compare as text (by UTF-16 code unit, like Java); a string against a number as numbers.
 */
export function compare(left: unknown, right: unknown, position: number): number | null {
  if (isNull(left) || isNull(right)) return isNull(left) && isNull(right) ? 0 : null;
  if (typeof left === "string" && typeof right === "string") return left < right ? -1 : left > right ? 1 : 0;
  if (left instanceof Date && right instanceof Date) return Math.sign(left.getTime() - right.getTime());
  const numeric = (value: unknown) => typeof value === "number" || typeof value === "string";
  if (numeric(left) && numeric(right)) {
    const a = toNumber(left, position);
    const b = toNumber(right, position);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  throw new ExpressionError(`Cannot compare ${describe(left)} with ${describe(right)}`, position);
}

/**
 * Reads an own data property of a plain object or an element of an array, and nothing else: no
 * prototype chain, no getters, no properties of strings, dates or class instances. A missing key or an
 * index out of range is null, as in JUEL.
 */
export function readProperty(target: unknown, key: unknown, position: number): unknown {
  if (typeof key === "string" && FORBIDDEN_NAMES.has(key)) {
    throw new ExpressionError(`Access to "${key}" is not allowed`, position);
  }
  if (isNull(target)) {
    throw new ExpressionError(`Cannot read ${keyText(key)} of null`, position);
  }
  if (Array.isArray(target)) {
    if (key === "length") {
      throw new ExpressionError("Lists have no properties; use size(x) for the length", position);
    }
    if (typeof key !== "number" || !Number.isInteger(key)) {
      throw new ExpressionError(`A list index must be a whole number, not ${describe(key)}`, position);
    }
    return ownValue(target, String(key), position);
  }
  if (isPlainObject(target)) {
    if (typeof key !== "string" && typeof key !== "number") {
      throw new ExpressionError(`A property name must be text, not ${describe(key)}`, position);
    }
    return ownValue(target, String(key), position);
  }
  throw new ExpressionError(`Cannot read ${keyText(key)} of ${describe(target)}`, position);
}

export function ownValue(target: object, key: string, position: number): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  if (descriptor === undefined) return null;
  if (!("value" in descriptor))
    throw new ExpressionError(`Cannot read ${key}: it is computed by a getter`, position);
  return descriptor.value ?? null;
}

function keyText(key: unknown): string {
  return typeof key === "string" ? key : describe(key);
}
