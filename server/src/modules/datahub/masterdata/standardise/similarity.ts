/**
 * Similarity measures for entity resolution over standardised master-data values. Every measure
 * returns a number in 0..1 where 1 means identical, and is symmetric in its two arguments.
 * Strings are compared by UTF-16 code unit, which for Chinese text (BMP) is one unit per character.
 */
import { pinyin } from "pinyin-pro";
import { type AddressParts, parseAddress } from "./address";
import { hasHan } from "./text";

// ---------------------------------------------------------------------------------------------------
// String distances

/**
 * Jaro-Winkler similarity: Jaro with the common-prefix bonus (scale 0.1, prefix of at most 4).
 * Two empty strings are identical (1); one empty string shares nothing (0).
 */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const lengthA = a.length;
  const lengthB = b.length;
  if (lengthA === 0 || lengthB === 0) return 0;

  const window = Math.max(0, Math.floor(Math.max(lengthA, lengthB) / 2) - 1);
  const matchedB = new Uint8Array(lengthB);
  const matchedA = new Uint8Array(lengthA);
  let matches = 0;
  for (let i = 0; i < lengthA; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(lengthB - 1, i + window);
    const code = a.charCodeAt(i);
    for (let j = from; j <= to; j++) {
      if (matchedB[j] === 0 && b.charCodeAt(j) === code) {
        matchedA[i] = 1;
        matchedB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;

  let halfTranspositions = 0;
  let j = 0;
  for (let i = 0; i < lengthA; i++) {
    if (matchedA[i] === 0) continue;
    while (matchedB[j] === 0) j++;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) halfTranspositions++;
    j++;
  }
  const jaro = (matches / lengthA + matches / lengthB + (matches - halfTranspositions / 2) / matches) / 3;

  let prefix = 0;
  const maxPrefix = Math.min(4, lengthA, lengthB);
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/**
 * Damerau-Levenshtein distance in its optimal-string-alignment form: insertions, deletions,
 * substitutions and transpositions of adjacent characters, each substring edited at most once.
 * With `max`, returns `max + 1` as soon as the distance is known to exceed `max`.
 */
export function damerauLevenshtein(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  const lengthA = a.length;
  const lengthB = b.length;
  if (Math.abs(lengthA - lengthB) > max) return max + 1;
  if (lengthA === 0) return lengthB;
  if (lengthB === 0) return lengthA;

  // Three rolling rows: i-2, i-1 and i.
  let beforePrevious = new Uint32Array(lengthB + 1);
  let previous = new Uint32Array(lengthB + 1);
  let current = new Uint32Array(lengthB + 1);
  for (let j = 0; j <= lengthB; j++) previous[j] = j;

  for (let i = 1; i <= lengthA; i++) {
    current[0] = i;
    let rowMinimum = i;
    const codeA = a.charCodeAt(i - 1);
    for (let j = 1; j <= lengthB; j++) {
      const codeB = b.charCodeAt(j - 1);
      const cost = codeA === codeB ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && codeA === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === codeB) {
        value = Math.min(value, beforePrevious[j - 2]! + 1);
      }
      current[j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    // Row minima never decrease (a transposition from row i-2 costs at least what the diagonal
    // through row i-1 does), so once a whole row exceeds max the distance does too.
    if (rowMinimum > max) return max + 1;
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  const distance = previous[lengthB]!;
  return distance > max ? max + 1 : distance;
}

/**
 * True when two equal-length strings differ by exactly one substituted character or exactly one
 * swap of two adjacent characters: the typical single keying error.
 */
function oneTypoApart(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let first = -1;
  let differences = 0;
  for (let i = 0; i < a.length; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) {
      if (differences === 0) first = i;
      differences++;
      if (differences > 2) return false;
    }
  }
  if (differences === 1) return true;
  return (
    first + 1 < a.length &&
    a.charCodeAt(first) === b.charCodeAt(first + 1) &&
    a.charCodeAt(first + 1) === b.charCodeAt(first) &&
    a.charCodeAt(first) !== a.charCodeAt(first + 1)
  );
}

// ---------------------------------------------------------------------------------------------------
// Names

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const NOT_A_TO_Z = /[^a-z]/g;

/**
 * The sound of a name: toneless lowercase pinyin syllables joined without spaces, reading the first
 * character (or compound surname) as a surname (曾 → zeng, 单 → shan, 欧阳 → ouyang); ü is written v.
 * Latin letters in the name are kept lowercased without accents; everything else is dropped.
 * 陈大文 → "chendawen", "John O'Neil" → "johnoneil". Costs ~10 µs for a Chinese name: callers
 * comparing many pairs should compute it once per name.
 */
export function namePinyin(name: string): string {
  let sound = name;
  if (hasHan(name)) {
    sound = pinyin(name, {
      toneType: "none",
      type: "array",
      surname: "head",
      nonZh: "consecutive",
      v: true,
    }).join("");
  }
  return sound.normalize("NFD").replace(COMBINING_MARKS, "").toLowerCase().replace(NOT_A_TO_Z, "");
}

/**
 * How alike two person names are, 0..1. 1 only for identical names; names that sound the same
 * (张小明 / 张晓明, 王伟 / 汪伟, "JOHN SMITH" / "John Smith", even 陈大文 / "CHEN DAWEN") score
 * 0.9–0.99; other names score at most 0.89: about 0.75–0.85 when one character of a three-character
 * name differs, about 0.6 when the whole given name of a two-character name differs, about 0.55 when
 * only the surname is shared, and below 0.3 when nothing is.
 *
 * The score averages Jaro-Winkler over the characters with the edit similarity of the pinyin, so a
 * near-homophone (文 / 翁) earns more than an unrelated character. Jaro-Winkler over the joined
 * pinyin is not used: its prefix bonus and the small alphabet of pinyin make any two names with the
 * same surname look alike. Pass precomputed namePinyin values as `pinyinA` / `pinyinB` to skip the
 * conversion. An empty name matches nothing (0).
 */
export function nameSimilarity(a: string, b: string, pinyinA?: string, pinyinB?: string): number {
  if (a === "" || b === "") return 0;
  if (a === b) return 1;
  const bySpelling = jaroWinkler(a, b);
  const soundA = pinyinA ?? namePinyin(a);
  const soundB = pinyinB ?? namePinyin(b);
  if (soundA !== "" && soundA === soundB) return 0.9 + 0.09 * bySpelling;
  const longest = Math.max(soundA.length, soundB.length);
  const bySound = longest === 0 ? 0 : 1 - damerauLevenshtein(soundA, soundB) / longest;
  return Math.min(0.89, (bySpelling + bySound) / 2);
}

// ---------------------------------------------------------------------------------------------------
// Dates, phone numbers, identity numbers

/**
 * How alike two ISO dates are: 1 equal; 0.8 for one keying error (one digit different, two adjacent
 * digits swapped, or day and month swapped); otherwise 0, also when either is missing.
 */
export function dateSimilarity(a: string | null, b: string | null): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  const digitsA = a.replace(/\D/g, "");
  const digitsB = b.replace(/\D/g, "");
  if (digitsA.length !== 8 || digitsB.length !== 8) return 0;
  if (digitsA === digitsB) return 1;
  if (oneTypoApart(digitsA, digitsB)) return 0.8;
  const swappedDayMonth =
    digitsA.slice(0, 4) === digitsB.slice(0, 4) &&
    digitsA.slice(4, 6) === digitsB.slice(6, 8) &&
    digitsA.slice(6, 8) === digitsB.slice(4, 6);
  return swappedDayMonth ? 0.8 : 0;
}

/**
 * How alike two standardised phone numbers are, on their digits: 1 equal; 0.9 when a local number
 * equals the other's number without its area code (87654321 / 020-87654321); 0.7 for one digit
 * different or two adjacent digits swapped; otherwise 0, also when either is missing.
 */
export function phoneSimilarity(a: string | null, b: string | null): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  const digitsA = a.replace(/\D/g, "");
  const digitsB = b.replace(/\D/g, "");
  if (digitsA === "" || digitsB === "") return 0;
  if (digitsA === digitsB) return 1;
  if (isLocalPartOf(a, digitsB) || isLocalPartOf(b, digitsA)) return 0.9;
  return oneTypoApart(digitsA, digitsB) ? 0.7 : 0;
}

/** True when `withArea` is "0AA-NNNNNNNN" and its local number is `local`. */
function isLocalPartOf(withArea: string, local: string): boolean {
  const dash = withArea.indexOf("-");
  return withArea.startsWith("0") && dash > 0 && withArea.slice(dash + 1) === local;
}

/** The first 17 characters of an 18-character identifier, or the same layout for a 15-digit one. */
function idBody(id: string): string | null {
  if (id.length === 18) return id.slice(0, 17);
  if (/^\d{15}$/.test(id)) return `${id.slice(0, 6)}19${id.slice(6)}`;
  return null;
}

/**
 * How alike two identity numbers (or USCCs) are: 1 equal; 0.9 when their first 17 characters are
 * equal or differ by one substituted character or one swap of adjacent characters (a mistyped
 * number; a 15-digit number is compared in its upgraded layout); otherwise 0, also when either is
 * missing or neither layout applies.
 */
export function idNumberSimilarity(a: string | null, b: string | null): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  const bodyA = idBody(a);
  const bodyB = idBody(b);
  if (bodyA === null || bodyB === null) return 0;
  return bodyA === bodyB || oneTypoApart(bodyA, bodyB) ? 0.9 : 0;
}

