import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { citizenIdCheckChar } from "../../../../kernel/identity/identifiers";
import {
  addressSimilarity,
  damerauLevenshtein,
  dateSimilarity,
  idNumberSimilarity,
  jaroWinkler,
  namePinyin,
  nameSimilarity,
  phoneSimilarity,
} from "./similarity";

const shortText = fc.string({ maxLength: 12 });
const chineseName = fc
  .array(fc.constantFrom(..."陈李张王黄林刘吴小晓大明伟芳娜文武强华"), { minLength: 2, maxLength: 4 })
  .map((chars) => chars.join(""));

describe("jaroWinkler", () => {
  it("matches published reference values", () => {
    expect(jaroWinkler("MARTHA", "MARHTA")).toBeCloseTo(0.9611, 4);
    expect(jaroWinkler("DWAYNE", "DUANE")).toBeCloseTo(0.84, 4);
    expect(jaroWinkler("DIXON", "DICKSONX")).toBeCloseTo(0.8133, 4);
  });

  it("caps the common prefix at four characters", () => {
    // Jaro 0.8 for both; the prefix bonus counts 4 characters even when 5 are shared.
    const four = jaroWinkler("abcdXXXXXX", "abcdYYYYYY");
    const five = jaroWinkler("abcdeXXXXX", "abcdeYYYYY");
    const jaroFive = (5 / 10 + 5 / 10 + 1) / 3;
    expect(five).toBeCloseTo(jaroFive + 4 * 0.1 * (1 - jaroFive), 10);
    expect(four).toBeLessThan(five);
  });

  it("is 1 for identical strings and 0 without common characters", () => {
    expect(jaroWinkler("陈大文", "陈大文")).toBe(1);
    expect(jaroWinkler("abc", "xyz")).toBe(0);
    expect(jaroWinkler("", "abc")).toBe(0);
    expect(jaroWinkler("", "")).toBe(1);
  });

  it("stays within 0..1 and is symmetric", () => {
    fc.assert(
      fc.property(shortText, shortText, (a, b) => {
        const score = jaroWinkler(a, b);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
        expect(jaroWinkler(b, a)).toBeCloseTo(score, 12);
      }),
    );
  });
});

describe("damerauLevenshtein", () => {
  it("counts insertions, deletions, substitutions and adjacent transpositions", () => {
    expect(damerauLevenshtein("kitten", "sitting")).toBe(3);
    expect(damerauLevenshtein("abcdef", "abdcef")).toBe(1);
    expect(damerauLevenshtein("张小明", "张晓明")).toBe(1);
    expect(damerauLevenshtein("", "abc")).toBe(3);
    expect(damerauLevenshtein("same", "same")).toBe(0);
  });

  it("is the optimal-string-alignment variant: a transposed pair is not edited again", () => {
    expect(damerauLevenshtein("ca", "abc")).toBe(3);
  });

  it("exits early with max + 1", () => {
    expect(damerauLevenshtein("kitten", "sitting", 2)).toBe(3);
    expect(damerauLevenshtein("a", "abcdefgh", 3)).toBe(4);
    expect(damerauLevenshtein("kitten", "sitting", 3)).toBe(3);
  });

  it("agrees with the unbounded distance whenever that is within max", () => {
    fc.assert(
      fc.property(shortText, shortText, fc.nat(6), (a, b, max) => {
        const full = damerauLevenshtein(a, b);
        expect(damerauLevenshtein(b, a)).toBe(full);
        expect(damerauLevenshtein(a, b, max)).toBe(full <= max ? full : max + 1);
      }),
    );
  });
});

describe("namePinyin", () => {
  it.each([
    ["陈大文", "chendawen"],
    ["张晓明", "zhangxiaoming"],
    ["曾国藩", "zengguofan"],
    ["单田芳", "shantianfang"],
    ["欧阳娜娜", "ouyangnana"],
    ["吕布", "lvbu"],
    ["阿依古丽·买买提", "ayigulimaimaiti"],
    ["John O'Neil", "johnoneil"],
    ["JOSÉ NÚÑEZ", "josenunez"],
  ])("%s → %s", (name, sound) => {
    expect(namePinyin(name)).toBe(sound);
  });
});

