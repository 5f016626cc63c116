/** RFC 4226 HOTP and RFC 6238 TOTP, with RFC 4648 base32 for the shared secret. */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export type TotpAlgorithm = "sha1" | "sha256" | "sha512";
export type TotpOptions = { digits?: 6 | 8; period?: number; algorithm?: TotpAlgorithm };

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function base32Encode(data: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of data) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** Lenient on case, whitespace and padding, because users type secrets in by hand. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s-]/g, "").replace(/=+$/, "").toUpperCase();
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = ALPHABET.indexOf(char);
    if (value < 0) throw new Error(`base32: invalid character ${JSON.stringify(char)}`);
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** 160 bits, the RFC 4226 recommended secret length. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

export function hotpCode(
  secret: Uint8Array,
  counter: number | bigint,
  digits: 6 | 8 = 6,
  algorithm: TotpAlgorithm = "sha1",
): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, secret).update(message).digest();
  // Dynamic truncation, RFC 4226 §5.3.
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

function counterAt(timeMs: number, period: number): number {
  return Math.floor(timeMs / 1000 / period);
}

export function totpCode(secretBase32: string, timeMs: number, opts: TotpOptions = {}): string {
  const period = opts.period ?? 30;
  return hotpCode(base32Decode(secretBase32), counterAt(timeMs, period), opts.digits ?? 6, opts.algorithm);
}

/**
 * The time step whose code matches, or null. Callers must remember the last accepted step per user
 * and refuse steps <= it: a TOTP code is otherwise replayable for the whole window.
 */
export function matchTotpStep(
  secretBase32: string,
  code: string,
  timeMs: number,
  window = 1,
  opts: TotpOptions = {},
): number | null {
  const digits = opts.digits ?? 6;
  if (code.length !== digits || !/^\d+$/.test(code)) return null;
  const secret = base32Decode(secretBase32);
  const now = counterAt(timeMs, opts.period ?? 30);
  const given = Buffer.from(code);
  let matched: number | null = null;
  // Check every step without early exit so timing does not reveal which one matched.
  for (let step = now - window; step <= now + window; step++) {
    if (step < 0) continue;
    const expected = Buffer.from(hotpCode(secret, step, digits, opts.algorithm));
    if (timingSafeEqual(expected, given) && matched === null) matched = step;
  }
  return matched;
}

export function verifyTotp(
  secretBase32: string,
  code: string,
  timeMs: number,
  window = 1,
  opts: TotpOptions = {},
): boolean {
  return matchTotpStep(secretBase32, code, timeMs, window, opts) !== null;
}

/** Key URI understood by authenticator apps (Google Authenticator key-uri format). */
export function totpUri(params: { secret: string; account: string; issuer?: string }): string {
  const issuer = params.issuer ?? "Fourfold";
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(params.account)}`;
  const query = new URLSearchParams({
    secret: params.secret,
    issuer,
    algorithm: "SHA1",
    digits: "6",
    period: "30",
  });
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, "%20")}`;
}
