import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  hotpCode,
  matchTotpStep,
  type TotpAlgorithm,
  totpCode,
  totpUri,
  verifyTotp,
} from "./totp";

const SEEDS: Record<TotpAlgorithm, string> = {
  sha1: base32Encode(Buffer.from("12345678901234567890")),
  sha256: base32Encode(Buffer.from("12345678901234567890123456789012")),
  sha512: base32Encode(Buffer.from("1234567890123456789012345678901234567890123456789012345678901234")),
};

// RFC 6238 Appendix B: [unix seconds, sha1, sha256, sha512], 8 digits, 30 s steps.
const RFC6238: [number, string, string, string][] = [
  [59, "94287082", "46119246", "90693936"],
  [1111111109, "07081804", "68084774", "25091201"],
  [1111111111, "14050471", "67062674", "99943326"],
  [1234567890, "89005924", "91819424", "93441116"],
  [2000000000, "69279037", "90698825", "38618901"],
  [20000000000, "65353130", "77737706", "47863826"],
];

// RFC 4226 Appendix D: counters 0..9 with secret "12345678901234567890".
const RFC4226 = [
  "755224",
  "287082",
  "359152",
  "969429",
  "338314",
  "254676",
  "287922",
  "162583",
  "399871",
  "520489",
];

describe("base32 (RFC 4648)", () => {
  it("matches the RFC 4648 §10 vectors without padding", () => {
    const vectors: [string, string][] = [
      ["", ""],
      ["f", "MY"],
      ["fo", "MZXQ"],
      ["foo", "MZXW6"],
      ["foob", "MZXW6YQ"],
      ["fooba", "MZXW6YTB"],
      ["foobar", "MZXW6YTBOI"],
    ];
    for (const [plain, encoded] of vectors) {
      expect(base32Encode(Buffer.from(plain))).toBe(encoded);
      expect(base32Decode(encoded).toString()).toBe(plain);
    }
  });

  it("decodes leniently but rejects foreign characters", () => {
    expect(base32Decode("mzxw 6ytb-oi======").toString()).toBe("foobar");
    expect(() => base32Decode("MZXW1")).toThrow(/invalid/);
  });

  it("round-trips arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(base32Decode(base32Encode(bytes)).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });
});

describe("HOTP (RFC 4226)", () => {
  it("matches Appendix D", () => {
    const secret = Buffer.from("12345678901234567890");
    RFC4226.forEach((code, counter) => {
      expect(hotpCode(secret, counter)).toBe(code);
    });
  });
});

describe("TOTP (RFC 6238)", () => {
  it("matches Appendix B for SHA-1, SHA-256 and SHA-512", () => {
    for (const [seconds, sha1, sha256, sha512] of RFC6238) {
      const expected: Record<TotpAlgorithm, string> = { sha1, sha256, sha512 };
      for (const algorithm of ["sha1", "sha256", "sha512"] as const) {
        expect(totpCode(SEEDS[algorithm], seconds * 1000, { digits: 8, algorithm })).toBe(
          expected[algorithm],
        );
      }
    }
  });

  it("defaults to 6-digit SHA-1 codes (the last 6 digits of the 8-digit value)", () => {
    expect(totpCode(SEEDS.sha1, 59_000)).toBe("287082");
  });

  it("accepts codes within the window and rejects others", () => {
    const t = 1_234_567_890_000;
    const now = totpCode(SEEDS.sha1, t);
    const previous = totpCode(SEEDS.sha1, t - 30_000);
    const next = totpCode(SEEDS.sha1, t + 30_000);
    const old = totpCode(SEEDS.sha1, t - 60_000);
    expect(verifyTotp(SEEDS.sha1, now, t)).toBe(true);
    expect(verifyTotp(SEEDS.sha1, previous, t)).toBe(true);
    expect(verifyTotp(SEEDS.sha1, next, t)).toBe(true);
    expect(new Set([now, previous, next, old]).size).toBe(4); // no accidental collisions at this t
    expect(verifyTotp(SEEDS.sha1, old, t)).toBe(false);
    expect(verifyTotp(SEEDS.sha1, previous, t, 0)).toBe(false);
    expect(verifyTotp(SEEDS.sha1, old, t, 2)).toBe(true);
    expect(matchTotpStep(SEEDS.sha1, now, t)).toBe(Math.floor(t / 30_000));
  });

  it("rejects malformed codes", () => {
    const t = 1_700_000_000_000;
    const code = totpCode(SEEDS.sha1, t);
    expect(verifyTotp(SEEDS.sha1, `${code}0`, t)).toBe(false);
    expect(verifyTotp(SEEDS.sha1, code.slice(1), t)).toBe(false);
    expect(verifyTotp(SEEDS.sha1, "abcdef", t)).toBe(false);
    expect(verifyTotp(SEEDS.sha1, "", t)).toBe(false);
  });

  it("verifies what it generates for random secrets and times", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), (t) => {
        const secret = generateTotpSecret();
        expect(verifyTotp(secret, totpCode(secret, t), t)).toBe(true);
        expect(verifyTotp(secret, totpCode(secret, t, { digits: 8 }), t, 1, { digits: 8 })).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});

describe("secrets and URIs", () => {
  it("generates 20-byte unpadded base32 secrets", () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(generateTotpSecret()).not.toBe(secret);
  });

  it("builds an otpauth URI with an encoded label", () => {
    const uri = totpUri({ secret: "JBSWY3DPEHPK3PXP", account: "张三@example.gov.cn" });
    const url = new URL(uri);
    expect(url.protocol).toBe("otpauth:");
    expect(uri.startsWith("otpauth://totp/Fourfold:%E5%BC%A0%E4%B8%89%40example.gov.cn?")).toBe(true);
    expect(url.searchParams.get("secret")).toBe("JBSWY3DPEHPK3PXP");
    expect(url.searchParams.get("issuer")).toBe("Fourfold");
    expect(url.searchParams.get("digits")).toBe("6");
    expect(totpUri({ secret: "A", account: "x", issuer: "My Org" })).toContain("issuer=My%20Org");
  });
});
