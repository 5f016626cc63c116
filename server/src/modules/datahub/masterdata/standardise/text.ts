/**
 * Text primitives shared by the standardisers: Unicode folding and traditional → simplified
 * conversion. Everything here is pure and cheap, because it runs on every field of every record.
 */
import type { DictGroup, DictLike } from "opencc-js";
import * as OpenCC from "opencc-js";

/**
 * One Han character: 〇, the unified blocks (BMP, Extension A, Extensions B–G in the supplementary
 * planes) and the compatibility ideographs. Use with the `u` flag.
 */
export const HAN_CHAR = "[\\u3007\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{323af}]";

const HAS_HAN = new RegExp(HAN_CHAR, "u");
// Zero-width characters survive NFKC and trim() but break equality; they never carry meaning here.
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
const WHITESPACE_RUN = /\s+/g;

/** True when the text contains at least one Han character. */
export function hasHan(text: string): boolean {
  return HAS_HAN.test(text);
}

/**
 * Any input value as trimmed text after Unicode NFKC (full-width letters, digits, punctuation and the
 * ideographic space become their ASCII forms), with zero-width characters removed. `null`,
 * `undefined` and blank text give `null`. Non-finite numbers and objects are stringified so that a bad
 * value stays visible to whoever reviews it.
 */
export function toCleanText(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  let text: string;
  if (typeof raw === "string") text = raw;
  else if (typeof raw === "number" || typeof raw === "bigint" || typeof raw === "boolean") text = String(raw);
  else if (raw instanceof Date) text = Number.isNaN(raw.getTime()) ? "Invalid Date" : raw.toISOString();
  else text = JSON.stringify(raw) ?? String(raw);
  const cleaned = text.normalize("NFKC").replace(INVISIBLE, "").trim();
  return cleaned === "" ? null : cleaned;
}

/** Runs of whitespace become a single ASCII space. */
export function collapseWhitespace(text: string): string {
  return text.replace(WHITESPACE_RUN, " ");
}

/** The raw value as a trimmed string, for deciding whether standardisation changed it. */
export function rawAsText(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === "string") return raw.trim();
  if (typeof raw === "number" || typeof raw === "bigint" || typeof raw === "boolean") return String(raw);
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Traditional → simplified.
//
// OpenCC's Hong Kong preset is used for both Hong Kong and Taiwan input: its dictionaries map the
// Taiwan standard forms too (臺 → 台, 裡 → 里, 溫 → 温, 啟 → 启, 眾 → 众), while the Taiwan preset
// rewrites simplified text that reaches it (么 → 幺, 著 → 着) and misses Hong Kong variants (衞, 枱).
// Converting is ~1 µs per short string and ~5 µs per address, so a lookup
// table of every character that any dictionary entry can change lets text that cannot change — the
// usual case for mainland records — skip the converter entirely.

const convertHkToCn = OpenCC.Converter({ from: "hk", to: "cn" });

/**
 * The dictionary groups the "hk" → "cn" converter applies, read from the bundled preset: its
 * "hk2s" configuration (whose normalisation chain, folding compatibility ideographs, the published
 * types omit), or the plain from/to groups of older releases.
 */
function hkToCnDictionaries(): DictGroup[] {
  const config:
    | { normalizationChain?: readonly DictGroup[]; conversionChain: readonly DictGroup[] }
    | undefined = OpenCC.Locale.configs.hk2s;
  if (config) return [...(config.normalizationChain ?? []), ...config.conversionChain];
  return [...(OpenCC.Locale.from.hk ?? []), ...(OpenCC.Locale.to.cn ?? [])];
}

function* dictEntries(dict: DictLike): Generator<readonly [string, string]> {
  if (typeof dict !== "string") {
    yield* dict;
    return;
  }
  for (const entry of dict.split("|")) {
    const space = entry.indexOf(" ");
    if (space > 0) yield [entry.slice(0, space), entry.slice(space + 1)];
  }
}

/**
 * Marks each UTF-16 code unit that some dictionary entry would rewrite. An entry only changes text at
 * the positions where its source and replacement differ, so a string holding none of the marked units
 * comes out of the converter unchanged. Surrogates are always marked: supplementary-plane characters
 * take the slow path.
 */
function buildMayChangeTable(): Uint8Array {
  const table = new Uint8Array(0x10000);
  table.fill(1, 0xd800, 0xe000);
  for (const group of hkToCnDictionaries()) {
    for (const dict of group) {
      for (const [from, to] of dictEntries(dict)) {
        const sameShape = from.length === to.length;
        for (let i = 0; i < from.length; i++) {
          if (!sameShape || from.charCodeAt(i) !== to.charCodeAt(i)) table[from.charCodeAt(i)] = 1;
        }
      }
    }
  }
  return table;
}

const MAY_CHANGE = buildMayChangeTable();

/**
 * Traditional Chinese (Hong Kong or Taiwan forms) → simplified Chinese, phrase-aware (OpenCC).
 * Text that contains no convertible character is returned as is without running the converter.
 */
export function toSimplified(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (MAY_CHANGE[text.charCodeAt(i)] === 1) return convertHkToCn(text);
  }
  return text;
}
