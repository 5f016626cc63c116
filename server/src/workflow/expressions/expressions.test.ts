// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${...}" in plain strings is the JUEL source under test.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Expr, ExpressionError, evaluate, expressionVariables, parseExpression } from "./expressions";

type Functions = Parameters<typeof evaluate>[2];

function run(source: string, variables: Record<string, unknown> = {}, functions?: Functions): unknown {
  return evaluate(parseExpression(source), variables, functions);
}

function errorOf(action: () => unknown): ExpressionError {
  try {
    action();
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error("expected an ExpressionError, but nothing was thrown");
}

/** The result, or the message of the ExpressionError, so two evaluations can be compared as data. */
function outcome(action: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: action() };
  } catch (error) {
    if (error instanceof ExpressionError) return { error: error.message };
    throw error;
  }
}

describe("how the engine calls it", () => {
  it("evaluates gateway, completion, timer and assignee expressions", () => {
    expect(run("${amount > 1000 && approved == true}", { amount: 1500, approved: true })).toBe(true);
    expect(run("= amount > 1000", { amount: 10 })).toBe(false);
    const instances = { nrOfCompletedInstances: 3, nrOfInstances: 5 };
    expect(run("${nrOfCompletedInstances / nrOfInstances >= 0.5}", instances)).toBe(true);
    const workingDays = (n: unknown) => `P${String(n)}D`;
    expect(run("${workingDays(3)}", {}, { workingDays })).toBe("P3D");
    expect(run("${initiator}", { initiator: "zhangsan" })).toBe("zhangsan");
  });

  it("accepts #{...}, a bare JUEL body, and whitespace around the expression", () => {
    expect(run("#{a + 1}", { a: 1 })).toBe(2);
    expect(run("amount > 1000", { amount: 1001 })).toBe(true);
    expect(run("\n  ${approved}\n", { approved: true })).toBe(true);
    expect(run("  = a", { a: 7 })).toBe(7);
  });
});

describe("JUEL operators", () => {
  const variables = {
    a: 7,
    b: 2,
    t: true,
    f: false,
    s: "abc",
    n: null,
    list: [10, 20],
    obj: { x: 1, "y z": 2 },
  };
  it.each<[string, unknown]>([
    ["${f || t}", true],
    ["${f or f}", false],
    ["${t && f}", false],
    ["${t and t}", true],
    ["${!t}", false],
    ["${not f}", true],
    ["${a == 7}", true],
    ["${a eq 8}", false],
    ["${a != 7}", false],
    ["${a ne 8}", true],
    ["${a < b}", false],
    ["${a lt 8}", true],
    ["${a > b}", true],
    ["${a gt 7}", false],
    ["${a <= 7}", true],
    ["${a le 6}", false],
    ["${a >= 8}", false],
    ["${a ge 7}", true],
    ["${a + b}", 9],
    ["${a - b}", 5],
    ["${a * b}", 14],
    ["${a / b}", 3.5],
    ["${a div b}", 3.5],
    ["${a % b}", 1],
    ["${a mod b}", 1],
    ["${-a}", -7],
    ["${- -a}", 7],
    ["${1 + 2 * 3}", 7],
    ["${(1 + 2) * 3}", 9],
    ["${10 - 4 - 3}", 3],
    ["${12 / 2 / 3}", 2],
    ["${!t || t}", true],
    ["${t || f && f}", true],
    ["${a > b ? 'big' : 'small'}", "big"],
    ["${f ? 1 : t ? 2 : 3}", 2],
    ["${empty n}", true],
    ["${empty s}", false],
    ["${empty ''}", true],
    ["${empty list}", false],
    ["${not empty list}", true],
    ["${obj.x}", 1],
    ["${obj['y z']}", 2],
    ['${obj["x"]}', 1],
    ["${list[1]}", 20],
    ["${list[a - 6]}", 20],
    ["${obj.missing}", null],
    ["${list[5]}", null],
    ["${1.5 + 0.25}", 1.75],
    ["${'it\\'s'}", "it's"],
    ['${"say \\"hi\\"\\n"}', 'say "hi"\n'],
    ["${true}", true],
    ["${null}", null],
    ["${[1, a, 'x']}", [1, 7, "x"]],
  ])("%s", (source, expected) => {
    expect(run(source, variables)).toEqual(expected);
  });

  it("evaluates empty for null, undefined, '', [] and {}", () => {
    for (const value of [null, undefined, "", [], {}]) expect(run("${empty x}", { x: value })).toBe(true);
    for (const value of [0, false, " ", [0], { a: 1 }]) expect(run("${empty x}", { x: value })).toBe(false);
  });

  it("short-circuits && and || and returns booleans", () => {
    const boom = () => {
      throw new Error("must not be called");
    };
    expect(run("${f && boom()}", { f: false }, { boom })).toBe(false);
    expect(run("${t || boom()}", { t: true }, { boom })).toBe(true);
    expect(run("${t && 'true'}", { t: true })).toBe(true);
    expect(run("${n || f}", { n: null, f: false })).toBe(false);
  });
});

