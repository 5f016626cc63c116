import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { citizenIdCheckChar, compactDateToIso, usccCheckChar } from "../../../../kernel/identity/identifiers";
import {
  ETHNIC_GROUPS,
  standardiseAddress,
  standardiseCapital,
  standardiseDate,
  standardiseEmployer,
  standardiseEnterpriseName,
  standardiseEthnicity,
  standardiseGender,
  standardiseIdNumber,
  standardiseMaritalStatus,
  standardisePersonName,
  standardisePhone,
  standardiseRecord,
  standardiserFor,
  standardiseText,
  standardiseUscc,
} from "./standardise";

const TODAY = { today: "2026-01-01" };

/** A valid 18-digit ID: region 440106 (Guangzhou Tianhe), the birth date and sequence given. */
function citizenId(birth: string, sequence = "123"): string {
  const first17 = `440106${birth}${sequence}`;
  return first17 + citizenIdCheckChar(first17);
}

/** A different (wrong) check character for the 17-character body. */
function wrongCheck(first17: string, check: (s: string) => string): string {
  const right = check(first17);
  return first17 + (right === "0" ? "1" : "0");
}

/** A valid USCC for an enterprise (91) registered in Guangzhou. */
function validUscc(body = "MA5D12345"): string {
  const first17 = `91440101${body}`;
  return first17 + usccCheckChar(first17);
}

describe("blank input", () => {
  it.each([null, undefined, "", "   ", "\u3000", "\u200b"])("%j is null, valid and unchanged", (raw) => {
    for (const standardise of [
      standardisePersonName,
      standardiseIdNumber,
      standardisePhone,
      standardiseDate,
    ]) {
      expect(standardise(raw)).toEqual({ value: null, valid: true, changed: false });
    }
  });
});

describe("standardisePersonName", () => {
  it("simplifies traditional names", () => {
    expect(standardisePersonName("陳偉明")).toEqual({ value: "陈伟明", valid: true, changed: true });
    expect(standardisePersonName("鄭國強").value).toBe("郑国强");
    expect(standardisePersonName("黃志華").value).toBe("黄志华");
  });

  it("removes whitespace between Han characters, including ideographic spaces", () => {
    expect(standardisePersonName(" 陈 大 文 ")).toMatchObject({
      value: "陈大文",
      valid: true,
      changed: true,
    });
    expect(standardisePersonName("欧阳\u3000娜娜").value).toBe("欧阳娜娜");
  });

  it("leaves a clean name unchanged", () => {
    expect(standardisePersonName("陈大文")).toEqual({ value: "陈大文", valid: true, changed: false });
    expect(standardisePersonName("  陈大文  ").changed).toBe(false);
  });

  it.each([
    "阿依古丽・买买提",
    "阿依古丽•买买提",
    "阿依古丽‧买买提",
    "阿依古丽･买买提",
    "阿依古丽.买买提",
    "阿依古丽．买买提",
    "阿依古丽 · 买买提",
    "阿依古丽-买买提",
    "阿依古丽··买买提",
  ])("unifies the middle dot in %s", (raw) => {
    expect(standardisePersonName(raw)).toMatchObject({ value: "阿依古丽·买买提", valid: true });
  });

  it("upper-cases Latin names and collapses their whitespace", () => {
    expect(standardisePersonName("john  o’neil")).toMatchObject({ value: "JOHN O'NEIL", valid: true });
    expect(standardisePersonName("Ｍａｒｙ－Ａｎｎ Ｓｍｉｔｈ").value).toBe("MARY-ANN SMITH");
    expect(standardisePersonName("J. R. R. Tolkien").value).toBe("J. R. R. TOLKIEN");
    expect(standardisePersonName("José Núñez")).toMatchObject({ value: "JOSÉ NÚÑEZ", valid: true });
  });

  it.each(["王", "张3", "张Wei", "·张三", "张三·", "1234", "A", "张".repeat(21), "陈大文(小名)"])(
    "rejects %s as format, keeping the cleaned value",
    (raw) => {
      const result = standardisePersonName(raw);
      expect(result).toMatchObject({ valid: false, reason: "format" });
      expect(result.value).toBe(raw.normalize("NFKC").trim());
    },
  );

  it("accepts the length limits of Han names", () => {
    expect(standardisePersonName("王五").valid).toBe(true);
    expect(standardisePersonName("李〇").valid).toBe(true);
    expect(standardisePersonName("张".repeat(20)).valid).toBe(true);
  });
});

