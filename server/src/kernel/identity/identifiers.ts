/**
 * Validators for the identity documents a Chinese government service accepts. Pure functions: no I/O,
 * and "today" is a parameter wherever a date matters so results are reproducible.
 */

// ---------------------------------------------------------------------------------------------------
// Resident identity card (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence (odd for
// men), ISO 7064 MOD 11-2 check character.

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARS = "10X98765432";

/**
 * Province-level prefixes (GB/T 2260) that mainland public security organs issue numbers under. Only the
 * province is checked: county codes are renamed and merged every year, yet a number keeps its original
 * code for life, so a full code table would reject genuine older cards.
 */
// biome-ignore format: one row per region group reads better than one code per line
const MAINLAND_PROVINCES = new Set([
  "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
  "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
]);

const EARLIEST_BIRTH_DATE = "1900-01-01";

export interface DateOptions {
  /** The reference day as "YYYY-MM-DD"; defaults to the current day in China Standard Time. */
  today?: string;
}

/** The current calendar day in China (UTC+8), which is what "not in the future" means for a card. */
export function chinaToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function citizenIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError("citizenIdCheckChar expects exactly 17 digits");
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK_CHARS[sum % 11]!;
}

/** "YYYYMMDD" → "YYYY-MM-DD" when it names a real calendar day, otherwise null. */
export function compactDateToIso(yyyymmdd: string): string | null {
  if (!/^\d{8}$/.test(yyyymmdd)) return null;
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 19900230 over to 1990-03-02, so a round trip exposes impossible days.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

function plausibleBirthDate(yyyymmdd: string, options: DateOptions | undefined): string | null {
  const iso = compactDateToIso(yyyymmdd);
  if (!iso) return null;
  const today = options?.today ?? chinaToday();
  // ISO dates compare correctly as strings.
  return iso >= EARLIEST_BIRTH_DATE && iso <= today ? iso : null;
}

/** Shared by every document that embeds the resident-ID layout (resident ID, residence permit, new PR card). */
function checkIdLayout(
  s: string,
  options: DateOptions | undefined,
):
  | { ok: true; normalized: string; birthDate: string }
  | { ok: false; reason: "format" | "birthdate" | "checksum" } {
  const normalized = s.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(normalized)) return { ok: false, reason: "format" };
  const birthDate = plausibleBirthDate(normalized.slice(6, 14), options);
  if (!birthDate) return { ok: false, reason: "birthdate" };
  if (citizenIdCheckChar(normalized.slice(0, 17)) !== normalized[17])
    return { ok: false, reason: "checksum" };
  return { ok: true, normalized, birthDate };
}

export type CitizenIdFailure = "format" | "birthdate" | "checksum" | "region";

export type ParsedCitizenId =
  | { ok: true; regionCode: string; birthDate: string; gender: "male" | "female"; normalized: string }
  | { ok: false; reason: CitizenIdFailure };

/**
 * Parses an 18-character resident ID. A lowercase check "x" is accepted because people type it that
 * way; `normalized` carries the canonical uppercase form to store.
 */
export function parseCitizenId(s: string, options?: DateOptions): ParsedCitizenId {
  const trimmed = s.trim();
  if (!/^\d{17}[\dXx]$/.test(trimmed)) return { ok: false, reason: "format" };
  // Region comes first so a foreign or Hong Kong number typed into the wrong field says so.
  if (!MAINLAND_PROVINCES.has(trimmed.slice(0, 2))) return { ok: false, reason: "region" };
  const layout = checkIdLayout(trimmed, options);
  if (!layout.ok) return layout;
  return {
    ok: true,
    regionCode: layout.normalized.slice(0, 6),
    birthDate: layout.birthDate,
    gender: Number(layout.normalized[16]) % 2 === 1 ? "male" : "female",
    normalized: layout.normalized,
  };
}