describe("FEEL operators", () => {
  const variables = { a: 7, b: 2, t: true, f: false, s: "abc", n: null, obj: { x: 1 }, list: [1, 2] };
  it.each<[string, unknown]>([
    ["= a = 7", true],
    ["= a = 8", false],
    ["= a != 7", false],
    ["= a < b", false],
    ["= a <= 7", true],
    ["= a > b", true],
    ["= a >= 8", false],
    ["= t and f", false],
    ["= t or f", true],
    ["= not(f)", true],
    ["= not(a = 7 and t)", false],
    ["= a + b * 2", 11],
    ["= (a + b) * 2", 18],
    ["= a - b", 5],
    ["= a / b", 3.5],
    ["= -a", -7],
    ['= s = "abc"', true],
    ['= s + "def"', "abcdef"],
    ["= n = null", true],
    ["= obj.x", 1],
    ["= [1, a]", [1, 7]],
    ["= a in [1, 7]", true],
    ["= 3 in list", false],
    ["= 2 in 2", true],
    ['= if a > b then "big" else "small"', "big"],
    ["= if f then 1 else if t then 2 else 3", 2],
    ["= if t then 1 else 2 + 3", 1],
    ["= if f then 1 else 2 + 3", 5],
    ["= size(list)", 2],
  ])("%s", (source, expected) => {
    expect(run(source, variables)).toEqual(expected);
  });

  it("points at the habits of JUEL that FEEL does not share", () => {
    expect(errorOf(() => parseExpression("= a == 1")).message).toBe('Use "=" to compare in FEEL at 4');
    expect(errorOf(() => parseExpression("= a && b")).message).toBe('Use "and" in FEEL at 4');
    expect(errorOf(() => parseExpression("= !a")).message).toBe('Use "not(x)" in FEEL at 2');
    expect(errorOf(() => parseExpression("= not a")).message).toBe('Use "not(x)" in FEEL at 2');
    expect(errorOf(() => parseExpression("= 'x'")).message).toBe("Strings in FEEL use double quotes at 2");
    expect(errorOf(() => parseExpression("= list[1]")).message).toContain("not supported in FEEL");
    expect(errorOf(() => parseExpression("= if a then 1")).message).toBe(
      'Expected "else" but found the end at 13',
    );
  });
});

describe("templates", () => {
  it("joins text and expressions, converting values to text", () => {
    expect(run("Leave of ${days} days", { days: 3 })).toBe("Leave of 3 days");
    expect(run("${a}-${b}", { a: 1, b: true })).toBe("1-true");
    expect(run("[${n}]", { n: null })).toBe("[]");
    expect(run("${list} ${obj}", { list: [1, 2], obj: { k: "v" } })).toBe('[1,2] {"k":"v"}');
    expect(run("due ${d}", { d: new Date("2026-01-02T03:04:05Z") })).toBe("due 2026-01-02T03:04:05.000Z");
    expect(run("brace } and ${'}'}")).toBe("brace } and }");
  });

  it("keeps a single ${} as its value and treats \\${ as text", () => {
    expect(run("${approved}", { approved: true })).toBe(true);
    expect(run(" x ${approved}", { approved: true })).toBe(" x true");
    expect(run("costs \\${price}")).toBe("costs ${price}");
  });
});