describe("standardiseEnterpriseName", () => {
  it("uses full-width brackets and simplified characters", () => {
    expect(standardiseEnterpriseName("廣州市某某(雲溪)有限公司")).toEqual({
      value: "广州市某某（云溪）有限公司",
      valid: true,
      changed: true,
    });
    expect(standardiseEnterpriseName("某某[广州]贸易有限公司").value).toBe("某某（广州）贸易有限公司");
    expect(standardiseEnterpriseName("某某【广州】贸易有限公司").value).toBe("某某（广州）贸易有限公司");
  });

  it("drops spaces next to Chinese but keeps single spaces between Latin words", () => {
    expect(standardiseEnterpriseName("广州 某某 科技 有限公司").value).toBe("广州某某科技有限公司");
    expect(standardiseEnterpriseName("IBM  China  (广州) 有限公司").value).toBe("IBM China（广州）有限公司");
  });

  it("leaves a registered name unchanged", () => {
    expect(standardiseEnterpriseName("广州市某某（云溪）有限公司")).toEqual({
      value: "广州市某某（云溪）有限公司",
      valid: true,
      changed: false,
    });
  });

  it("requires at least four characters", () => {
    expect(standardiseEnterpriseName("某某店")).toMatchObject({
      valid: false,
      reason: "format",
      value: "某某店",
    });
    expect(standardiseEnterpriseName("某某小店").valid).toBe(true);
  });

  it("gives an employer the same form without the length rule", () => {
    expect(standardiseEmployer("廣州 某某(雲溪)公司")).toMatchObject({
      value: "广州某某（云溪）公司",
      valid: true,
    });
    expect(standardiseEmployer("个体")).toMatchObject({ value: "个体", valid: true });
  });
});

describe("standardiseIdNumber", () => {
  const id = citizenId("19900101");

  it("accepts a valid ID unchanged", () => {
    expect(standardiseIdNumber(id, TODAY)).toEqual({ value: id, valid: true, changed: false });
  });

  it("removes spaces and hyphens and upper-cases the check X", () => {
    const spaced = `${id.slice(0, 6)} ${id.slice(6, 14)}-${id.slice(14)}`;
    expect(standardiseIdNumber(spaced, TODAY)).toEqual({
      value: id,
      valid: true,
      changed: true,
    });
    const endingInX = findIdEndingInX();
    expect(standardiseIdNumber(endingInX.toLowerCase(), TODAY)).toEqual({
      value: endingInX,
      valid: true,
      changed: true,
    });
  });

  it("reads full-width digits", () => {
    const fullWidth = id.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    expect(standardiseIdNumber(fullWidth, TODAY)).toEqual({ value: id, valid: true, changed: true });
  });

  it("upgrades a first-generation 15-digit number to 18 digits", () => {
    const legacy = "440106900101123"; // born 1990-01-01, sequence 123
    const result = standardiseIdNumber(legacy, TODAY);
    expect(result).toEqual({ value: citizenId("19900101"), valid: true, changed: true });
    expect(result.value).toHaveLength(18);
  });

  it("reports a wrong check character as checksum, keeping the value", () => {
    const bad = wrongCheck(id.slice(0, 17), citizenIdCheckChar);
    expect(standardiseIdNumber(bad, TODAY)).toEqual({
      value: bad,
      valid: false,
      reason: "checksum",
      changed: false,
    });
  });

  it("reports an impossible or future birth date as range", () => {
    expect(standardiseIdNumber(citizenId("19900230"), TODAY)).toMatchObject({
      valid: false,
      reason: "range",
    });
    expect(standardiseIdNumber(citizenId("20300101"), TODAY)).toMatchObject({
      valid: false,
      reason: "range",
    });
    expect(standardiseIdNumber(citizenId("18991231"), TODAY)).toMatchObject({
      valid: false,
      reason: "range",
    });
    expect(standardiseIdNumber("440106901301123", TODAY)).toMatchObject({
      value: "440106901301123",
      valid: false,
      reason: "range",
    });
  });

  it("uses the today option for the future check", () => {
    const bornIn2025 = citizenId("20251231");
    expect(standardiseIdNumber(bornIn2025, { today: "2025-12-30" })).toMatchObject({ reason: "range" });
    expect(standardiseIdNumber(bornIn2025, { today: "2025-12-31" }).valid).toBe(true);
  });

  it.each([
    ["too short", "4401061990010112"],
    ["too long", "4401061990010112345"],
    ["letters inside", "44010619900A01123X"],
    ["not a mainland province", `00${id.slice(2)}`],
    ["Chinese text", "身份证"],
  ])("reports %s as format", (_label, raw) => {
    expect(standardiseIdNumber(raw, TODAY)).toMatchObject({ valid: false, reason: "format" });
  });

  it("accepts residence permits for Hong Kong, Macao and Taiwan residents with their own check", () => {
    const first17 = "81000019900101123";
    const permit = first17 + citizenIdCheckChar(first17);
    expect(standardiseIdNumber(permit, TODAY)).toMatchObject({ value: permit, valid: true });
    expect(standardiseIdNumber(wrongCheck(first17, citizenIdCheckChar), TODAY)).toMatchObject({
      reason: "checksum",
    });
  });

  it.each([
    ["Hong Kong/Macao travel permit", "h12345678", "H12345678"],
    ["older Hong Kong/Macao travel permit", "M1234567801", "M1234567801"],
    ["Taiwan travel permit", "12345678", "12345678"],
    ["Chinese passport", "E12345678", "E12345678"],
    ["Chinese passport, new series", "EA1234567", "EA1234567"],
    ["foreign passport", "K 1234 567X", "K1234567X"],
    ["old foreign permanent-resident card", "USA440106900101", "USA440106900101"],
  ])("accepts a %s", (_label, raw, value) => {
    expect(standardiseIdNumber(raw, TODAY)).toMatchObject({ value, valid: true });
  });

  it("does not take a mistyped resident ID for a foreign passport", () => {
    expect(standardiseIdNumber("4401061990010112Y3", TODAY)).toMatchObject({
      valid: false,
      reason: "format",
    });
  });

  it("stringifies numeric input", () => {
    expect(standardiseIdNumber(440106900101123, TODAY)).toMatchObject({
      value: citizenId("19900101"),
      valid: true,
    });
  });
});