/** First-generation (pre-1999) 15-digit number → 18 digits: the year gains "19" and a check character. */
export function upgradeLegacyId(id15: string): string {
  const trimmed = id15.trim();
  if (!/^\d{15}$/.test(trimmed)) throw new RangeError("upgradeLegacyId expects exactly 15 digits");
  const first17 = `${trimmed.slice(0, 6)}19${trimmed.slice(6)}`;
  return first17 + citizenIdCheckChar(first17);
}

// ---------------------------------------------------------------------------------------------------
// Unified social credit code (GB 32100-2015): registration authority, organisation type, 6-digit region,
// 9-character organisation code (GB 11714), MOD 31 check character.

export const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** Registration authorities and the organisation types each may issue (GB 32100-2015 Annex A and amendments). */
export const USCC_AUTHORITIES: Readonly<
  Record<string, { name: string; orgTypes: Readonly<Record<string, string>> }>
> = {
  "1": {
    name: "机构编制",
    orgTypes: { "1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他" },
  },
  "2": { name: "外交", orgTypes: { "1": "外国常驻新闻机构", "9": "其他" } },
  "3": {
    name: "司法行政",
    orgTypes: {
      "1": "律师执业机构",
      "2": "公证处",
      "3": "基层法律服务所",
      "4": "司法鉴定机构",
      "5": "仲裁委员会",
      "9": "其他",
    },
  },
  "4": { name: "文化", orgTypes: { "1": "外国在华文化中心", "9": "其他" } },
  "5": { name: "民政", orgTypes: { "1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他" } },
  "6": {
    name: "旅游",
    orgTypes: {
      "1": "外国旅游部门常驻代表机构",
      "2": "港澳台地区旅游部门常驻内地（大陆）代表机构",
      "9": "其他",
    },
  },
  "7": { name: "宗教", orgTypes: { "1": "宗教活动场所", "2": "宗教院校", "9": "其他" } },
  "8": { name: "工会", orgTypes: { "1": "基层工会", "9": "其他" } },
  "9": { name: "工商", orgTypes: { "1": "企业", "2": "个体工商户", "3": "农民专业合作社" } },
  A: { name: "中央军委改革和编制办公室", orgTypes: { "1": "军队事业单位", "9": "其他" } },
  N: {
    name: "农业",
    orgTypes: { "1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他" },
  },
  Y: { name: "其他", orgTypes: { "1": "其他" } },
};

export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError("usccCheckChar expects exactly 17 characters");
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17[i]!);
    if (value < 0)
      throw new RangeError(`usccCheckChar: ${JSON.stringify(first17[i])} is not a USCC character`);
    sum += value * USCC_WEIGHTS[i]!;
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/**
 * GB 11714 organisation-code check character for the 8-character body (positions 9–16 of a USCC).
 * Not enforced by parseUscc: the outer MOD 31 check already catches typos, and some historical codes
 * were issued with non-conforming inner check characters.
 */
export function orgCodeCheckChar(body8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body8))
    throw new RangeError("orgCodeCheckChar expects 8 digits or capital letters");
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number.parseInt(body8[i]!, 36) * ORG_CODE_WEIGHTS[i]!;
  const check = 11 - (sum % 11);
  return check === 10 ? "X" : check === 11 ? "0" : String(check);
}

export type UsccFailure = "format" | "checksum" | "authority" | "region";

export type ParsedUscc =
  | {
      ok: true;
      normalized: string;
      registrationAuthority: string;
      orgType: string;
      regionCode: string;
      organizationCode: string;
    }
  | { ok: false; reason: UsccFailure };

const USCC_PATTERN = new RegExp(`^[${USCC_ALPHABET}]{18}$`);
// Registrations by central organs carry the national code 100000 instead of a province.
const USCC_PROVINCES = new Set([...MAINLAND_PROVINCES, "10"]);