describe("coercions close to JUEL", () => {
  it("compares and adds numeric strings as numbers", () => {
    expect(run("${'5' > 3}")).toBe(true);
    expect(run("${'10' > '9'}")).toBe(false); // two strings compare as text
    expect(run("${x == 5}", { x: "5.0" })).toBe(true);
    expect(run("${x == 5}", { x: "five" })).toBe(false);
    expect(run("${'5' + 3}")).toBe(8);
    expect(run("${x == true}", { x: "true" })).toBe(true);
  });

  it("refuses values that are not numbers in arithmetic, even where JUEL would coerce", () => {
    expect(errorOf(() => run("${'a' + 1}")).message).toBe('Cannot use "a" as a number at 2');
    expect(errorOf(() => run("${n + 1}", { n: null })).message).toBe("Cannot use null as a number at 2");
    expect(errorOf(() => run("${t * 2}", { t: true })).message).toBe("Cannot use true as a number at 2");
    expect(errorOf(() => run("${'abc' > 3}")).message).toBe('Cannot use "abc" as a number at 8');
    expect(errorOf(() => run("${a && t}", { a: 1, t: true })).message).toBe("Cannot use 1 as a boolean at 2");
  });

  it("orders with null as false, like EL", () => {
    expect(run("${n < 3}", { n: null })).toBe(false);
    expect(run("${n >= 3}", { n: null })).toBe(false);
    expect(run("${n <= n}", { n: null })).toBe(true);
  });

  it("compares dates", () => {
    const variables = { due: new Date("2026-01-02"), now: new Date("2026-01-01") };
    expect(run("${now < due}", variables)).toBe(true);
    expect(run("${now == due}", variables)).toBe(false);
  });
});

describe("unknown variables", () => {
  it("throw, so that typos surface", () => {
    const error = errorOf(() => run("${amout > 1000}", { amount: 1 }));
    expect(error.message).toBe("Unknown variable amout at 2");
    expect(error.position).toBe(2);
  });

  it("are null where only their absence is tested", () => {
    expect(run("${empty x}")).toBe(true);
    expect(run("${x == null}")).toBe(true);
    expect(run("${null != x}")).toBe(false);
    expect(run("${empty x.y.z}")).toBe(true);
    expect(run("${x.y == null}", { x: null })).toBe(true);
    expect(run("= x = null")).toBe(true);
  });

  it("still throw elsewhere", () => {
    expect(() => run("${!x}")).toThrow(ExpressionError);
    expect(() => run("${x > 1}")).toThrow(ExpressionError);
    expect(errorOf(() => run("${x.y}", { x: null })).message).toBe("Cannot read y of null at 4");
  });
});