/** Search a few sequence numbers for an ID whose check character is X. */
function findIdEndingInX(): string {
  for (let sequence = 100; sequence < 1000; sequence++) {
    const id = citizenId("19900101", String(sequence));
    if (id.endsWith("X")) return id;
  }
  throw new Error("no ID ending in X");
}

describe("standardiseUscc", () => {
  const code = validUscc();

  it("accepts a valid code, upper-casing and removing spaces", () => {
    expect(standardiseUscc(code)).toEqual({ value: code, valid: true, changed: false });
    const spaced = `${code.slice(0, 8)} ${code.slice(8)}`.toLowerCase();
    expect(standardiseUscc(spaced)).toEqual({ value: code, valid: true, changed: true });
  });

  it("reports a wrong check character as checksum", () => {
    const bad = wrongCheck(code.slice(0, 17), usccCheckChar);
    expect(standardiseUscc(bad)).toEqual({ value: bad, valid: false, reason: "checksum", changed: false });
  });

  it.each([
    ["too short", "91440101MA5D1234"],
    ["a letter outside the alphabet", "91440101MA5D1234I5"],
    ["an unknown authority", `Z1${code.slice(2)}`],
    ["an unknown region", `9199${code.slice(4)}`],
  ])("reports %s as format", (_label, raw) => {
    expect(standardiseUscc(raw)).toMatchObject({ valid: false, reason: "format" });
  });
});

describe("standardiseGender", () => {
  it.each([
    ["男", "男"],
    ["男性", "男"],
    ["M", "男"],
    ["m", "男"],
    ["Male", "男"],
    ["1", "男"],
    [1, "男"],
    ["女", "女"],
    ["女性", "女"],
    ["F", "女"],
    ["female", "女"],
    ["2", "女"],
    ["Ｆ", "女"],
  ])("%j → %s", (raw, value) => {
    expect(standardiseGender(raw)).toMatchObject({ value, valid: true });
  });

  it("marks only rewritten values as changed", () => {
    expect(standardiseGender("男").changed).toBe(false);
    expect(standardiseGender("1").changed).toBe(true);
  });

  it.each(["0", "9", "未知", "X"])("reports %s as unknown, keeping it", (raw) => {
    expect(standardiseGender(raw)).toEqual({ value: raw, valid: false, reason: "unknown", changed: false });
  });
});

