import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  generateSm2KeyPair,
  openSecret,
  sealSecret,
  sm2PrivateKeyPem,
  sm2PublicKeyHexFromPem,
  sm2PublicKeyPem,
  sm2Sign,
  sm2Verify,
  sm3,
} from "./sm";

const dir = mkdtempSync(join(tmpdir(), "fourfold-sm-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content?: string | Uint8Array): string {
  const path = join(dir, name);
  if (content !== undefined) writeFileSync(path, content);
  return path;
}

/** Runs openssl; returns true on exit code 0. */
function openssl(args: string[]): boolean {
  try {
    execFileSync("openssl", args, { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

describe("sm3", () => {
  it("matches the GB/T 32905 examples", () => {
    expect(sm3("abc").toString("hex")).toBe(
      "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
    );
    expect(sm3("abcd".repeat(16)).toString("hex")).toBe(
      "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732",
    );
  });

  it("hashes strings as UTF-8 and bytes as-is", () => {
    expect(sm3("政务").equals(sm3(Buffer.from("政务", "utf8")))).toBe(true);
    expect(sm3(new Uint8Array([0x61, 0x62, 0x63])).toString("hex")).toBe(sm3("abc").toString("hex"));
  });
});

describe("sm2 signatures", () => {
  const keys = generateSm2KeyPair();

  it("generates 32-byte private keys and uncompressed public keys", () => {
    expect(keys.privateKeyHex).toMatch(/^[0-9a-f]{64}$/);
    expect(keys.publicKeyHex).toMatch(/^04[0-9a-f]{128}$/);
  });

  it("round-trips binary data, including bytes that are not valid UTF-8", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (data) => {
        const sig = sm2Sign(keys.privateKeyHex, data);
        expect(sig[0]).toBe(0x30);
        expect(sm2Verify(keys.publicKeyHex, data, sig)).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it("rejects tampered data, tampered signatures, wrong keys and garbage without throwing", () => {
    const data = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41]);
    const sig = sm2Sign(keys.privateKeyHex, data);
    const otherData = Buffer.from(data);
    otherData[0] = 0x00;
    expect(sm2Verify(keys.publicKeyHex, otherData, sig)).toBe(false);

    const badSig = Buffer.from(sig);
    badSig[badSig.length - 1] = (badSig[badSig.length - 1] ?? 0) ^ 1;
    expect(sm2Verify(keys.publicKeyHex, data, badSig)).toBe(false);

    expect(sm2Verify(generateSm2KeyPair().publicKeyHex, data, sig)).toBe(false);
    expect(sm2Verify(keys.publicKeyHex, data, new Uint8Array(0))).toBe(false);
    expect(sm2Verify(keys.publicKeyHex, data, randomBytes(72))).toBe(false);
    expect(sm2Verify(keys.publicKeyHex, data, Buffer.from("3006020101020101", "hex"))).toBe(false);
    expect(sm2Verify("04zz", data, sig)).toBe(false);
    expect(sm2Verify(`04${"00".repeat(64)}`, data, sig)).toBe(false);
  });

  it("produces signatures that openssl verifies with distid 1234567812345678", () => {
    const msg = randomBytes(300);
    const pub = file("pub.pem", sm2PublicKeyPem(keys.publicKeyHex));
    const msgPath = file("msg.bin", msg);
    const sigPath = file("sig.der", sm2Sign(keys.privateKeyHex, msg));
    const verify = (distid: string) =>
      openssl([
        "dgst",
        "-sm3",
        "-verify",
        pub,
        "-sigopt",
        `distid:${distid}`,
        "-signature",
        sigPath,
        msgPath,
      ]);
    expect(verify("1234567812345678")).toBe(true);
    // The Z value must really depend on the user id, otherwise interop would be accidental.
    expect(verify("8765432187654321")).toBe(false);
  });

  it("verifies signatures made by openssl with our PKCS#8 key", () => {
    const msg = Buffer.from("申请编号 2026-000123\n\u0000binary tail", "utf8");
    const key = file("key.pem", sm2PrivateKeyPem(keys.privateKeyHex, keys.publicKeyHex));
    const msgPath = file("msg2.bin", msg);
    const sigPath = file("sig2.der");
    const args = [
      "dgst",
      "-sm3",
      "-sign",
      key,
      "-sigopt",
      "distid:1234567812345678",
      "-out",
      sigPath,
      msgPath,
    ];
    expect(openssl(args)).toBe(true);
    const sig = readFileSync(sigPath);
    expect(sm2Verify(keys.publicKeyHex, msg, sig)).toBe(true);
    expect(sm2Verify(keys.publicKeyHex, Buffer.concat([msg, Buffer.from([0])]), sig)).toBe(false);
  });

  it("verifies signatures from a key that openssl generated itself", () => {
    const key = file("ossl-key.pem");
    const pub = file("ossl-pub.pem");
    expect(openssl(["genpkey", "-algorithm", "SM2", "-out", key])).toBe(true);
    expect(openssl(["pkey", "-in", key, "-pubout", "-out", pub])).toBe(true);
    const publicKeyHex = sm2PublicKeyHexFromPem(readFileSync(pub, "utf8"));
    const msgPath = file("msg3.bin", "hello");
    const sigPath = file("sig3.der");
    expect(
      openssl(["dgst", "-sm3", "-sign", key, "-sigopt", "distid:1234567812345678", "-out", sigPath, msgPath]),
    ).toBe(true);
    expect(sm2Verify(publicKeyHex, Buffer.from("hello"), readFileSync(sigPath))).toBe(true);
  });
});

describe("sm2 PEM", () => {
  it("round-trips public keys and matches what openssl derives from the private key", () => {
    const keys = generateSm2KeyPair();
    const pem = sm2PublicKeyPem(keys.publicKeyHex);
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(sm2PublicKeyHexFromPem(pem)).toBe(keys.publicKeyHex);
    const key = file("derive-key.pem", sm2PrivateKeyPem(keys.privateKeyHex, keys.publicKeyHex));
    const out = execFileSync("openssl", ["pkey", "-in", key, "-pubout"], { encoding: "utf8" });
    expect(out).toBe(pem);
    const text = execFileSync("openssl", ["pkey", "-pubin", "-text", "-noout"], {
      input: pem,
      encoding: "utf8",
    });
    expect(text).toContain("ASN1 OID: SM2");
  });

  it("rejects non-SM2 and malformed keys", () => {
    const p256 = execFileSync(
      "openssl",
      ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-outform", "PEM"],
      { encoding: "utf8" },
    );
    const p256Pub = execFileSync("openssl", ["pkey", "-pubout"], { input: p256, encoding: "utf8" });
    expect(() => sm2PublicKeyHexFromPem(p256Pub)).toThrow(/not an SM2/);
    expect(() => sm2PublicKeyHexFromPem("no pem here")).toThrow();
    expect(() =>
      sm2PublicKeyHexFromPem("-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----"),
    ).toThrow();
    expect(() => sm2PublicKeyPem("02abcd")).toThrow();
  });
});

describe("sealSecret / openSecret", () => {
  const key = randomBytes(16);

  it("round-trips arbitrary plaintexts with the documented layout", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const plaintext = Buffer.from(bytes);
        const sealed = sealSecret(key, plaintext);
        expect(sealed[0]).toBe(1);
        // version + iv + PKCS#7-padded ciphertext + HMAC-SM3 tag
        expect(sealed.length).toBe(1 + 16 + (Math.floor(plaintext.length / 16) + 1) * 16 + 32);
        expect(openSecret(key, sealed).equals(plaintext)).toBe(true);
      }),
    );
  });

  it("uses a fresh iv each time", () => {
    const a = sealSecret(key, Buffer.from("same"));
    const b = sealSecret(key, Buffer.from("same"));
    expect(a.equals(b)).toBe(false);
  });

  it("throws when any single byte is altered", () => {
    const sealed = sealSecret(key, Buffer.from("JBSWY3DPEHPK3PXP"));
    for (let i = 0; i < sealed.length; i++) {
      const tampered = Buffer.from(sealed);
      tampered[i] = (tampered[i] ?? 0) ^ 0x01;
      expect(() => openSecret(key, tampered)).toThrow();
    }
  });

  it("throws on a wrong key, wrong associated data, truncation, or a bad key size", () => {
    const sealed = sealSecret(key, Buffer.from("secret"), Buffer.from("user:42"));
    expect(openSecret(key, sealed, Buffer.from("user:42")).toString()).toBe("secret");
    expect(() => openSecret(key, sealed, Buffer.from("user:43"))).toThrow(/authentication/);
    expect(() => openSecret(key, sealed)).toThrow(/authentication/);
    expect(() => openSecret(randomBytes(16), sealed, Buffer.from("user:42"))).toThrow(/authentication/);
    expect(() => openSecret(key, sealed.subarray(0, sealed.length - 1))).toThrow();
    expect(() => openSecret(key, sealed.subarray(0, 20))).toThrow();
    expect(() => sealSecret(randomBytes(32), Buffer.from("x"))).toThrow(/16 bytes/);
  });
});