describe("functions", () => {
  it.each<[string, unknown]>([
    ["${size('abc')}", 3],
    ["${size(list)}", 3],
    ["${size(obj)}", 2],
    ["${size(n)}", 0],
    ["${contains(list, 2)}", true],
    ["${contains(list, '2')}", true],
    ["${contains(list, 9)}", false],
    ["${contains('hello', 'ell')}", true],
    ["${contains(n, 1)}", false],
    ["${number('1.5') + 1}", 2.5],
    ["${string(12)}", "12"],
    ["${upper('abc')}", "ABC"],
    ["${lower('ABC')}", "abc"],
    ["${round(2.5)}", 3],
    ["${round(-2.5)}", -3],
    ["${round(1.005, 2)}", 1.01],
    ["${max(1, 5, 3)}", 5],
    ["${max(list)}", 3],
    ["${min(4, '2')}", 2],
  ])("%s", (source, expected) => {
    expect(run(source, { list: [1, 2, 3], obj: { a: 1, b: 2 }, n: null })).toEqual(expected);
  });

  it("lets the engine add functions and override built-ins", () => {
    const now = () => new Date("2026-03-01T00:00:00Z");
    expect(run("${now() > due}", { due: new Date("2026-02-01") }, { now })).toBe(true);
    expect(run("${size(x)}", { x: [1] }, { size: () => 42 })).toBe(42);
  });

  it("reports unknown functions, wrong arity and failing functions", () => {
    expect(errorOf(() => run("${f(1)}")).message).toBe("Unknown function f at 2");
    expect(errorOf(() => run("${now()}")).message).toBe("Unknown function now at 2");
    expect(errorOf(() => run("${size(1, 2)}")).message).toBe("size() expects 1 argument, got 2 at 2");
    expect(errorOf(() => run("${max()}")).message).toBe("max() expects at least 1 argument, got 0 at 2");
    const failing = () => {
      throw new Error("calendar missing");
    };
    const error = errorOf(() => run("${days(1)}", {}, { days: failing }));
    expect(error.message).toBe("Function days failed: calendar missing at 2");
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("refuses method calls and calls of anything but a name", () => {
    expect(errorOf(() => parseExpression("${order.total()}")).message).toBe(
      "Method calls such as .total() are not supported; call a function by name, e.g. size(x) at 13",
    );
    expect(errorOf(() => parseExpression("${(f)(1)}")).position).toBe(5);
  });
});

describe("errors say what is wrong and where", () => {
  it.each<[string, string, number]>([
    ["${amount > 1000)", 'Unexpected token ")" at 15', 15],
    ["${a +}", 'Unexpected token "}" at 5', 5],
    ["${a", 'Missing "}" to close "${" at 0', 0],
    ["text #{a", 'Missing "}" to close "#{" at 5', 5],
    ["${}", 'Unexpected token "}" at 2', 2],
    ["${'abc}", "Unterminated string at 2", 2],
    ["${'a\\q'}", 'Invalid escape "\\q" in string at 4', 4],
    ["${a @ b}", 'Unexpected character "@" at 4', 4],
    ["${a = 1}", 'Use "==" to compare (a single "=" is assignment) at 4', 4],
    ["${(a + 1}", 'Expected ")" but found "}" at 8', 8],
    ["${f(1 2)}", 'Expected "," but found "2" at 6', 6],
    ["${a ? 1}", 'Expected ":" but found "}" at 7', 7],
    ["${a and}", 'Unexpected token "}" at 7', 7],
    ["${and}", 'Unexpected keyword "and" at 2', 2],
    ["${list.length}", "Lists have no properties; use size(x) for the length at 7", 7],
    ["", "Empty expression at 0", 0],
    ["=", "Unexpected end of expression at 1", 1],
    ["  = a +", "Unexpected end of expression at 7", 7],
    [`\${${"9".repeat(400)}}`, "Number is too large at 2", 2],
  ])("%s", (source, message, position) => {
    const error = errorOf(() => run(source, { a: 1, list: [] }));
    expect(error.message).toBe(message);
    expect(error.position).toBe(position);
    expect(error.name).toBe("ExpressionError");
  });

  it("positions evaluation errors at the operator or operand", () => {
    expect(errorOf(() => run("${a / b}", { a: 1, b: 0 })).message).toBe("Division by zero at 4");
    expect(errorOf(() => run("${a % 0}", { a: 1 })).message).toBe("Division by zero at 4");
    expect(errorOf(() => run("${a * a}", { a: 1e200 })).message).toBe("Result is too large at 4");
    expect(errorOf(() => run("${s.length}", { s: "abc" })).message).toBe('Cannot read length of "abc" at 4');
    expect(errorOf(() => run("${list['x']}", { list: [] })).message).toBe(
      'A list index must be a whole number, not "x" at 6',
    );
  });
});

describe("security", () => {
  const forbidden = [
    "${constructor}",
    "${a.__proto__}",
    "${a.constructor}",
    '${a["constructor"]}',
    "${a['__proto__']}",
    "${a.prototype}",
    "= a.constructor",
    "${f.prototype}",
  ];
  it.each(forbidden)("%s is refused when parsed", (source) => {
    expect(() => parseExpression(source)).toThrow(ExpressionError);
  });

  it("refuses forbidden keys computed at run time and in stored ASTs", () => {
    expect(() => run("${a[k]}", { a: {}, k: "constructor" })).toThrow(ExpressionError);
    expect(() => run("${a[k]}", { a: {}, k: "__proto__" })).toThrow(ExpressionError);
    expect(() => run("${a[k]}", { a: {}, k: ["constructor"] })).toThrow(ExpressionError);
    const stored: Expr = {
      kind: "member",
      object: { kind: "variable", name: "a", position: 2 },
      property: { kind: "literal", value: "__proto__", position: 4 },
      position: 4,
    };
    expect(() => evaluate(stored, { a: {} })).toThrow(ExpressionError);
    const root: Expr = { kind: "variable", name: "constructor", position: 2 };
    expect(() => evaluate(root, { constructor: 1 })).toThrow(ExpressionError);
  });

  it("never reaches Object.prototype: inherited names are not variables, properties or functions", () => {
    const variables = { a: {} };
    expect(() => run("${toString}", variables)).toThrow("Unknown variable toString");
    expect(() => run("${hasOwnProperty('a')}", variables)).toThrow("Unknown function hasOwnProperty");
    expect(() => run("${valueOf()}", variables, {})).toThrow("Unknown function valueOf");
    expect(run("${a.toString}", variables)).toBeNull();
    expect(run("${a.__defineGetter__}", variables)).toBeNull();
    expect(() => run("${s.length}", { s: "x" })).toThrow(ExpressionError);
    const one: Expr = { kind: "literal", value: 1, position: 0 };
    const forged = { kind: "binary", op: "toString", left: one, right: one, position: 0 } as unknown as Expr;
    expect(() => evaluate(forged, {})).toThrow('Unknown operator "toString"');
  });

  it("reads data properties without calling getters or proxy traps beyond descriptors", () => {
    let getterCalls = 0;
    const variables = {
      get secret() {
        getterCalls += 1;
        return "x";
      },
    };
    expect(() => run("${secret}", variables)).toThrow(ExpressionError);
    const traps: string[] = [];
    const watched = new Proxy(
      { a: 1 },
      {
        get(target, key, receiver) {
          traps.push(`get ${String(key)}`);
          return Reflect.get(target, key, receiver);
        },
      },
    );
    expect(run("${a}", watched)).toBe(1);
    expect(getterCalls).toBe(0);
    expect(traps).toEqual([]);
  });

  it("does not read properties of class instances, functions or strings", () => {
    class Account {
      balance = 5;
    }
    expect(() => run("${acc.balance}", { acc: new Account() })).toThrow("Cannot read balance of an object");
    expect(() => run("${f.name}", { f: () => 1 })).toThrow("Cannot read name of a function");
  });

  it("bounds the size and depth of what it parses and evaluates", () => {
    const inputs = [
      "x".repeat(2001),
      `\${${"(".repeat(1000)}1${")".repeat(990)}}`,
      `${"(".repeat(100)}1${")".repeat(100)}`,
      `${"!".repeat(1500)}x`,
      `${"-".repeat(1999)}1`,
      `1${"+1".repeat(900)}`,
      `a${".b".repeat(900)}`,
      `${"[".repeat(500)}${"]".repeat(500)}`,
      `= ${"if a then ".repeat(150)}`,
    ];
    for (const source of inputs) {
      const error = outcome(() => run(source, { a: true }));
      expect("error" in error ? error.error : "", source.slice(0, 20)).toMatch(
        /longer than|nested more than/,
      );
    }
    let deep: Expr = { kind: "literal", value: 1, position: 0 };
    for (let i = 0; i < 10_000; i++) deep = { kind: "unary", op: "negate", operand: deep, position: 0 };
    expect(() => evaluate(deep, {})).toThrow(ExpressionError);
    expect(() => evaluate({ kind: "nonsense" } as unknown as Expr, {})).toThrow(ExpressionError);
  });
});

describe("expressionVariables", () => {
  it("lists root variables in order, once, without function names", () => {
    const expr = parseExpression("${order.total > limit && contains(roles, 'x') && order[key] != limit}");
    expect(expressionVariables(expr)).toEqual(["order", "limit", "roles", "key"]);
    expect(expressionVariables(parseExpression("Dear ${name}, ${days} days"))).toEqual(["name", "days"]);
    expect(expressionVariables(parseExpression("= if a then b else c.d"))).toEqual(["a", "b", "c"]);
    expect(expressionVariables(parseExpression("${now()}"))).toEqual([]);
  });
});

describe("properties", () => {
  it("agrees with JavaScript on integer comparison and arithmetic, in both syntaxes", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (a, b) => {
        const variables = { a, b };
        expect(run("${a > b}", variables)).toBe(a > b);
        expect(run("${a < b}", variables)).toBe(a < b);
        expect(run("${a >= b}", variables)).toBe(a >= b);
        expect(run("${a <= b}", variables)).toBe(a <= b);
        expect(run("${a == b}", variables)).toBe(a === b);
        expect(run("${a != b}", variables)).toBe(a !== b);
        expect(run("${a + b}", variables)).toBe(a + b);
        expect(run("${a - b}", variables)).toBe(a - b);
        expect(run("${a * b}", variables)).toBe(a * b);
        expect(run(`\${${a} > ${b}}`)).toBe(a > b);
        expect(run(`\${${a} - ${b}}`)).toBe(a - b);
        expect(run("= a > b", variables)).toBe(a > b);
        expect(run("= a = b", variables)).toBe(a === b);
        expect(run("= a != b", variables)).toBe(a !== b);
        expect(run("= a + b", variables)).toBe(a + b);
        expect(run("= a * b", variables)).toBe(a * b);
        expect(run(`= ${a} <= ${b}`)).toBe(a <= b);
      }),
    );
  });

  it("agrees with JavaScript on boolean logic, in both syntaxes", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), (p, q) => {
        const variables = { p, q };
        expect(run("${p && q}", variables)).toBe(p && q);
        expect(run("${p || q}", variables)).toBe(p || q);
        expect(run("${p and not q}", variables)).toBe(p && !q);
        expect(run("${!p or q}", variables)).toBe(!p || q);
        expect(run("= p and q", variables)).toBe(p && q);
        expect(run("= p or not(q)", variables)).toBe(p || !q);
      }),
    );
  });

  const tokens = fc.constantFrom(
    ..."${ #{ } ( ) [ ] . , ? : ! = == != < <= > >= && || + - * / % ' \" \\ a b 1 2.5 if then else not empty and or in size( x.y".split(
      " ",
    ),
    " ",
    "= ",
  );
  const sources = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: "binary", maxLength: 300 }),
    fc.string({ unit: "grapheme", maxLength: 100 }),
    fc.array(tokens, { maxLength: 120 }).map((parts) => parts.join("")),
    fc.array(tokens, { maxLength: 40 }).map((parts) => `\${${parts.join("")}}`),
    fc.array(tokens, { maxLength: 40 }).map((parts) => `= ${parts.join("")}`),
  );

  it("throws nothing but ExpressionError, whatever the input", () => {
    const variables = { a: 1, b: "2", x: { y: [1] } };
    fc.assert(
      fc.property(sources, (source) => {
        // outcome() rethrows anything that is not an ExpressionError, failing the property.
        const parsed = outcome(() => parseExpression(source));
        if ("value" in parsed) outcome(() => evaluate(parsed.value as Expr, variables));
      }),
      { numRuns: 2000 },
    );
  });

  it("finishes quickly on the worst inputs it accepts", () => {
    const started = performance.now();
    for (let i = 0; i < 50; i++) {
      outcome(() => parseExpression(`\${'${"\\'".repeat(990)}'}`));
      outcome(() => parseExpression(`${"${a}".repeat(399)}`));
      outcome(() => parseExpression(`a${" ".repeat(1990)}+`));
    }
    // Generous: the point is linear work, not a benchmark.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  const quoted = (text: string) => text.replaceAll("\\", "\\\\").replaceAll("'", "\\'");
  const expressions = fc.letrec<{ expr: string; atom: string }>((tie) => ({
    atom: fc.oneof(
      fc.integer().map(String),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((n) => Math.abs(n).toFixed(3)),
      fc.string({ maxLength: 8 }).map((s) => `'${quoted(s)}'`),
      fc.constantFrom(
        "true",
        "false",
        "null",
        "n",
        "s",
        "flag",
        "list",
        "obj.x",
        "obj.none",
        "list[1]",
        "missing",
      ),
    ),
    expr: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      tie("atom"),
      fc
        .tuple(
          tie("expr"),
          fc.constantFrom(..."+ - * / % == != < > <= >= && || and or eq div mod".split(" ")),
          tie("expr"),
        )
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
      fc.tuple(fc.constantFrom("!", "-", "empty ", "not "), tie("expr")).map(([op, a]) => `${op}(${a})`),
      fc.tuple(tie("expr"), tie("expr"), tie("expr")).map(([a, b, c]) => `(${a} ? ${b} : ${c})`),
      fc
        .tuple(
          fc.constantFrom("size", "max", "min", "string", "number", "contains", "upper"),
          fc.array(tie("expr"), { maxLength: 3 }),
        )
        .map(([name, args]) => `${name}(${args.join(", ")})`),
      fc.array(tie("expr"), { maxLength: 3 }).map((items) => `[${items.join(", ")}]`),
    ),
  }));

  it("evaluates a stored (JSON round-tripped) AST exactly like the original", () => {
    const variables = { n: 5, s: "7", flag: true, list: [1, 2, 3], obj: { x: 2 } };
    fc.assert(
      fc.property(expressions.expr, fc.constantFrom("${%}", "%", "Total: ${%}!"), (body, shape) => {
        const parsed = outcome(() => parseExpression(shape.replace("%", () => body)));
        if (!("value" in parsed)) return;
        const original = parsed.value as Expr;
        const stored = JSON.parse(JSON.stringify(original)) as Expr;
        expect(stored).toEqual(original);
        expect(outcome(() => evaluate(stored, variables))).toEqual(
          outcome(() => evaluate(original, variables)),
        );
      }),
      { numRuns: 1000 },
    );
  });
});
