import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffText } from "./diff";

const side = (ops: ReturnType<typeof diffText>, keep: "insert" | "delete") =>
  ops
    .filter((o) => o.op !== keep)
    .map((o) => o.text)
    .join("");

describe("diffText (track changes of a document body)", () => {
  it("shows a changed phrase as a deletion and an insertion between kept text", () => {
    const ops = diffText("请各单位于12月1日前报送。", "请各街道于12月5日前报送材料。");
    expect(ops).toEqual([
      { op: "equal", text: "请各" },
      { op: "delete", text: "单位" },
      { op: "insert", text: "街道" },
      { op: "equal", text: "于12月" },
      { op: "delete", text: "1" },
      { op: "insert", text: "5" },
      { op: "equal", text: "日前报送" },
      { op: "insert", text: "材料" },
      { op: "equal", text: "。" },
    ]);
  });

  it("always rebuilds both texts from its runs, for any pair", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("一", "二", "三", "a", "b", "，", "\n") }),
        fc.string(),
        (a, b) => {
          const ops = diffText(a, b);
          expect(side(ops, "insert")).toBe(a);
          expect(side(ops, "delete")).toBe(b);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("falls back to replace-all beyond its edit budget and still rebuilds both texts", () => {
    const a = "甲".repeat(50) + "乙".repeat(50);
    const b = "丙".repeat(100);
    const ops = diffText(a, b, 10);
    expect(side(ops, "insert")).toBe(a);
    expect(side(ops, "delete")).toBe(b);
  });
});