describe("standardiseDate", () => {
  it.each([
    "1990-01-02",
    "1990/1/2",
    "1990/01/02",
    "1990.1.2",
    "19900102",
    "1990年1月2日",
    "1990年01月02日",
    "1990-1-2 00:00:00",
    "1990-01-02 8:30",
    "1990-01-02T00:00:00",
    "1990-01-02T00:00:00+08:00",
    "1990-01-02T10:00:00.000Z",
    "１９９０－０１－０２",
  ])("reads %s as 1990-01-02", (raw) => {
    expect(standardiseDate(raw, TODAY)).toMatchObject({ value: "1990-01-02", valid: true });
  });

  it("reads an instant with an offset as the day in China", () => {
    // Local midnight in China serialised in UTC is the previous evening.
    expect(standardiseDate("1990-01-01T16:00:00.000Z", TODAY).value).toBe("1990-01-02");
    expect(standardiseDate("1990-01-02T23:30:00-05:00", TODAY).value).toBe("1990-01-03");
    expect(standardiseDate(new Date(Date.UTC(1990, 0, 1, 16)), TODAY)).toMatchObject({
      value: "1990-01-02",
      valid: true,
    });
  });

  it("reports only reformatted dates as changed", () => {
    expect(standardiseDate("1990-01-02", TODAY).changed).toBe(false);
    expect(standardiseDate("1990/1/2", TODAY).changed).toBe(true);
  });

  it.each([
    "1990-02-30",
    "1990-13-01",
    "1990-00-10",
    "19900230",
    "1990-1",
    "90-01-02",
    "一九九〇年一月二日",
    "tomorrow",
  ])("reports %s as format", (raw) => {
    expect(standardiseDate(raw, TODAY)).toMatchObject({ value: raw, valid: false, reason: "format" });
  });

  it("agrees with the calendar on which days exist", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2025 }), fc.nat(13), fc.nat(32), (year, month, day) => {
        const compact = `${year}${String(month).padStart(2, "0")}${String(day).padStart(2, "0")}`;
        const expected = compactDateToIso(compact);
        const result = standardiseDate(`${year}/${month}/${day}`, TODAY);
        expect(result.valid).toBe(expected !== null);
        if (expected) expect(result.value).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("accepts 29 February only in leap years", () => {
    expect(standardiseDate("2000-02-29", TODAY).valid).toBe(true);
    expect(standardiseDate("1900-02-29", TODAY)).toMatchObject({ reason: "format" });
  });

  it("reports dates before 1900 or after today as range", () => {
    expect(standardiseDate("1899-12-31", TODAY)).toMatchObject({ valid: false, reason: "range" });
    expect(standardiseDate("1900-01-01", TODAY).valid).toBe(true);
    expect(standardiseDate("2026-01-01", TODAY).valid).toBe(true);
    expect(standardiseDate("2026/1/2", TODAY)).toMatchObject({
      value: "2026/1/2",
      valid: false,
      reason: "range",
    });
  });

  it("defaults today to the current day", () => {
    expect(standardiseDate("2999-01-01")).toMatchObject({ reason: "range" });
    expect(standardiseDate("2000-01-01").valid).toBe(true);
  });
});

describe("standardisePhone", () => {
  it.each([
    ["13812345678", "13812345678"],
    ["138 1234 5678", "13812345678"],
    ["138-1234-5678", "13812345678"],
    ["１３８１２３４５６７８", "13812345678"],
    ["+86 138 1234 5678", "13812345678"],
    ["+86-13812345678", "13812345678"],
    ["008613812345678", "13812345678"],
    ["8613812345678", "13812345678"],
    [13812345678, "13812345678"],
    ["020-87654321", "020-87654321"],
    ["02087654321", "020-87654321"],
    ["(020)8765 4321", "020-87654321"],
    ["（020）87654321", "020-87654321"],
    ["+86 20 8765 4321", "020-87654321"],
    ["010-6512 3456", "010-65123456"],
    ["0755-26543210", "0755-26543210"],
    ["0763-3312345", "0763-3312345"],
    ["87654321", "87654321"],
    ["400-123-4567", "400-123-4567"],
    ["4001234567", "400-123-4567"],
    ["020-87654321转123", "020-87654321-123"],
    ["020-87654321 ext. 8", "020-87654321-8"],
    ["020-87654321-123", "020-87654321-123"],
  ])("%j → %s", (raw, value) => {
    expect(standardisePhone(raw)).toMatchObject({ value, valid: true });
  });

  it("marks reformatted numbers as changed", () => {
    expect(standardisePhone("020-87654321").changed).toBe(false);
    expect(standardisePhone("02087654321").changed).toBe(true);
  });

  it.each([
    "12345",
    "1381234567",
    "23812345678",
    "12812345678",
    "020-1234567",
    "020-8765432100",
    "13812345678/13987654321",
    "13812345678转1",
    "电话",
  ])("reports %s as format", (raw) => {
    expect(standardisePhone(raw)).toMatchObject({ valid: false, reason: "format" });
  });

  it("keeps an invalid number without its whitespace", () => {
    expect(standardisePhone("138 1234 567").value).toBe("1381234567");
  });
});

