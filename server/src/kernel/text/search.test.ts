import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchesQuery, parseQuery, searchTerms } from "./search";

const CHARS = [..."预算调整会议通知上午下午开会讨论文件督办案件abcXYZ019 ，。、！?-"];
const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 40 }).map((chars) => chars.join(""));

describe("bigram search terms", () => {
  it("cuts Chinese and Latin runs into lower-cased bigrams, keeping one-character runs whole", () => {
    expect(searchTerms("预算调整")).toEqual(["预算", "算调", "调整"]);
    expect(searchTerms("Budget 会")).toEqual(["bu", "ud", "dg", "ge", "et", "会"]);
    expect(searchTerms("，。！")).toEqual([]);
    expect(parseQuery("？！")).toBeNull();
  });

  it("finds every piece of a message that has letters or digits (property)", () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), (message, a, b) => {
        const [from, to] = [Math.min(a, b) % (message.length + 1), Math.max(a, b) % (message.length + 1)];
        const query = parseQuery(message.slice(from, to));
        if (!query) return;
        const terms = new Set(searchTerms(message));
        expect(query.terms.every((term) => terms.has(term))).toBe(true);
        expect(matchesQuery(message, query)).toBe(true);
      }),
    );
  });

  it("never reports a match whose runs are not in the text (property)", () => {
    fc.assert(
      fc.property(text, text, (message, q) => {
        const query = parseQuery(q);
        if (!query || !matchesQuery(message, query)) return;
        const lower = message.toLowerCase();
        expect(query.runs.every((run) => lower.includes(run))).toBe(true);
      }),
    );
  });
});
