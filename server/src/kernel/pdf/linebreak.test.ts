import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { breakLines, breakOpportunities, characters } from "./linebreak";

const NO_START = [..."，。、；：？！）》」』】〕…—”’"];
const NO_END = [..."（《「『【〔“‘"];

/** Full-width characters are 1 unit wide, ASCII half. */
const advancesOf = (chars: string[]) => chars.map((c) => (c.charCodeAt(0) < 0x80 ? 0.5 : 1));

const chinese = fc.constantFrom(
  ..."政务服务数据共享城市运行一网通办协同统管",
  ...NO_START,
  ...NO_END,
  ..."2026ab",
);

describe("breakLines", () => {
  it("keeps closing punctuation off the start of a line and opening punctuation off its end", () => {
    fc.assert(
      fc.property(
        fc.array(chinese, { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 6, max: 28 }),
        (chars, width) => {
          const opportunities = breakOpportunities(chars);
          for (const i of opportunities) {
            expect(NO_START.includes(chars[i]!)).toBe(false);
            expect(NO_END.includes(chars[i - 1]!)).toBe(false);
          }
          // Lines break only there, unless an unbreakable run is wider than a whole line.
          const advances = advancesOf(chars);
          const bounds = [0, ...opportunities, chars.length];
          for (const line of breakLines(chars, advances, width).slice(1)) {
            if (opportunities.includes(line.start)) continue;
            const from = Math.max(...bounds.filter((b) => b < line.start));
            const to = Math.min(...bounds.filter((b) => b > line.start));
            expect(advances.slice(from, to).reduce((a, b) => a + b, 0)).toBeGreaterThan(width);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("sets every character exactly once, in order, within the width", () => {
    fc.assert(
      fc.property(fc.array(chinese, { maxLength: 200 }), fc.integer({ min: 3, max: 40 }), (chars, width) => {
        const advances = advancesOf(chars);
        const lines = breakLines(chars, advances, width, width - 2);
        expect(lines[0]!.start).toBe(0);
        expect(lines[lines.length - 1]!.end).toBe(chars.length);
        for (let i = 1; i < lines.length; i++) expect(lines[i]!.start).toBe(lines[i - 1]!.end);
        for (const [i, line] of lines.entries()) {
          const sum = advances.slice(line.start, line.end).reduce((a, b) => a + b, 0);
          expect(line.width).toBeCloseTo(sum);
          const limit = i === 0 ? width - 2 : width;
          // A single character wider than the line is the only way past the limit.
          if (line.end - line.start > 1) expect(line.width).toBeLessThanOrEqual(limit + 0.01);
        }
        expect(lines.filter((l) => l.last)).toHaveLength(1);
      }),
      { numRuns: 300 },
    );
  });

  it("moves a closing mark's character along instead of starting a line with the mark", () => {
    const chars = characters("一二三四五。六七");
    const lines = breakLines(chars, advancesOf(chars), 5);
    expect(chars.slice(lines[1]!.start, lines[1]!.end).join("")).toBe("五。六七");
  });

  it("does not split numbers, Latin words, 破折号 or 省略号", () => {
    const chars = characters("共计12345项，详见GB/T9704——以及……");
    const opportunities = new Set(breakOpportunities(chars));
    const inside = (word: string) => {
      const at = chars.join("").indexOf(word);
      return [...Array(word.length - 1).keys()].map((i) => at + i + 1);
    };
    for (const word of ["12345", "GB/T9704", "——", "……"]) {
      for (const i of inside(word)) expect(opportunities.has(i)).toBe(false);
    }
    expect(opportunities.has(1)).toBe(true);
  });
});
