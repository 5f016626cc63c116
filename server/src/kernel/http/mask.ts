/**
 * Masking of personal information before it reaches logs (PIPL art. 51: minimise exposure).
 * Over-masking is preferred to leaking: any 18-character ID-like or mobile-like run is masked,
 * without checksum or date validation.
 */

const stars = (n: number) => "*".repeat(Math.max(0, n));

/** Resident ID: keep the 4-digit region prefix and the last 4 characters. */
export function maskIdNumber(id: string): string {
  if (id.length <= 8) return stars(id.length);
  return id.slice(0, 4) + stars(id.length - 8) + id.slice(-4);
}

/** Mobile: keep the 3-digit carrier prefix and the last 4 digits. */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return stars(phone.length);
  return phone.slice(0, 3) + stars(phone.length - 7) + phone.slice(-4);
}

/** Keep the first character (the surname for Chinese names); a one-character name is fully masked. */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return stars(chars.length);
  return chars[0] + stars(chars.length - 1);
}

const ID_NUMBER = /(?<!\d)\d{17}[\dXx](?!\d)/g;
// Optional +86 / 86 country code and the common 3-4-4 separators people type.
const MOBILE = /(?<!\d)((?:(?:\+|00)?86[- ]?)?1[3-9]\d)([- ]?)\d{4}([- ]?)(\d{4})(?!\d)/g;
// Both patterns contain three digits, an optional separator, then four digits; most strings do not.
const MIGHT_MATCH = /\d{3}[- ]?\d{4}/;

export function maskText(text: string): string {
  if (text.length < 11 || !MIGHT_MATCH.test(text)) return text;
  return text
    .replace(ID_NUMBER, (id) => maskIdNumber(id))
    .replace(
      MOBILE,
      (_m, head: string, sep1: string, sep2: string, tail: string) => `${head}${sep1}****${sep2}${tail}`,
    );
}

const NAME_KEYS = new Set([
  "name",
  "displayname",
  "realname",
  "fullname",
  "legalrepname",
  "contactname",
  "applicantname",
]);

/** Accepts camelCase, snake_case and kebab-case spellings of the same field. */
function isNameKey(key: string): boolean {
  return NAME_KEYS.has(key.replace(/[_-]/g, "").toLowerCase());
}

/** Numbers are checked as JSON will print them, fractions included ("13812345678.5"). */
function maskNumber(n: number): number | string {
  const text = String(n);
  const masked = maskText(text);
  return masked === text ? n : masked;
}

/**
 * Deep copy with personal data masked: name-holding keys via maskName, ID and mobile numbers inside
 * any string (keys included) or integer. Cycles are preserved in the copy. Objects are copied the way
 * JSON.stringify sees them (toJSON, own enumerable properties), since logs are serialised as JSON.
 */
export function maskDeep<T>(value: T): T {
  return copy(value, new WeakMap()) as T;
}

function copy(value: unknown, seen: WeakMap<object, unknown>, key?: string): unknown {
  switch (typeof value) {
    case "string":
      return key !== undefined && isNameKey(key) ? maskName(value) : maskText(value);
    case "number":
      return maskNumber(value);
    case "bigint": {
      const text = value.toString();
      return maskText(text) === text ? value : maskText(text);
    }
    case "object":
      break;
    default:
      return value;
  }
  if (value === null) return null;
  const existing = seen.get(value);
  if (existing !== undefined) return existing;

  if (value instanceof Date) return new Date(value.getTime());
  if (ArrayBuffer.isView(value)) return value; // binary payloads carry no text to mask
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(copy(item, seen));
    return out;
  }
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    seen.set(value, out);
    for (const [k, v] of value) {
      out.set(copy(k, seen), copy(v, seen, typeof k === "string" ? k : undefined));
    }
    return out;
  }
  if (value instanceof Set) {
    const out = new Set<unknown>();
    seen.set(value, out);
    for (const item of value) out.add(copy(item, seen));
    return out;
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === "function") {
    const json = withToJson.toJSON();
    if (json !== value) {
      // Placeholder first: a toJSON result that points back here must not recurse forever.
      seen.set(value, "[Circular]");
      const out = copy(json, seen);
      seen.set(value, out);
      return out;
    }
  }

  const out: Record<string, unknown> = {};
  seen.set(value, out);
  if (value instanceof Error) {
    // message and stack are not enumerable but are exactly where numbers end up.
    out.name = value.name;
    out.message = maskText(value.message);
    if (value.stack) out.stack = maskText(value.stack);
  }
  for (const [k, v] of Object.entries(value)) {
    const masked = copy(v, seen, k);
    // defineProperty so that a "__proto__" key stays data instead of replacing the prototype.
    Object.defineProperty(out, maskText(k), {
      value: masked,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
