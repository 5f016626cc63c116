import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  chinaToday,
  citizenIdCheckChar,
  compactDateToIso,
  type IdentityDocumentType,
  orgCodeCheckChar,
  parseCitizenId,
  parseUscc,
  USCC_ALPHABET,
  USCC_AUTHORITIES,
  upgradeLegacyId,
  usccCheckChar,
  validateIdentityDocument,
} from "./identifiers";

const TODAY = { today: "2026-01-01" };
const ID_CHARS = "0123456789X";
const REGIONS = [
  "110105",
  "440120",
  "440103",
  "440106",
  "445102",
  "430102",
  "360102",
  "450103",
  "510104",
  "650102",
];

/** Every string that differs from `s` in exactly one position, drawn from `alphabet`. */
function singleSubstitutions(s: string, alphabet: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    for (const c of alphabet) if (c !== s[i]) out.push(s.slice(0, i) + c + s.slice(i + 1));
  }
  return out;
}

function adjacentTranspositions(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < s.length; i++) {
    if (s[i] !== s[i + 1]) out.push(s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2));
  }
  return out;
}

const birthDateArb = fc
  .date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2025-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replaceAll("-", ""));

const citizenIdArb = fc
  .tuple(fc.constantFrom(...REGIONS), birthDateArb, fc.integer({ min: 0, max: 999 }))
  .map(([region, date, seq]) => {
    const first17 = `${region}${date}${String(seq).padStart(3, "0")}`;
    return first17 + citizenIdCheckChar(first17);
  });

const usccArb = fc
  .tuple(
    fc.constantFrom(
      ...Object.entries(USCC_AUTHORITIES).flatMap(([a, info]) =>
        Object.keys(info.orgTypes).map((t) => a + t),
      ),
    ),
    fc.constantFrom(...REGIONS, "100000"),
    fc.string({ unit: fc.constantFrom(...USCC_ALPHABET), minLength: 9, maxLength: 9 }),
  )
  .map(([head, region, org]) => {
    const first17 = head + region + org;
    return first17 + usccCheckChar(first17);
  });

