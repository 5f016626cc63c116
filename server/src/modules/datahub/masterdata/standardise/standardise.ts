/**
 * Standardisation of master-data records before fusion: each field is folded to one canonical form
 * (half-width, simplified Chinese, 18-digit ID, ISO date …) and checked. An invalid value is kept,
 * only cleaned of whitespace and full-width forms, so a reviewer can still see and fix it.
 */
import {
  chinaToday,
  parseCitizenId,
  parseUscc,
  upgradeLegacyId,
  validateIdentityDocument,
} from "../../../../kernel/identity/identifiers";
import { fieldsOf, type MasterBase } from "./fields";
import { collapseWhitespace, HAN_CHAR, hasHan, rawAsText, toCleanText, toSimplified } from "./text";

/** Why a present value is invalid. */
export type InvalidReason = "format" | "checksum" | "range" | "unknown";

/** The outcome of standardising one value. */
export interface FieldResult {
  /**
   * The standardised value. An invalid value is only cleaned: NFKC (half-width) and trimmed; ID
   * numbers and USCCs also lose spaces and hyphens and are upper-cased, phone numbers lose spaces.
   */
  value: string | number | null;
  /** False when a value is present but wrong; blank input is valid (and null). */
  valid: boolean;
  /** Set exactly when `valid` is false. */
  reason?: InvalidReason;
  /** True when the value differs from the input (ignoring surrounding whitespace). */
  changed: boolean;
}

/** A standardised record. */
export interface Standardised {
  /** Normalised value per field present in the input (empty/blank → null). */
  values: Record<string, string | number | null>;
  /** Fields whose value is present but invalid; the value is kept in `values`. */
  invalid: Record<string, InvalidReason>;
  /** Fields that normalisation changed (15→18 ID, traditional→simplified, date reformatted …). */
  changed: string[];
}

/** Options for the date-dependent checks. */
export interface StandardiseOptions {
  /** The reference day "YYYY-MM-DD" for "not in the future"; defaults to today in China (UTC+8). */
  today?: string;
}

/** A field-level standardiser. */
export type FieldStandardiser = (raw: unknown, options?: StandardiseOptions) => FieldResult;

const EARLIEST_DATE = "1900-01-01";
const DAY_MS = 86_400_000;

let cachedToday = "";
let cachedTodayEndsAt = 0;

/**
 * Today in China as "YYYY-MM-DD", recomputed only when the day has turned: formatting a date costs
 * more than the rest of a field check, and this runs for every date and ID number.
 */
function todayInChina(): string {
  const now = Date.now();
  if (now >= cachedTodayEndsAt) {
    cachedToday = chinaToday(new Date(now));
    cachedTodayEndsAt = Date.parse(`${cachedToday}T00:00:00+08:00`) + DAY_MS;
  }
  return cachedToday;
}

/** At least `minimum` characters (code points), without building an array for the common case. */
function hasAtLeastChars(text: string, minimum: number): boolean {
  if (text.length >= minimum * 2) return true;
  return [...text].length >= minimum;
}

function valid(raw: unknown, value: string | number | null): FieldResult {
  return { value, valid: true, changed: isChanged(raw, value) };
}

function invalid(raw: unknown, value: string, reason: InvalidReason): FieldResult {
  return { value, valid: false, reason, changed: isChanged(raw, value) };
}

function isChanged(raw: unknown, value: string | number | null): boolean {
  if (value === null) return false;
  return String(value) !== rawAsText(raw);
}

const BLANK: FieldResult = Object.freeze({ value: null, valid: true, changed: false });

// ---------------------------------------------------------------------------------------------------
// Text

/** Generic text: NFKC, trimmed, inner whitespace collapsed, traditional → simplified. Always valid. */
export function standardiseText(raw: unknown): FieldResult {
  const text = toCleanText(raw);
  if (text === null) return BLANK;
  return valid(raw, toSimplified(collapseWhitespace(text)));
}

// ---------------------------------------------------------------------------------------------------
// Names