describe("nameSimilarity", () => {
  it("is 1 only for identical names", () => {
    expect(nameSimilarity("陈大文", "陈大文")).toBe(1);
    expect(nameSimilarity("张小明", "张晓明")).toBeLessThan(1);
  });

  it.each([
    ["张小明", "张晓明"],
    ["张小明", "章小明"],
    ["王伟", "汪伟"],
    ["林小红", "林晓虹"],
    ["JOHN SMITH", "John Smith"],
    ["陈大文", "CHEN DAWEN"],
  ])("scores the homophones %s / %s at least 0.9", (a, b) => {
    expect(nameSimilarity(a, b)).toBeGreaterThanOrEqual(0.9);
  });

  it.each([
    ["张小明", "张大明"],
    ["陈大文", "陈大武"],
    ["黄志强", "王志强"],
    ["陈志强", "陈志刚"],
    ["李娜", "李娜娜"],
  ])("scores %s / %s, one character apart, between 0.7 and 0.89", (a, b) => {
    const score = nameSimilarity(a, b);
    expect(score).toBeGreaterThanOrEqual(0.7);
    expect(score).toBeLessThan(0.9);
  });

  it.each([
    ["陈大文", "李小红"],
    ["刘德华", "张学友"],
    ["陈志强", "黄伟明"],
    ["JOHN SMITH", "MARY JONES"],
  ])("scores the unrelated %s / %s below 0.5", (a, b) => {
    expect(nameSimilarity(a, b)).toBeLessThan(0.5);
  });

  it("ranks a shared surname alone below one differing character", () => {
    expect(nameSimilarity("张小明", "张大伟")).toBeLessThan(nameSimilarity("张小明", "张大明"));
    expect(nameSimilarity("张小明", "张大伟")).toBeLessThan(0.7);
  });

  it("ranks a near-homophone above an unrelated substitute", () => {
    expect(nameSimilarity("陈大文", "陈大翁")).toBeGreaterThan(nameSimilarity("陈大文", "陈大武"));
  });

  it("gives the same score with precomputed pinyin", () => {
    const a = "张小明";
    const b = "张大明";
    expect(nameSimilarity(a, b, namePinyin(a), namePinyin(b))).toBe(nameSimilarity(a, b));
  });

  it("matches nothing to an empty name", () => {
    expect(nameSimilarity("", "陈大文")).toBe(0);
  });

  it("stays within 0..1, is symmetric and gives 1 to identical names", () => {
    fc.assert(
      fc.property(chineseName, chineseName, (a, b) => {
        const score = nameSimilarity(a, b);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
        expect(nameSimilarity(b, a)).toBeCloseTo(score, 12);
        expect(nameSimilarity(a, a)).toBe(1);
        if (a !== b) expect(score).toBeLessThan(1);
      }),
      { numRuns: 200 },
    );
  });
});

describe("dateSimilarity", () => {
  it.each([
    ["1990-01-02", "1990-01-02", 1],
    ["1990-01-02", "1990-01-03", 0.8], // one digit
    ["1990-01-02", "1980-01-02", 0.8], // one digit in the year
    ["1990-01-02", "1990-02-01", 0.8], // day and month swapped
    ["1990-01-12", "1990-01-21", 0.8], // adjacent digits swapped
    ["1990-12-01", "1990-21-01", 0.8],
    ["1990-01-02", "1991-01-03", 0], // two digits
    ["1990-01-02", "2000-05-06", 0],
    ["1990-01-02", null, 0],
    [null, null, 0],
  ])("%s / %s → %d", (a, b, score) => {
    expect(dateSimilarity(a, b)).toBe(score);
    expect(dateSimilarity(b, a)).toBe(score);
  });
});

describe("phoneSimilarity", () => {
  it.each([
    ["13812345678", "13812345678", 1],
    ["13812345678", "13812345679", 0.7], // one digit
    ["13812345678", "13812345687", 0.7], // adjacent digits swapped
    ["13812345678", "13812346587", 0],
    ["13812345678", "1381234567", 0],
    ["020-87654321", "020-87654322", 0.7],
    ["020-87654321", "87654321", 0.9], // the same number without its area code
    ["020-87654321", "0755-87654321", 0],
    ["13812345678", null, 0],
  ])("%s / %s → %d", (a, b, score) => {
    expect(phoneSimilarity(a, b)).toBe(score);
    expect(phoneSimilarity(b, a)).toBe(score);
  });
});

