import * as OpenCC from "opencc-js";
import { describe, expect, it } from "vitest";
import { collapseWhitespace, hasHan, toCleanText, toSimplified } from "./text";

describe("toSimplified", () => {
  it.each([
    ["陳偉明", "陈伟明"],
    ["廣州市越秀區", "广州市越秀区"],
    ["中山五路219號", "中山五路219号"],
    // Taiwan standard forms
    ["臺灣", "台湾"],
    ["裡面", "里面"],
    ["溫啟眾", "温启众"],
    // Hong Kong variants
    ["衞生", "卫生"],
    ["綫路", "线路"],
    ["枱", "台"],
  ])("%s → %s", (traditional, simplified) => {
    expect(toSimplified(traditional)).toBe(simplified);
  });

  it("leaves simplified text alone, including characters the Taiwan preset would change", () => {
    expect(toSimplified("什么")).toBe("什么");
    expect(toSimplified("著名作家")).toBe("著名作家");
    expect(toSimplified("广东省广州市云溪区花城大道123号")).toBe("广东省广州市云溪区花城大道123号");
  });

  it("applies phrase rules whose characters are unchanged on their own", () => {
    expect(toSimplified("沈默")).toBe("沉默");
    expect(toSimplified("反覆")).toBe("反复");
  });

  it("returns exactly what the converter returns, with or without the shortcut", () => {
    const convert = OpenCC.Converter({ from: "hk", to: "cn" });
    const samples = [
      "广州市某某（云溪）有限公司",
      "廣州市某某（雲溪）有限公司",
      "沈默寡言的陳先生住在臺北",
      "John Smith 123",
      "阿依古丽·买买提",
      "乾隆 於 著 裏 後 髮 麵",
      "𠮷野家",
      "",
    ];
    for (const sample of samples) expect(toSimplified(sample)).toBe(convert(sample));
  });
});

describe("toCleanText", () => {
  it("folds full-width forms, trims and drops zero-width characters", () => {
    expect(toCleanText("  ＡＢＣ１２３\u3000")).toBe("ABC123");
    expect(toCleanText("陈\u200b大文\ufeff")).toBe("陈大文");
  });

  it("gives null for missing or blank values", () => {
    expect(toCleanText(null)).toBeNull();
    expect(toCleanText(undefined)).toBeNull();
    expect(toCleanText(" \t\n ")).toBeNull();
  });

  it("stringifies numbers and objects", () => {
    expect(toCleanText(13812345678)).toBe("13812345678");
    expect(toCleanText({ a: 1 })).toBe('{"a":1}');
  });
});

describe("helpers", () => {
  it("collapses whitespace runs and detects Han characters", () => {
    expect(collapseWhitespace("a \t\n b")).toBe("a b");
    expect(hasHan("abc陈")).toBe(true);
    expect(hasHan("𠮷")).toBe(true);
    expect(hasHan("abc·")).toBe(false);
  });
});