export function parseUscc(s: string): ParsedUscc {
  const normalized = s.trim().toUpperCase();
  if (!USCC_PATTERN.test(normalized)) return { ok: false, reason: "format" };
  const registrationAuthority = normalized[0]!;
  const orgType = normalized[1]!;
  if (!USCC_AUTHORITIES[registrationAuthority]?.orgTypes[orgType]) return { ok: false, reason: "authority" };
  const regionCode = normalized.slice(2, 8);
  if (!/^\d{6}$/.test(regionCode) || !USCC_PROVINCES.has(regionCode.slice(0, 2))) {
    return { ok: false, reason: "region" };
  }
  if (usccCheckChar(normalized.slice(0, 17)) !== normalized[17]) return { ok: false, reason: "checksum" };
  return {
    ok: true,
    normalized,
    registrationAuthority,
    orgType,
    regionCode,
    organizationCode: normalized.slice(8, 17),
  };
}

// ---------------------------------------------------------------------------------------------------
// Other identity documents accepted in place of a resident ID.

export type IdentityDocumentType =
  | "resident_id"
  | "hk_macao_permit"
  | "taiwan_permit"
  | "hkmt_residence_permit"
  | "cn_passport"
  | "foreign_passport"
  | "foreign_permanent_resident";

export const IDENTITY_DOCUMENT_TYPES: readonly IdentityDocumentType[] = [
  "resident_id",
  "hk_macao_permit",
  "taiwan_permit",
  "hkmt_residence_permit",
  "cn_passport",
  "foreign_passport",
  "foreign_permanent_resident",
];

export type DocumentValidation = { ok: true; normalized: string } | { ok: false; reason: string };

const HKMT_PREFIXES = new Set(["810000", "820000", "830000"]);

function byPattern(normalized: string, ...patterns: RegExp[]): DocumentValidation {
  return patterns.some((p) => p.test(normalized))
    ? { ok: true, normalized }
    : { ok: false, reason: "format" };
}

export function validateIdentityDocument(
  type: IdentityDocumentType,
  number: string,
  options?: DateOptions,
): DocumentValidation {
  const normalized = number.trim().toUpperCase();
  switch (type) {
    case "resident_id": {
      const parsed = parseCitizenId(number, options);
      return parsed.ok ? { ok: true, normalized: parsed.normalized } : parsed;
    }
    // 港澳居民来往内地通行证: H (Hong Kong) or M (Macao) + 8 digits; pre-2013 cards add a 2-digit issue count.
    case "hk_macao_permit":
      return byPattern(normalized, /^[HM]\d{8}(\d{2})?$/);
    // 台湾居民来往大陆通行证: 8 digits since 2015; older booklets carried 10.
    case "taiwan_permit":
      return byPattern(normalized, /^\d{8}(\d{2})?$/);
    // 港澳台居民居住证: resident-ID layout under the pseudo-regions 810000 / 820000 / 830000.
    case "hkmt_residence_permit": {
      if (/^\d{6}/.test(normalized) && !HKMT_PREFIXES.has(normalized.slice(0, 6)))
        return { ok: false, reason: "region" };
      const layout = checkIdLayout(normalized, options);
      return layout.ok ? { ok: true, normalized } : layout;
    }
    // Ordinary passports: E + 8 digits, then E + letter (never I or O) + 7 digits once those ran out;
    // G + 8 digits on booklets issued before 2012 that are still in circulation records.
    case "cn_passport":
      return byPattern(normalized, /^E\d{8}$/, /^E[A-HJ-NP-Z]\d{7}$/, /^G\d{8}$/);
    case "foreign_passport":
      return byPattern(normalized, /^[A-Z0-9]{6,20}$/);
    // 外国人永久居留身份证: 2023 cards use the resident-ID layout led by 9; older cards are
    // 3-letter nationality + 12 digits.
    case "foreign_permanent_resident": {
      if (/^[A-Z]{3}\d{12}$/.test(normalized)) return { ok: true, normalized };
      if (!normalized.startsWith("9")) return { ok: false, reason: "format" };
      const layout = checkIdLayout(normalized, options);
      return layout.ok ? { ok: true, normalized } : layout;
    }
    default: {
      const unknown: never = type;
      return { ok: false, reason: `unsupported document type ${String(unknown)}` };
    }
  }
}