describe("idNumberSimilarity", () => {
  const body = "44010619900101123";
  const id = body + citizenIdCheckChar(body);

  it("is 1 for equal numbers", () => {
    expect(idNumberSimilarity(id, id)).toBe(1);
  });

  it("is 0.9 for one mistyped character in the first 17", () => {
    const substituted = `44010619900101124${citizenIdCheckChar("44010619900101124")}`;
    const transposed = `44010619900110123${citizenIdCheckChar("44010619900110123")}`;
    expect(idNumberSimilarity(id, substituted)).toBe(0.9);
    expect(idNumberSimilarity(id, transposed)).toBe(0.9);
    expect(idNumberSimilarity(id, `${body}${id.endsWith("0") ? "1" : "0"}`)).toBe(0.9);
  });

  it("compares a 15-digit number in its upgraded layout", () => {
    expect(idNumberSimilarity("440106900101123", id)).toBe(0.9);
    expect(idNumberSimilarity("440106900101124", id)).toBe(0.9);
  });

  it("is 0 for two differences, other layouts or missing numbers", () => {
    const twoApart = `44010619910101124${citizenIdCheckChar("44010619910101124")}`;
    expect(idNumberSimilarity(id, twoApart)).toBe(0);
    expect(idNumberSimilarity("H12345678", "H12345679")).toBe(0);
    expect(idNumberSimilarity(id, null)).toBe(0);
  });

  it("applies the same rule to unified social credit codes", () => {
    const code = "91440101MA5D123456";
    expect(idNumberSimilarity(code, "91440101MA5D124356")).toBe(0.9);
    expect(idNumberSimilarity(code, "91440101MA5E123457")).toBe(0.9);
    expect(idNumberSimilarity(code, "91440101MB5E123456")).toBe(0);
  });

  it("is symmetric", () => {
    const transposed = `44010619900110123${citizenIdCheckChar("44010619900110123")}`;
    expect(idNumberSimilarity(transposed, id)).toBe(idNumberSimilarity(id, transposed));
  });
});

describe("addressSimilarity", () => {
  const full = "广东省广州市云溪区花城街道花城大道123号4栋501房";

  it("is 1 for equal addresses and 0 when one is missing", () => {
    expect(addressSimilarity(full, full)).toBe(1);
    expect(addressSimilarity(full, null)).toBe(0);
  });

  it("scores at least 0.85 for the same road, number, building and room written differently", () => {
    expect(addressSimilarity(full, "广州市云溪区花城大道123号4栋501房")).toBeGreaterThanOrEqual(0.85);
    expect(addressSimilarity(full, "花城大道123号4栋501房")).toBeGreaterThanOrEqual(0.85);
    expect(
      addressSimilarity("广州市天河区珠江新城花城大道85号", "天河区花城大道85号"),
    ).toBeGreaterThanOrEqual(0.85);
  });

  it("counts a building or room given on one side only as no conflict", () => {
    expect(addressSimilarity(full, "广州市云溪区花城大道123号")).toBeGreaterThanOrEqual(0.85);
  });

  it("keeps another flat in the same block at 0.6 or below", () => {
    expect(addressSimilarity(full, "广东省广州市云溪区花城街道花城大道123号4栋502房")).toBeLessThanOrEqual(
      0.6,
    );
  });

  it("falls back to bigram overlap for other addresses", () => {
    const nextDoor = addressSimilarity("广州市云溪区花城大道123号", "广州市云溪区花城大道125号");
    expect(nextDoor).toBeGreaterThan(0.6);
    expect(nextDoor).toBeLessThan(0.85);
    expect(addressSimilarity("广州市云溪区花城大道123号", "深圳市南山区科技园路1号")).toBeLessThan(0.2);
  });

  it("does not treat the same road and number in another district as the same place", () => {
    expect(addressSimilarity("广州市越秀区中山路1号", "广州市天河区中山路1号")).toBeLessThan(0.85);
  });

  it("stays within 0..1 and is symmetric", () => {
    const addresses = fc.constantFrom(
      full,
      "广州市云溪区花城大道123号",
      "花城大道123号4栋502房",
      "云溪区某某路88号某某花园3栋2单元1201",
      "某某花园3栋1201",
      "广州市天河区天河北路233号",
    );
    fc.assert(
      fc.property(addresses, addresses, (a, b) => {
        const score = addressSimilarity(a, b);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
        expect(addressSimilarity(b, a)).toBeCloseTo(score, 12);
      }),
    );
  });
});