describe("standardiseAddress", () => {
  it("simplifies, removes whitespace and folds full-width digits", () => {
    expect(standardiseAddress("廣州市越秀區中山五路２１９號")).toEqual({
      value: "广州市越秀区中山五路219号",
      valid: true,
      changed: true,
    });
    expect(standardiseAddress(" 广州市 云溪区 花城大道 123 号 ").value).toBe("广州市云溪区花城大道123号");
    expect(standardiseAddress("臺灣省臺北市")).toMatchObject({ value: "台湾省台北市" });
  });

  it("leaves a clean address unchanged", () => {
    expect(standardiseAddress("广州市云溪区花城大道123号").changed).toBe(false);
  });

  it("requires at least four characters", () => {
    expect(standardiseAddress("广州")).toMatchObject({ valid: false, reason: "format" });
  });
});

describe("standardiseCapital", () => {
  it.each([
    [100, 100],
    [12.345678, 12.3457],
    ["100", 100],
    ["100万元", 100],
    ["100万", 100],
    ["100 万元", 100],
    ["1,000,000元", 100],
    ["1000000元", 100],
    ["100.5万元人民币", 100.5],
    ["人民币100万元", 100],
    ["100万人民币", 100],
    ["1.5亿元", 15000],
    ["5千万", 5000],
    ["50万美元", 50],
    ["1000美元", 0.1],
    ["１００万元", 100],
  ])("%j → %d 万元", (raw, value) => {
    expect(standardiseCapital(raw)).toMatchObject({ value, valid: true });
  });

  it("marks text with a unit as changed, a plain number as unchanged", () => {
    expect(standardiseCapital(100).changed).toBe(false);
    expect(standardiseCapital("100").changed).toBe(false);
    expect(standardiseCapital("100万元").changed).toBe(true);
  });

  it.each(["约100万", "abc", "100万元整以上", "1.2.3万"])("reports %s as format", (raw) => {
    expect(standardiseCapital(raw)).toMatchObject({ value: raw, valid: false, reason: "format" });
  });

  it("reports negative amounts as range and non-finite numbers as format", () => {
    expect(standardiseCapital(-5)).toMatchObject({ valid: false, reason: "range" });
    expect(standardiseCapital("-5万元")).toMatchObject({ valid: false, reason: "range" });
    expect(standardiseCapital(Number.NaN)).toMatchObject({ valid: false, reason: "format" });
  });
});

describe("standardiseEthnicity", () => {
  it("knows 56 distinct groups", () => {
    expect(new Set(ETHNIC_GROUPS).size).toBe(56);
    expect(ETHNIC_GROUPS.every((group) => group.endsWith("族"))).toBe(true);
  });

  it.each([
    ["汉", "汉族"],
    ["汉族", "汉族"],
    ["漢族", "汉族"],
    ["壮", "壮族"],
    ["维吾尔", "维吾尔族"],
    ["维族", "维吾尔族"],
    ["蒙族", "蒙古族"],
    ["01", "汉族"],
    ["08", "壮族"],
    [8, "壮族"],
    ["56", "基诺族"],
  ])("%j → %s", (raw, value) => {
    expect(standardiseEthnicity(raw)).toMatchObject({ value, valid: true });
  });

  it.each(["火星族", "57", "其他"])("reports %s as unknown", (raw) => {
    expect(standardiseEthnicity(raw)).toMatchObject({ value: raw, valid: false, reason: "unknown" });
  });
});

describe("standardiseMaritalStatus", () => {
  it.each([
    ["10", "未婚"],
    ["20", "已婚"],
    ["22", "已婚"],
    ["30", "丧偶"],
    ["40", "离婚"],
    ["未婚", "未婚"],
    ["離婚", "离婚"],
    ["离异", "离婚"],
    ["丧偶", "丧偶"],
  ])("%j → %s", (raw, value) => {
    expect(standardiseMaritalStatus(raw)).toMatchObject({ value, valid: true });
  });

  it("reports unmapped values as unknown", () => {
    expect(standardiseMaritalStatus("90")).toMatchObject({ valid: false, reason: "unknown" });
    expect(standardiseMaritalStatus("保密")).toMatchObject({ valid: false, reason: "unknown" });
  });
});