// Middle-dot look-alikes used between the parts of minority and foreign names (NFKC has already
// turned ･ into ・ and ． into .), and dashes typed instead of the dot.
const NAME_DOTS = /[.・•‧∙⋅⸱᛫·\-‐‑‒–—]+/g;
const HAN_NAME = new RegExp(`^${HAN_CHAR}+(?:·${HAN_CHAR}+)*$`, "u");
const HAN_CHARS = new RegExp(HAN_CHAR, "gu");
const LATIN_NAME = /^\p{Script=Latin}[\p{Script=Latin} .'-]*$/u;
const LATIN_LETTERS = /\p{Script=Latin}/gu;
const APOSTROPHES = /[‘’ʼ`´]/g;

/**
 * A natural person's name. Han names lose all whitespace, have their middle-dot variants unified
 * to "·" and are simplified (陳偉明 → 陈伟明); valid with 2–20 Han characters. Latin names have
 * their whitespace collapsed and are upper-cased, as on passports; valid with at least two letters,
 * spaces, hyphens, apostrophes and dots.
 */
export function standardisePersonName(raw: unknown): FieldResult {
  const text = toCleanText(raw);
  if (text === null) return BLANK;
  if (hasHan(text)) {
    const name = toSimplified(text.replace(NAME_DOTS, "·").replace(/\s+/g, ""));
    const hanCount = name.match(HAN_CHARS)?.length ?? 0;
    return HAN_NAME.test(name) && hanCount >= 2 && hanCount <= 20
      ? valid(raw, name)
      : invalid(raw, text, "format");
  }
  const name = collapseWhitespace(text.replace(APOSTROPHES, "'")).toUpperCase();
  const letters = name.match(LATIN_LETTERS)?.length ?? 0;
  return LATIN_NAME.test(name) && letters >= 2 && name.length <= 100
    ? valid(raw, name)
    : invalid(raw, text, "format");
}

const OPEN_BRACKETS = /[([【〔〖［]/g;
const CLOSE_BRACKETS = /[)\]】〕〗］]/g;
const SPACE_NEAR_CJK = new RegExp(`\\s+(?=${HAN_CHAR}|[（）])|(?<=${HAN_CHAR}|[（）])\\s+`, "gu");

/** An organisation name without the validity check: NFKC, spacing, simplified, （） brackets. */
function normaliseOrganisationName(text: string): string {
  const bracketed = text.replace(OPEN_BRACKETS, "（").replace(CLOSE_BRACKETS, "）");
  return toSimplified(collapseWhitespace(bracketed.replace(SPACE_NEAR_CJK, "")));
}

/**
 * An enterprise or organisation name: whitespace next to Chinese removed and collapsed elsewhere,
 * simplified, brackets unified to the full-width （） of the registration convention
 * (广州市某某（云溪）有限公司). Valid with at least 4 characters.
 */
export function standardiseEnterpriseName(raw: unknown): FieldResult {
  const text = toCleanText(raw);
  if (text === null) return BLANK;
  const name = normaliseOrganisationName(text);
  return hasAtLeastChars(name, 4) ? valid(raw, name) : invalid(raw, text, "format");
}

/** An employer (工作单位): organisation-name normalisation, but any non-blank value is valid. */
export function standardiseEmployer(raw: unknown): FieldResult {
  const text = toCleanText(raw);
  if (text === null) return BLANK;
  return valid(raw, normaliseOrganisationName(text));
}

// ---------------------------------------------------------------------------------------------------
// Identity numbers

const ID_SEPARATORS = /[\s\-‐‑–—]/g;
const HKMT_RESIDENCE_PREFIX = /^8[123]0000/;

function documentReason(reason: string): InvalidReason {
  if (reason === "checksum") return "checksum";
  if (reason === "birthdate") return "range";
  return "format";
}

/** Other identity documents a person record may carry in place of a resident ID. */
function isOtherIdentityDocument(compact: string): boolean {
  if (validateIdentityDocument("hk_macao_permit", compact).ok) return true;
  if (validateIdentityDocument("taiwan_permit", compact).ok) return true;
  if (validateIdentityDocument("cn_passport", compact).ok) return true;
  if (/^[A-Z]{3}\d{12}$/.test(compact)) return true; // 外国人永久居留身份证, pre-2023 layout
  // A foreign passport mixes letters and digits; a long run of digits is a mistyped resident ID.
  const digits = compact.replace(/\D/g, "").length;
  return /^(?=.*[A-Z])(?=.*\d)[A-Z0-9]{6,20}$/.test(compact) && digits < 15;
}

/**
 * An identity number (公民身份号码). Spaces and hyphens go, x becomes X, a 15-digit first-generation
 * number is upgraded to 18 digits. Valid when the region, birth date and check character hold;
 * a wrong check character is "checksum", an impossible or out-of-range birth date "range", anything
 * else "format". Hong Kong/Macao/Taiwan residence permits (810000/820000/830000), the 2023 foreign
 * permanent-resident card (leading 9), travel permits and passports are accepted by their patterns.
 */
export function standardiseIdNumber(raw: unknown, options?: StandardiseOptions): FieldResult {
  const text = toCleanText(raw);
  if (text === null) return BLANK;
  const compact = text.replace(ID_SEPARATORS, "").toUpperCase();
  const dates = { today: options?.today ?? todayInChina() };

  if (/^\d{15}$/.test(compact)) {
    const upgraded = upgradeLegacyId(compact);
    const parsed = parseCitizenId(upgraded, dates);
    return parsed.ok ? valid(raw, upgraded) : invalid(raw, compact, documentReason(parsed.reason));
  }
  if (/^\d{17}[\dX]$/.test(compact)) {
    const type = HKMT_RESIDENCE_PREFIX.test(compact)
      ? "hkmt_residence_permit"
      : compact.startsWith("9")
        ? "foreign_permanent_resident"
        : "resident_id";
    const checked = validateIdentityDocument(type, compact, dates);
    return checked.ok ? valid(raw, compact) : invalid(raw, compact, documentReason(checked.reason));
  }
  return isOtherIdentityDocument(compact) ? valid(raw, compact) : invalid(raw, compact, "format");
}

/**
 * A unified social credit code (统一社会信用代码): spaces removed, upper-cased. Valid when the
 * authority, organisation type, region and MOD 31 check character hold; a wrong check character is
 * "checksum", anything else "format".
 */
export function standardiseUscc(raw: unknown): FieldResult {
  const text = toCleanText(raw);
  if (text === null) return BLANK;
  const compact = text.replace(ID_SEPARATORS, "").toUpperCase();
  const parsed = parseUscc(compact);
  if (parsed.ok) return valid(raw, parsed.normalized);
  return invalid(raw, compact, parsed.reason === "checksum" ? "checksum" : "format");
}

// ---------------------------------------------------------------------------------------------------
// Coded values

// GB/T 2261.1-2003: 1 男, 2 女; 0 (未知) and 9 (未说明) carry no answer and stay "unknown".
const GENDERS: ReadonlyMap<string, string> = new Map([
  ["男", "男"],
  ["男性", "男"],
  ["m", "男"],
  ["male", "男"],
  ["1", "男"],
  ["女", "女"],
  ["女性", "女"],
  ["f", "女"],
  ["female", "女"],
  ["2", "女"],
]);

/** Gender as 男 or 女 (GB/T 2261.1 codes, M/F, male/female, 男性/女性); anything else "unknown". */
export function standardiseGender(raw: unknown): FieldResult {
  const text = toCleanText(raw);
  if (text === null) return BLANK;
  const gender = GENDERS.get(text.toLowerCase());
  return gender ? valid(raw, gender) : invalid(raw, text, "unknown");
}

// GB/T 2261.2-2003: 10 未婚, 20 已婚 (21 初婚, 22 再婚, 23 复婚), 30 丧偶, 40 离婚; 90 未说明.
const MARITAL_STATUSES: ReadonlyMap<string, string> = new Map([
  ["未婚", "未婚"],
  ["单身", "未婚"],
  ["10", "未婚"],
  ["已婚", "已婚"],
  ["有配偶", "已婚"],
  ["初婚", "已婚"],
  ["再婚", "已婚"],
  ["复婚", "已婚"],
  ["20", "已婚"],
  ["21", "已婚"],
  ["22", "已婚"],
  ["23", "已婚"],
  ["丧偶", "丧偶"],
  ["30", "丧偶"],
  ["离婚", "离婚"],
  ["离异", "离婚"],
  ["40", "离婚"],
]);

/** Marital status as 未婚 / 已婚 / 丧偶 / 离婚 (words or GB/T 2261.2 codes); anything else "unknown". */
export function standardiseMaritalStatus(raw: unknown): FieldResult {
  const text = toCleanText(raw);
  if (text === null) return BLANK;
  const status = MARITAL_STATUSES.get(toSimplified(text.replace(/\s+/g, "")));
  return status ? valid(raw, status) : invalid(raw, text, "unknown");
}

/** The 56 recognised ethnic groups, in the order of their GB/T 3304-1991 codes 01–56. */
export const ETHNIC_GROUPS = [
  "汉族",
  "蒙古族",
  "回族",
  "藏族",
  "维吾尔族",
  "苗族",
  "彝族",
  "壮族",
  "布依族",
  "朝鲜族",
  "满族",
  "侗族",
  "瑶族",
  "白族",
  "土家族",
  "哈尼族",
  "哈萨克族",
  "傣族",
  "黎族",
  "傈僳族",
  "佤族",
  "畲族",
  "高山族",
  "拉祜族",
  "水族",
  "东乡族",
  "纳西族",
  "景颇族",
  "柯尔克孜族",
  "土族",
  "达斡尔族",
  "仫佬族",
  "羌族",
  "布朗族",
  "撒拉族",
  "毛南族",
  "仡佬族",
  "锡伯族",
  "阿昌族",
  "普米族",
  "塔吉克族",
  "怒族",
  "乌孜别克族",
  "俄罗斯族",
  "鄂温克族",
  "德昂族",
  "保安族",
  "裕固族",
  "京族",
  "塔塔尔族",
  "独龙族",
  "鄂伦春族",
  "赫哲族",
  "门巴族",
  "珞巴族",
  "基诺族",
] as const;

const ETHNICITIES: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  ETHNIC_GROUPS.forEach((group, index) => {
    map.set(group, group);
    map.set(group.slice(0, -1), group);
    map.set(String(index + 1).padStart(2, "0"), group);
    map.set(String(index + 1), group);
  });
  // Colloquial short forms.
  map.set("维族", "维吾尔族");
  map.set("蒙族", "蒙古族");
  return map;
})();

/** Ethnicity as one of the 56 names with 族 (汉 → 汉族, code 08 → 壮族); anything else "unknown". */
export function standardiseEthnicity(raw: unknown): FieldResult {
  const text = toCleanText(raw);
  if (text === null) return BLANK;
  const group = ETHNICITIES.get(toSimplified(text.replace(/\s+/g, "")));
  return group ? valid(raw, group) : invalid(raw, text, "unknown");
}

// ---------------------------------------------------------------------------------------------------
// Dates

const DATE_FORMATS = [
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/,
  /^(\d{4})(\d{2})(\d{2})$/,
];
const DATE_AND_TIME =
  /^(\S+?)(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * A date without time as "YYYY-MM-DD", or null when the text is in none of the known layouts or
 * names no real day (1990-02-30). Checked arithmetically: building a Date costs a microsecond.
 */
function calendarDay(text: string): string | null {
  for (const format of DATE_FORMATS) {
    const match = format.exec(text);
    if (!match) continue;
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    if (month < 1 || month > 12 || day < 1) return null;
    const monthLength = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
    if (day > monthLength) return null;
    return `${match[1]}-${match[2]!.padStart(2, "0")}-${match[3]!.padStart(2, "0")}`;
  }
  return null;
}

/** "+08", "+0800", "+08:00" or "Z" as "+08:00" / "Z", the forms Date.parse accepts everywhere. */
function isoZone(zone: string): string {
  if (zone.toUpperCase() === "Z") return "Z";
  const digits = zone.slice(1).replace(":", "");
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || "00"}`;
}

/** The day in China (UTC+8) of an instant. */
function chinaDay(epochMs: number): string | null {
  return Number.isNaN(epochMs) ? null : chinaToday(new Date(epochMs));
}

/** Date text (any supported layout, optionally with a time) → "YYYY-MM-DD", or null. */
function parseDateText(text: string): string | null {
  const withTime = text.includes(":") ? DATE_AND_TIME.exec(text) : null;
  if (!withTime) return calendarDay(text);
  const day = calendarDay(withTime[1]!);
  const zone = withTime[5];
  if (!day || !zone) return day;
  // An instant with an offset is read as the day it was in China: a local midnight serialised in UTC
  // (1990-01-01T16:00:00Z) is 1990-01-02.
  const time = `${withTime[2]!.padStart(2, "0")}:${withTime[3]}:${withTime[4] ?? "00"}`;
  return chinaDay(Date.parse(`${day}T${time}${isoZone(zone)}`));
}

/**
 * A date (birthDate, establishedDate) as "YYYY-MM-DD". Accepts 1990-01-02, 1990/1/2, 1990.1.2,
 * 19900102, 1990年1月2日, a date with a time, ISO date-times (an offset is converted to the day in
 * China) and Date objects. Not a real calendar date → "format"; before 1900-01-01 or after today
 * → "range".
 */
export function standardiseDate(raw: unknown, options?: StandardiseOptions): FieldResult {
  if (raw instanceof Date) {
    const day = chinaDay(raw.getTime());
    return day ? checkDateRange(raw, day, day, options) : invalid(raw, "Invalid Date", "format");
  }
  const text = toCleanText(raw);
  if (text === null) return BLANK;
  const day = parseDateText(text);
  return day ? checkDateRange(raw, day, text, options) : invalid(raw, text, "format");
}

/** `day` when it lies in 1900-01-01 … today, otherwise "range" keeping `shown`. */
function checkDateRange(
  raw: unknown,
  day: string,
  shown: string,
  options: StandardiseOptions | undefined,
): FieldResult {
  const today = options?.today ?? todayInChina();
  // ISO dates compare correctly as strings.
  return day >= EARLIEST_DATE && day <= today ? valid(raw, day) : invalid(raw, shown, "range");
}

// ---------------------------------------------------------------------------------------------------
// Phone numbers

const PHONE_SEPARATORS = /[\s\-‐‑–—()（）.]/g;
const PHONE_EXTENSION = /^(.+?)\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$/i;
// 020-87654321-123: a hyphenated extension is only recognisable before the separators are removed.
const HYPHENATED_EXTENSION = /^(\(?0\d{2,3}\)?[\s-]?\d{7,8})-(\d{1,6})$/;
const MOBILE = /^1[3-9]\d{9}$/;
const LOCAL_NUMBER = /^[2-9]\d{6,7}$/;

/** Digits (with an optional leading +) → the canonical form, or null. */
function canonicalPhone(digits: string): string | null {
  let number = digits;
  const international = /^(?:\+86|0086)(\d+)$/.exec(number);
  if (international) {
    const national = international[1]!;
    if (MOBILE.test(national)) return national;
    number = national.startsWith("0") ? national : `0${national}`;
  } else if (/^86\d{11}$/.test(number) && MOBILE.test(number.slice(2))) {
    return number.slice(2);
  }
  if (!/^\d+$/.test(number)) return null;
  if (MOBILE.test(number)) return number;
  if (number.startsWith("0")) {
    // 010 and 02x are the three-digit area codes; every other area code has four digits.
    const areaLength = /^0[12]/.test(number) ? 3 : 4;
    const local = number.slice(areaLength);
    return LOCAL_NUMBER.test(local) ? `${number.slice(0, areaLength)}-${local}` : null;
  }
  if (/^[48]00\d{7}$/.test(number)) return `${number.slice(0, 3)}-${number.slice(3, 6)}-${number.slice(6)}`;
  if (/^[2-9]\d{7}$/.test(number)) return number; // a local landline without area code
  return null;
}

/**
 * A phone number: separators and a +86 / 0086 / 86 prefix removed. A mobile number becomes its 11
 * digits; a landline with area code becomes "020-87654321"; a bare 8-digit local number stays as is;
 * 400/800 numbers become "400-123-4567"; a landline's extension (转123, ext 123, -123) is appended
 * as "-123". Anything else, including several numbers in one field, is "format".
 */
export function standardisePhone(raw: unknown): FieldResult {
  const text = toCleanText(raw);
  if (text === null) return BLANK;
  let main = text;
  let extension = "";
  const hyphenated = HYPHENATED_EXTENSION.exec(text);
  const marked = hyphenated ? null : PHONE_EXTENSION.exec(text);
  const split = hyphenated ?? marked;
  if (split) {
    main = split[1]!;
    extension = split[2]!;
  }
  const compact = main.replace(PHONE_SEPARATORS, "");
  const number = canonicalPhone(compact);
  if (number === null) return invalid(raw, text.replace(/\s+/g, ""), "format");
  if (extension && MOBILE.test(number)) return invalid(raw, text.replace(/\s+/g, ""), "format");
  return valid(raw, extension ? `${number}-${extension}` : number);
}

// ---------------------------------------------------------------------------------------------------
// Addresses and capital

/**
 * An address: NFKC, simplified (號 → 号), all whitespace removed. Valid with at least 4 characters.
 * parseAddress (address.ts) splits the result into parts.
 */
export function standardiseAddress(raw: unknown): FieldResult {
  const text = toCleanText(raw);
  if (text === null) return BLANK;
  const address = toSimplified(text.replace(/\s+/g, ""));
  return hasAtLeastChars(address, 4) ? valid(raw, address) : invalid(raw, text, "format");
}

const CAPITAL =
  /^(?:人民币|RMB|CNY)?(\d+(?:\.\d+)?)(亿|千万|百万|万|千)?(元|圆|人民币|美元|港元|港币|欧元|日元|英镑)?(?:人民币)?$/i;
/** How many 万元 one unit is worth; without a unit, a currency means yuan and none means 万元. */
const CAPITAL_UNITS: Readonly<Record<string, number>> = {
  亿: 10_000,
  千万: 1_000,
  百万: 100,
  万: 1,
  千: 0.1,
};

function roundCapital(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/**
 * Registered capital in 万元, rounded to 4 decimals. A number is taken as 万元; text may carry a
 * unit (100万元, 1,000,000元, 1.5亿, 100.5万元人民币). The currency is not converted: 50万美元 is 50,
 * 1000美元 is 0.1.
 * Unreadable → "format"; negative → "range".
 */
export function standardiseCapital(raw: unknown): FieldResult {
  if (typeof raw === "number") {
    if (!Number.isFinite(raw)) return invalid(raw, String(raw), "format");
    return raw < 0 ? invalid(raw, String(raw), "range") : valid(raw, roundCapital(raw));
  }
  const text = toCleanText(raw);
  if (text === null) return BLANK;
  const match = CAPITAL.exec(text.replace(/[\s,]/g, ""));
  if (!match) return invalid(raw, text, /^-\d/.test(text) ? "range" : "format");
  const amount = Number(match[1]);
  const unit = match[2];
  const currency = match[3];
  const perUnit = unit ? CAPITAL_UNITS[unit]! : currency ? 1 / 10_000 : 1;
  return valid(raw, roundCapital(amount * perUnit));
}

// ---------------------------------------------------------------------------------------------------
// Records

const PERSON_RULES: Readonly<Record<string, FieldStandardiser>> = {
  name: standardisePersonName,
  idNumber: standardiseIdNumber,
  gender: standardiseGender,
  birthDate: standardiseDate,
  phone: standardisePhone,
  address: standardiseAddress,
  householdAddress: standardiseAddress,
  ethnicity: standardiseEthnicity,
  maritalStatus: standardiseMaritalStatus,
  education: standardiseText,
  employer: standardiseEmployer,
};

const LEGAL_PERSON_RULES: Readonly<Record<string, FieldStandardiser>> = {
  name: standardiseEnterpriseName,
  uscc: standardiseUscc,
  legalRepresentative: standardisePersonName,
  registeredCapital: standardiseCapital,
  establishedDate: standardiseDate,
  address: standardiseAddress,
  industry: standardiseText,
  status: standardiseText,
  phone: standardisePhone,
};

/** The standardiser applied to a field of a base (standardiseText for a field the base lacks). */
export function standardiserFor(base: MasterBase, field: string): FieldStandardiser {
  const rules = base === "population" ? PERSON_RULES : LEGAL_PERSON_RULES;
  return Object.hasOwn(rules, field) ? rules[field]! : standardiseText;
}

/**
 * Standardises the fields of a record that belong to its base (see fieldsOf); other keys are
 * ignored. A field counts as present when its key holds anything but undefined.
 */
export function standardiseRecord(
  base: MasterBase,
  raw: Record<string, unknown>,
  options?: StandardiseOptions,
): Standardised {
  const rules = base === "population" ? PERSON_RULES : LEGAL_PERSON_RULES;
  const result: Standardised = { values: {}, invalid: {}, changed: [] };
  for (const field of fieldsOf(base)) {
    const input = raw[field];
    if (input === undefined) continue;
    const outcome = rules[field]!(input, options);
    result.values[field] = outcome.value;
    if (!outcome.valid) result.invalid[field] = outcome.reason ?? "format";
    if (outcome.changed) result.changed.push(field);
  }
  return result;
}