describe("resident ID (GB 11643-1999)", () => {
  it("accepts the textbook examples and reads their fields", () => {
    expect(citizenIdCheckChar("11010519491231002")).toBe("X");
    expect(parseCitizenId("11010519491231002X", TODAY)).toEqual({
      ok: true,
      regionCode: "110105",
      birthDate: "1949-12-31",
      gender: "female",
      normalized: "11010519491231002X",
    });
    // The standard's other example is checksum-valid but predates the 1900 floor.
    expect(citizenIdCheckChar("44052418800101001")).toBe("4");
    expect(parseCitizenId("440524188001010014", TODAY)).toEqual({ ok: false, reason: "birthdate" });
  });

  it("accepts a lowercase x and normalises it", () => {
    const parsed = parseCitizenId(" 11010519491231002x ", TODAY);
    expect(parsed.ok && parsed.normalized).toBe("11010519491231002X");
  });

  it("reports why a number is rejected", () => {
    const withCheck = (first17: string) => first17 + citizenIdCheckChar(first17);
    expect(parseCitizenId("1101051949123100", TODAY)).toEqual({ ok: false, reason: "format" });
    expect(parseCitizenId("1101051949123100AX", TODAY)).toEqual({ ok: false, reason: "format" });
    expect(parseCitizenId("11010519491231002Y", TODAY)).toEqual({ ok: false, reason: "format" });
    expect(parseCitizenId("110105194912310021", TODAY)).toEqual({ ok: false, reason: "checksum" });
    expect(parseCitizenId(withCheck("44012019900230002"), TODAY)).toEqual({ ok: false, reason: "birthdate" });
    expect(parseCitizenId(withCheck("44012019001301002"), TODAY)).toEqual({ ok: false, reason: "birthdate" });
    expect(parseCitizenId(withCheck("44012018991231002"), TODAY)).toEqual({ ok: false, reason: "birthdate" });
    expect(parseCitizenId(withCheck("44012020260102002"), TODAY)).toEqual({ ok: false, reason: "birthdate" });
    expect(parseCitizenId(withCheck("44012020260101002"), TODAY).ok).toBe(true);
    expect(parseCitizenId(withCheck("81000019900101002"), TODAY)).toEqual({ ok: false, reason: "region" });
    expect(parseCitizenId(withCheck("99000019900101002"), TODAY)).toEqual({ ok: false, reason: "region" });
  });

  it("handles leap days", () => {
    expect(compactDateToIso("20000229")).toBe("2000-02-29");
    expect(compactDateToIso("19000229")).toBeNull();
    expect(compactDateToIso("19960229")).toBe("1996-02-29");
    expect(compactDateToIso("19970229")).toBeNull();
  });

  it("defaults today to the China calendar day", () => {
    expect(chinaToday(new Date("2025-12-31T16:30:00Z"))).toBe("2026-01-01");
    expect(chinaToday(new Date("2025-12-31T15:59:00Z"))).toBe("2025-12-31");
  });

  it("accepts generated valid numbers and reads gender from the 17th digit", () => {
    fc.assert(
      fc.property(citizenIdArb, (id) => {
        const parsed = parseCitizenId(id, TODAY);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(parsed.gender).toBe(Number(id[16]) % 2 === 1 ? "male" : "female");
        expect(parsed.birthDate.replaceAll("-", "")).toBe(id.slice(6, 14));
        expect(parsed.regionCode).toBe(id.slice(0, 6));
      }),
    );
  });

  it("rejects every single-character change of a valid number", () => {
    fc.assert(
      fc.property(citizenIdArb, (id) => {
        for (const changed of singleSubstitutions(id, ID_CHARS))
          expect(parseCitizenId(changed, TODAY).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it("rejects every adjacent transposition of a valid number", () => {
    fc.assert(
      fc.property(citizenIdArb, (id) => {
        for (const changed of adjacentTranspositions(id))
          expect(parseCitizenId(changed, TODAY).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it("upgrades 15-digit legacy numbers", () => {
    expect(upgradeLegacyId("110105491231002")).toBe("11010519491231002X");
    expect(() => upgradeLegacyId("11010549123100")).toThrow(RangeError);
    expect(() => upgradeLegacyId("11010519491231002X")).toThrow(RangeError);
    fc.assert(
      fc.property(
        citizenIdArb.filter((id) => id.startsWith("19", 6)),
        (id) => {
          const legacy = id.slice(0, 6) + id.slice(8, 17);
          expect(upgradeLegacyId(legacy)).toBe(id);
        },
      ),
    );
  });

  it("refuses to compute a check character for malformed input", () => {
    expect(() => citizenIdCheckChar("1101051949123100")).toThrow(RangeError);
    expect(() => citizenIdCheckChar("1101051949123100A")).toThrow(RangeError);
  });
});

describe("unified social credit code (GB 32100-2015)", () => {
  it("accepts the published example and reads its fields", () => {
    expect(usccCheckChar("91350100M000100Y4")).toBe("3");
    expect(parseUscc("91350100m000100y43")).toEqual({
      ok: true,
      normalized: "91350100M000100Y43",
      registrationAuthority: "9",
      orgType: "1",
      regionCode: "350100",
      organizationCode: "M000100Y4",
    });
    // The embedded GB 11714 organisation code carries its own check character.
    expect(orgCodeCheckChar("M000100Y")).toBe("4");
  });

  it("reports why a code is rejected", () => {
    const withCheck = (first17: string) => first17 + usccCheckChar(first17);
    expect(parseUscc("91350100M000100Y4")).toEqual({ ok: false, reason: "format" });
    expect(parseUscc("91350100M000100I43")).toEqual({ ok: false, reason: "format" });
    expect(parseUscc("91350100M000100Y44")).toEqual({ ok: false, reason: "checksum" });
    expect(parseUscc(withCheck("94350100M000100Y4"))).toEqual({ ok: false, reason: "authority" });
    expect(parseUscc(withCheck("B1350100M000100Y4"))).toEqual({ ok: false, reason: "authority" });
    expect(parseUscc(withCheck("9199A100M000100Y4"))).toEqual({ ok: false, reason: "region" });
    expect(parseUscc(withCheck("91990100M000100Y4"))).toEqual({ ok: false, reason: "region" });
  });

  it("accepts generated valid codes", () => {
    fc.assert(
      fc.property(usccArb, (code) => {
        expect(parseUscc(code).ok).toBe(true);
      }),
    );
  });

  it("rejects every single-character change of a valid code", () => {
    fc.assert(
      fc.property(usccArb, (code) => {
        for (const changed of singleSubstitutions(code, `${USCC_ALPHABET}IOSVZ`))
          expect(parseUscc(changed).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it("rejects every adjacent transposition of a valid code", () => {
    fc.assert(
      fc.property(usccArb, (code) => {
        for (const changed of adjacentTranspositions(code)) expect(parseUscc(changed).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it("computes organisation-code check characters including X and 0", () => {
    const checks = new Set<string>();
    for (let n = 0; n < 200; n++) checks.add(orgCodeCheckChar(String(10_000_000 + n * 7919)));
    expect(checks.has("X")).toBe(true);
    expect(checks.has("0")).toBe(true);
    expect(() => orgCodeCheckChar("1234567")).toThrow(RangeError);
  });
});

describe("validateIdentityDocument", () => {
  const residencePermit = (prefix: string) => {
    const first17 = `${prefix}19900101002`;
    return first17 + citizenIdCheckChar(first17);
  };
  const newPrCard = (() => {
    const first17 = "93184019850612003";
    return first17 + citizenIdCheckChar(first17);
  })();

  const cases: [IdentityDocumentType, string, string | null][] = [
    ["resident_id", "11010519491231002x", "11010519491231002X"],
    ["resident_id", "110105194912310021", null],
    ["hk_macao_permit", "h12345678", "H12345678"],
    ["hk_macao_permit", "M1234567801", "M1234567801"],
    ["hk_macao_permit", "H1234567", null],
    ["hk_macao_permit", "K12345678", null],
    ["taiwan_permit", "12345678", "12345678"],
    ["taiwan_permit", "1234567890", "1234567890"],
    ["taiwan_permit", "123456789", null],
    ["hkmt_residence_permit", residencePermit("810000"), residencePermit("810000")],
    ["hkmt_residence_permit", residencePermit("820000"), residencePermit("820000")],
    ["hkmt_residence_permit", residencePermit("830000"), residencePermit("830000")],
    ["hkmt_residence_permit", residencePermit("440120"), null],
    [
      "hkmt_residence_permit",
      `${residencePermit("810000").slice(0, 17)}${residencePermit("810000").endsWith("1") ? "2" : "1"}`,
      null,
    ],
    ["cn_passport", "E12345678", "E12345678"],
    ["cn_passport", "ea1234567", "EA1234567"],
    ["cn_passport", "G12345678", "G12345678"],
    ["cn_passport", "EI1234567", null],
    ["cn_passport", "P12345678", null],
    ["foreign_passport", "x1234567", "X1234567"],
    ["foreign_passport", "AB12", null],
    ["foreign_passport", "AB-123456", null],
    ["foreign_permanent_resident", newPrCard, newPrCard],
    ["foreign_permanent_resident", "usa110101010001", "USA110101010001"],
    ["foreign_permanent_resident", "11010519491231002X", null],
    ["foreign_permanent_resident", "US1101010100011", null],
  ];

  it.each(cases)("%s %s", (type, number, expected) => {
    const result = validateIdentityDocument(type, number, TODAY);
    if (expected === null) expect(result.ok).toBe(false);
    else expect(result).toEqual({ ok: true, normalized: expected });
  });

  it("passes resident-ID reasons through", () => {
    expect(validateIdentityDocument("resident_id", "110105194912310021", TODAY)).toEqual({
      ok: false,
      reason: "checksum",
    });
    expect(validateIdentityDocument("hkmt_residence_permit", residencePermit("440120"), TODAY)).toEqual({
      ok: false,
      reason: "region",
    });
  });
});