describe("standardiseText", () => {
  it("folds width, collapses whitespace and simplifies", () => {
    expect(standardiseText("  大學\u3000 本科  ")).toEqual({
      value: "大学 本科",
      valid: true,
      changed: true,
    });
    expect(standardiseText("ＡＢＣ")).toMatchObject({ value: "ABC" });
    expect(standardiseText("存续")).toEqual({ value: "存续", valid: true, changed: false });
  });
});

describe("standardiseRecord", () => {
  it("standardises a population record field by field", () => {
    const result = standardiseRecord(
      "population",
      {
        name: "陳偉明",
        idNumber: "440106900101123",
        gender: "M",
        birthDate: "1990/1/1",
        phone: "138 1234 5678",
        address: "廣州市雲溪區花城大道123號",
        householdAddress: "广州市云溪区花城大道123号",
        ethnicity: "汉",
        maritalStatus: "20",
        education: "大學本科",
        employer: "某某(广州)有限公司",
      },
      TODAY,
    );
    expect(result).toEqual({
      values: {
        name: "陈伟明",
        idNumber: citizenId("19900101"),
        gender: "男",
        birthDate: "1990-01-01",
        phone: "13812345678",
        address: "广州市云溪区花城大道123号",
        householdAddress: "广州市云溪区花城大道123号",
        ethnicity: "汉族",
        maritalStatus: "已婚",
        education: "大学本科",
        employer: "某某（广州）有限公司",
      },
      invalid: {},
      changed: [
        "name",
        "idNumber",
        "gender",
        "birthDate",
        "phone",
        "address",
        "ethnicity",
        "maritalStatus",
        "education",
        "employer",
      ],
    });
  });

  it("keeps invalid values, maps blanks to null and skips absent and unknown fields", () => {
    const bad = wrongCheck(citizenId("19900101").slice(0, 17), citizenIdCheckChar);
    const result = standardiseRecord(
      "population",
      {
        name: "张三",
        idNumber: ` ${bad} `,
        phone: "12345",
        birthDate: "  ",
        gender: null,
        address: undefined,
        note: "x",
      },
      TODAY,
    );
    expect(result.values).toEqual({
      name: "张三",
      idNumber: bad,
      phone: "12345",
      birthDate: null,
      gender: null,
    });
    expect(result.invalid).toEqual({ idNumber: "checksum", phone: "format" });
    expect(result.changed).toEqual([]);
  });

  it("standardises a legal-person record with its own rules", () => {
    const code = validUscc();
    const result = standardiseRecord(
      "legalPerson",
      {
        name: "廣州市某某(雲溪)有限公司",
        uscc: code.toLowerCase(),
        legalRepresentative: "陳 大文",
        registeredCapital: "100万元",
        establishedDate: "2010年5月6日",
        address: "广州市云溪区花城大道 123 号",
        industry: "軟件和信息技術服務業",
        status: "存续",
        phone: "020 8765 4321",
      },
      TODAY,
    );
    expect(result.values).toEqual({
      name: "广州市某某（云溪）有限公司",
      uscc: code,
      legalRepresentative: "陈大文",
      registeredCapital: 100,
      establishedDate: "2010-05-06",
      address: "广州市云溪区花城大道123号",
      industry: "软件和信息技术服务业",
      status: "存续",
      phone: "020-87654321",
    });
    expect(result.invalid).toEqual({});
    expect(result.changed).not.toContain("status");
    expect(result.changed).toHaveLength(8);
  });

  it("reports invalid legal-person fields with their reasons", () => {
    const result = standardiseRecord(
      "legalPerson",
      { name: "某店", uscc: "91440101MA5D1234", registeredCapital: "若干", establishedDate: "1850-01-01" },
      TODAY,
    );
    expect(result.invalid).toEqual({
      name: "format",
      uscc: "format",
      registeredCapital: "format",
      establishedDate: "range",
    });
    expect(result.values.registeredCapital).toBe("若干");
  });

  it("exposes the rule of each field", () => {
    expect(standardiserFor("legalPerson", "legalRepresentative")).toBe(standardisePersonName);
    expect(standardiserFor("population", "householdAddress")).toBe(standardiseAddress);
    expect(standardiserFor("population", "somethingElse")).toBe(standardiseText);
  });
});
