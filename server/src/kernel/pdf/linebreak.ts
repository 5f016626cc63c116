/**
 * Line breaking for Chinese text (避头尾, after the usual rules of Chinese typesetting, GB/T 15834
 * punctuation): a line never starts with closing punctuation and never ends with opening punctuation;
 * runs of Latin letters and digits, "——" and "……" are not split.
 */

/** May not start a line. */
const NO_START = new Set([..."，。、；：？！）》」』】〕〉〗’”…—·%‰℃°,.;:?!)]}>"]);
/** May not end a line. */
const NO_END = new Set([..."（《「『【〔〈〖‘“([{<"]);
const WORD = /^[A-Za-z0-9@#&_+\-./:%]$/;

/** Indivisible units: a character, a Latin/number word, or a paired dash/ellipsis. */
function tokens(chars: string[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const last = out[out.length - 1];
    const prev = chars[i - 1];
    const glue =
      last !== undefined &&
      ((WORD.test(ch) && prev !== undefined && WORD.test(prev)) ||
        (ch === prev && (ch === "—" || ch === "…")) ||
        NO_START.has(ch) ||
        (prev !== undefined && NO_END.has(prev)));
    if (glue) last.push(i);
    else out.push([i]);
  }
  return out;
}

/** Indexes where a line may break (before that character), by the rules above. */
export function breakOpportunities(chars: string[]): number[] {
  return tokens(chars)
    .slice(1)
    .map((t) => t[0]!);
}

export interface Line {
  /** Index of the first character and one past the last. */
  start: number;
  end: number;
  /** Sum of the characters' advances. */
  width: number;
  /** The last line of a paragraph is not stretched to the full width. */
  last: boolean;
}

/**
 * Breaks characters (with their advances, in points) into lines of at most `width`; the first line
 * may be narrower (`firstWidth`, e.g. for the two-character indent of a paragraph).
 */
export function breakLines(chars: string[], advances: number[], width: number, firstWidth = width): Line[] {
  const lines: Line[] = [];
  let start = 0;
  let lineWidth = 0;
  const limit = () => (lines.length === 0 ? firstWidth : width) + 0.01;
  const close = (end: number) => {
    lines.push({ start, end, width: lineWidth, last: false });
    start = end;
    lineWidth = 0;
  };
  for (const token of tokens(chars)) {
    const tokenWidth = token.reduce((sum, i) => sum + advances[i]!, 0);
    if (lineWidth + tokenWidth <= limit()) {
      lineWidth += tokenWidth;
      continue;
    }
    if (lineWidth > 0) close(token[0]!);
    if (tokenWidth <= limit()) {
      lineWidth = tokenWidth;
      continue;
    }
    // A token wider than a line (a long number or address): split it where it must.
    for (const i of token) {
      if (lineWidth > 0 && lineWidth + advances[i]! > limit()) close(i);
      lineWidth += advances[i]!;
    }
  }
  if (lineWidth > 0 || lines.length === 0)
    lines.push({ start, end: chars.length, width: lineWidth, last: true });
  const final = lines[lines.length - 1]!;
  final.last = true;
  return lines;
}

/** Splits a string into characters (code points), as the layout works on them. */
export const characters = (text: string): string[] => [...text];
