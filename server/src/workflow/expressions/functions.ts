/**
 * Functions every expression may call. Anything that depends on the world (`now()`, working days) is
 * passed in by the engine instead, so tests can fix the clock and the calendar.
 */
import { ExpressionError } from "./ast";
import { describe, isNull, isPlainObject, looseEquals, toNumber, toText } from "./values";

type Builtin = (args: readonly unknown[], position: number) => unknown;

function arity(name: string, args: readonly unknown[], min: number, max: number, position: number): void {
  if (args.length >= min && args.length <= max) return;
  const expected =
    min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min} to ${max}`;
  throw new ExpressionError(
    `${name}() expects ${expected} argument${/(^| )1$/.test(expected) ? "" : "s"}, got ${args.length}`,
    position,
  );
}

function size(args: readonly unknown[], position: number): number {
  arity("size", args, 1, 1, position);
  const [value] = args;
  if (isNull(value)) return 0;
  if (typeof value === "string" || Array.isArray(value)) return value.length;
  if (isPlainObject(value)) return Object.keys(value).length;
  throw new ExpressionError(`size() cannot measure ${describe(value)}`, position);
}

function contains(args: readonly unknown[], position: number): boolean {
  arity("contains", args, 2, 2, position);
  const [haystack, needle] = args;
  if (isNull(haystack)) return false;
  if (typeof haystack === "string") return haystack.includes(toText(needle, position));
  if (Array.isArray(haystack)) return haystack.some((item) => looseEquals(item, needle));
  throw new ExpressionError(`contains() cannot search ${describe(haystack)}`, position);
}

/** Half away from zero, like BigDecimal's HALF_UP that Camunda forms use for money. */
function round(args: readonly unknown[], position: number): number {
  arity("round", args, 1, 2, position);
  const value = toNumber(args[0], position);
  const digits = args.length > 1 ? toNumber(args[1], position) : 0;
  if (!Number.isInteger(digits) || digits < 0 || digits > 15) {
    throw new ExpressionError("round() takes a whole number of digits from 0 to 15", position);
  }
  const scale = 10 ** digits;
  // The EPSILON nudge makes 1.005 round to 1.01 although 1.005 * 100 is 100.49999999999999.
  return (Math.sign(value) * Math.round(Math.abs(value) * scale * (1 + Number.EPSILON))) / scale;
}

/** `max(a, b, c)` or `max(list)`, the latter for multi-instance collections. */
function extreme(name: "max" | "min"): Builtin {
  return (args, position) => {
    arity(name, args, 1, Number.POSITIVE_INFINITY, position);
    const [first] = args;
    const values = args.length === 1 && Array.isArray(first) ? first : args;
    if (values.length === 0) throw new ExpressionError(`${name}() of an empty list`, position);
    // reduce rather than Math.max(...numbers), which overflows the stack on a very long list.
    const numbers = values.map((value) => toNumber(value, position));
    return numbers.reduce((a, b) => (name === "max" ? Math.max(a, b) : Math.min(a, b)));
  };
}

function unary(name: string, convert: (value: unknown, position: number) => unknown): Builtin {
  return (args, position) => {
    arity(name, args, 1, 1, position);
    return convert(args[0], position);
  };
}

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ["size", size],
  ["contains", contains],
  ["number", unary("number", toNumber)],
  ["string", unary("string", toText)],
  ["upper", unary("upper", (value, position) => toText(value, position).toUpperCase())],
  ["lower", unary("lower", (value, position) => toText(value, position).toLowerCase())],
  ["round", round],
  ["max", extreme("max")],
  ["min", extreme("min")],
]);