// ---------------------------------------------------------------------------------------------------
// Addresses

/** Sørensen-Dice coefficient over the multisets of character bigrams. */
function diceBigrams(a: string, b: string): number {
  if (a.length < 2 || b.length < 2) return a === b ? 1 : 0;
  const bigramsA = bigrams(a);
  const bigramsB = bigrams(b);
  let shared = 0;
  let i = 0;
  let j = 0;
  while (i < bigramsA.length && j < bigramsB.length) {
    if (bigramsA[i] === bigramsB[j]) {
      shared++;
      i++;
      j++;
    } else if (bigramsA[i]! < bigramsB[j]!) i++;
    else j++;
  }
  return (2 * shared) / (bigramsA.length + bigramsB.length);
}

/** Each pair of adjacent code units packed into one number, sorted. */
function bigrams(text: string): Uint32Array {
  const out = new Uint32Array(text.length - 1);
  for (let i = 0; i < out.length; i++) out[i] = text.charCodeAt(i) * 0x10000 + text.charCodeAt(i + 1);
  return out.sort();
}

/** Two roads are the same when one name ends with the other (珠江新城花城大道 / 花城大道). */
function sameRoad(a: string, b: string): boolean {
  if (a === b) return true;
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  return shorter.length >= 3 && longer.endsWith(shorter);
}

