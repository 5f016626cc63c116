import { ExpressionError } from "./ast";

/** JUEL is the `${...}` language of Camunda 7, Flowable and Activiti; FEEL is the `= ...` one of Zeebe. */
export type Dialect = "juel" | "feel";

interface Located {
  position: number;
  /** The source text of the token, quoted back in error messages. */
  text: string;
}

export type Token = Located &
  (
    | { type: "number"; value: number }
    | { type: "string" | "name" | "punct"; value: string }
    | { type: "end" }
  );

const WHITESPACE = /\s+/y;
const NUMBER = /\d+(?:\.\d+)?/y;
// Unicode letters, because process variables in Chinese (申请人) are legal Java and FEEL names.
const NAME = /[\p{L}_$][\p{L}\p{M}\p{N}_$]*/uy;

// Longest first, so `<=` is not read as `<` followed by `=`.
const PUNCTUATORS: Record<Dialect, readonly string[]> = {
  juel: [
    "==",
    "!=",
    "<=",
    ">=",
    "&&",
    "||",
    "<",
    ">",
    "!",
    "+",
    "-",
    "*",
    "/",
    "%",
    "?",
    ":",
    "(",
    ")",
    "[",
    "]",
    ".",
    ",",
    "}",
  ],
  feel: ["!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ".", ","],
};

// Habits carried over from the other dialect deserve a hint rather than a bare "unexpected character".
const HINTS: Record<Dialect, ReadonlyArray<readonly [string, string]>> = {
  juel: [["=", 'Use "==" to compare (a single "=" is assignment)']],
  feel: [
    ["==", 'Use "=" to compare in FEEL'],
    ["&&", 'Use "and" in FEEL'],
    ["||", 'Use "or" in FEEL'],
    ["!", 'Use "not(x)" in FEEL'],
    ["'", "Strings in FEEL use double quotes"],
  ],
};

const ESCAPES: ReadonlyMap<string, string> = new Map([
  ["\\", "\\"],
  ["'", "'"],
  ['"', '"'],
  ["n", "\n"],
  ["r", "\r"],
  ["t", "\t"],
]);

/**
 * Produces tokens on demand rather than all at once: inside a template the parser stops at the `}` that
 * closes `${`, and the text after it must not be read as expression tokens.
 */
export class Tokenizer {
  private index: number;

  constructor(
    private readonly source: string,
    start: number,
    private readonly dialect: Dialect,
  ) {
    this.index = start;
  }

  next(): Token {
    this.match(WHITESPACE);
    const start = this.index;
    const char = this.source[start];
    if (char === undefined) return { type: "end", text: "", position: start };
    if (char === '"' || (char === "'" && this.dialect === "juel")) return this.string(char);

    const number = this.match(NUMBER);
    if (number !== null) {
      const value = Number(number);
      // Keeps the AST JSON-serialisable: JSON turns Infinity into null.
      if (!Number.isFinite(value)) throw new ExpressionError("Number is too large", start);
      return { type: "number", value, text: number, position: start };
    }
    const name = this.match(NAME);
    if (name !== null) return { type: "name", value: name, text: name, position: start };

    const punctuator = PUNCTUATORS[this.dialect].find((p) => this.source.startsWith(p, start)) ?? "";
    const hint = HINTS[this.dialect].find(([text]) => this.source.startsWith(text, start));
    // The longer match wins: FEEL's "==" is a mistake although "=" is fine; JUEL's "==" is fine.
    if (hint !== undefined && hint[0].length > punctuator.length) throw new ExpressionError(hint[1], start);
    if (punctuator !== "") {
      this.index += punctuator.length;
      return { type: "punct", value: punctuator, text: punctuator, position: start };
    }
    const whole = String.fromCodePoint(this.source.codePointAt(start) ?? 0);
    throw new ExpressionError(`Unexpected character ${JSON.stringify(whole)}`, start);
  }

  private match(pattern: RegExp): string | null {
    pattern.lastIndex = this.index;
    const found = pattern.exec(this.source);
    if (found === null) return null;
    this.index = pattern.lastIndex;
    return found[0];
  }

  private string(quote: string): Token {
    const start = this.index;
    const chunks: string[] = [];
    let i = start + 1;
    while (i < this.source.length) {
      const char = this.source[i];
      if (char === quote) {
        this.index = i + 1;
        const text = this.source.slice(start, this.index);
        return { type: "string", value: chunks.join(""), text, position: start };
      }
      if (char === "\\") {
        const escaped = this.source[i + 1] ?? "";
        const replacement = ESCAPES.get(escaped);
        if (replacement === undefined) {
          throw new ExpressionError(`Invalid escape "\\${escaped}" in string`, i);
        }
        chunks.push(replacement);
        i += 2;
      } else {
        chunks.push(char ?? "");
        i += 1;
      }
    }
    throw new ExpressionError("Unterminated string", start);
  }
}