/** Parts both addresses give must agree; a part given by one side only is no evidence. */
function partsAgree(a: AddressParts, b: AddressParts, key: keyof AddressParts): boolean {
  const valueA = a[key];
  const valueB = b[key];
  return valueA === undefined || valueB === undefined || valueA === valueB;
}

/**
 * How alike two standardised addresses are: 1 equal. When both name a road and house number
 * (parseAddress) and these agree, along with any city and district both give, the score is
 * 0.85–1: higher the more of the rest is shared, but at most 0.6 when both give a building or
 * room and they differ (another flat in the same block). Otherwise the Dice coefficient on
 * character bigrams. 0 when either is missing.
 */
export function addressSimilarity(a: string | null, b: string | null): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  const dice = diceBigrams(a, b);
  const partsA = parseAddress(a);
  const partsB = parseAddress(b);
  if (!partsA.road || !partsB.road || !partsA.number || !partsB.number) return dice;
  if (!sameRoad(partsA.road, partsB.road) || partsA.number !== partsB.number) return dice;
  if (!partsAgree(partsA, partsB, "city") || !partsAgree(partsA, partsB, "district")) return dice;
  if (!partsAgree(partsA, partsB, "building") || !partsAgree(partsA, partsB, "room")) {
    return Math.min(dice, 0.6);
  }
  return 0.85 + 0.14 * dice;
}
