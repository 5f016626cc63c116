import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";
import smCrypto from "sm-crypto";

const { sm2 } = smCrypto;

/** GB/T 35276 default distinguishing identifier; OpenSSL calls it `distid`. */
export const SM2_DEFAULT_USER_ID = "1234567812345678";

export function sm3(data: Uint8Array | string): Buffer {
  return createHash("sm3").update(data).digest();
}

export function generateSm2KeyPair(): { privateKeyHex: string; publicKeyHex: string } {
  const { privateKey, publicKey } = sm2.generateKeyPairHex();
  return { privateKeyHex: privateKey, publicKeyHex: publicKey };
}

const PRIVATE_KEY_HEX = /^[0-9a-f]{64}$/i;
const PUBLIC_KEY_HEX = /^04[0-9a-f]{128}$/i;

export function sm2Sign(privateKeyHex: string, data: Uint8Array): Buffer {
  if (!PRIVATE_KEY_HEX.test(privateKeyHex)) throw new Error("SM2 private key must be 64 hex characters");
  // A plain number[] keeps binary data intact: sm-crypto treats strings as UTF-8 text.
  const derHex = sm2.doSignature(Array.from(data), privateKeyHex, {
    hash: true,
    der: true,
    userId: SM2_DEFAULT_USER_ID,
  });
  return Buffer.from(derHex, "hex");
}

export function sm2Verify(publicKeyHex: string, data: Uint8Array, derSignature: Uint8Array): boolean {
  if (!PUBLIC_KEY_HEX.test(publicKeyHex) || derSignature.length === 0) return false;
  try {
    return sm2.doVerifySignature(Array.from(data), Buffer.from(derSignature).toString("hex"), publicKeyHex, {
      hash: true,
      der: true,
      userId: SM2_DEFAULT_USER_ID,
    });
  } catch {
    // Callers feed untrusted signatures; malformed input is simply "not valid".
    return false;
  }
}

// --- Minimal DER, just enough for SM2 key containers -------------------------------------------

const OID_EC_PUBLIC_KEY = Buffer.from("06072a8648ce3d0201", "hex"); // 1.2.840.10045.2.1
const OID_SM2_CURVE = Buffer.from("06082a811ccf5501822d", "hex"); // 1.2.156.10197.1.301

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else if (n < 0x100) len = Buffer.from([0x81, n]);
  else len = Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
}

type Tlv = { tag: number; content: Buffer; end: number };

function readTlv(buf: Buffer, offset: number): Tlv {
  const tag = buf[offset];
  let lenByte = buf[offset + 1];
  if (tag === undefined || lenByte === undefined) throw new Error("DER: truncated");
  let pos = offset + 2;
  let len = lenByte;
  if (lenByte & 0x80) {
    const count = lenByte & 0x7f;
    if (count === 0 || count > 2) throw new Error("DER: unsupported length");
    len = 0;
    for (let i = 0; i < count; i++) {
      lenByte = buf[pos++];
      if (lenByte === undefined) throw new Error("DER: truncated");
      len = (len << 8) | lenByte;
    }
  }
  const end = pos + len;
  if (end > buf.length) throw new Error("DER: truncated");
  return { tag, content: buf.subarray(pos, end), end };
}

function algorithmIdentifier(): Buffer {
  return tlv(0x30, Buffer.concat([OID_EC_PUBLIC_KEY, OID_SM2_CURVE]));
}

function toPem(label: string, der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

function fromPem(label: string, pem: string): Buffer {
  const match = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(pem);
  if (!match?.[1]) throw new Error(`PEM: no ${label} block`);
  return Buffer.from(match[1].replace(/\s+/g, ""), "base64");
}

/** SubjectPublicKeyInfo (RFC 5480 shape, SM2 curve per GM/T 0006) as PEM. */
export function sm2PublicKeyPem(publicKeyHex: string): string {
  if (!PUBLIC_KEY_HEX.test(publicKeyHex)) throw new Error("SM2 public key must be uncompressed (04…) hex");
  const bitString = tlv(0x03, Buffer.concat([Buffer.from([0]), Buffer.from(publicKeyHex, "hex")]));
  return toPem("PUBLIC KEY", tlv(0x30, Buffer.concat([algorithmIdentifier(), bitString])));
}

export function sm2PublicKeyHexFromPem(pem: string): string {
  const der = fromPem("PUBLIC KEY", pem);
  const spki = readTlv(der, 0);
  if (spki.tag !== 0x30) throw new Error("SPKI: expected SEQUENCE");
  const alg = readTlv(spki.content, 0);
  if (alg.tag !== 0x30 || !alg.content.equals(Buffer.concat([OID_EC_PUBLIC_KEY, OID_SM2_CURVE]))) {
    throw new Error("SPKI: not an SM2 public key");
  }
  const bits = readTlv(spki.content, alg.end);
  if (bits.tag !== 0x03 || bits.content[0] !== 0) throw new Error("SPKI: bad BIT STRING");
  const hex = bits.content.subarray(1).toString("hex");
  if (!PUBLIC_KEY_HEX.test(hex)) throw new Error("SPKI: expected an uncompressed point");
  return hex;
}

/** PKCS#8 PrivateKeyInfo wrapping a SEC1 ECPrivateKey; mainly for handing keys to OpenSSL. */
export function sm2PrivateKeyPem(privateKeyHex: string, publicKeyHex: string): string {
  if (!PRIVATE_KEY_HEX.test(privateKeyHex)) throw new Error("SM2 private key must be 64 hex characters");
  if (!PUBLIC_KEY_HEX.test(publicKeyHex)) throw new Error("SM2 public key must be uncompressed (04…) hex");
  const ecPrivateKey = tlv(
    0x30,
    Buffer.concat([
      tlv(0x02, Buffer.from([1])),
      tlv(0x04, Buffer.from(privateKeyHex, "hex")),
      tlv(0xa1, tlv(0x03, Buffer.concat([Buffer.from([0]), Buffer.from(publicKeyHex, "hex")]))),
    ]),
  );
  const info = tlv(
    0x30,
    Buffer.concat([tlv(0x02, Buffer.from([0])), algorithmIdentifier(), tlv(0x04, ecPrivateKey)]),
  );
  return toPem("PRIVATE KEY", info);
}

// --- Authenticated SM4 --------------------------------------------------------------------------
// This Node/OpenSSL build has no sm4-gcm, so: SM4-CBC + HMAC-SM3, encrypt-then-MAC, with the two
// keys derived by HKDF-SM3 so one master key never serves two algorithms.

const SEAL_VERSION = 1;
const IV_LENGTH = 16;
const TAG_LENGTH = 32;

/** Derived keys by master key: the derivation costs two HKDF runs, and hot paths open many values. */
const derived = new Map<string, { encKey: Buffer; macKey: Buffer }>();

function sealKeys(key: Buffer): { encKey: Buffer; macKey: Buffer } {
  if (key.length !== 16) throw new Error("SM4 key must be 16 bytes");
  const id = key.toString("hex");
  const known = derived.get(id);
  if (known) return known;
  const salt = Buffer.alloc(0);
  const keys = {
    encKey: Buffer.from(hkdfSync("sm3", key, salt, "fourfold/seal/v1/sm4-cbc", 16)),
    macKey: Buffer.from(hkdfSync("sm3", key, salt, "fourfold/seal/v1/hmac-sm3", 32)),
  };
  if (derived.size > 100) derived.clear();
  derived.set(id, keys);
  return keys;
}

function sealTag(macKey: Buffer, header: Buffer, aad: Uint8Array, ciphertext: Buffer): Buffer {
  // The AAD length prefix keeps (aad, ciphertext) splits unambiguous.
  const aadLength = Buffer.alloc(4);
  aadLength.writeUInt32BE(aad.length);
  return createHmac("sm3", macKey).update(header).update(aadLength).update(aad).update(ciphertext).digest();
}

/**
 * Encrypts and authenticates. `aad` (optional) is authenticated but not stored, so callers can bind
 * a secret to its owner (e.g. a user id) and a sealed value copied to another row fails to open.
 * Output: version (1) || iv (16) || ciphertext || tag (32).
 */
export function sealSecret(key: Buffer, plaintext: Buffer, aad: Uint8Array = new Uint8Array(0)): Buffer {
  const { encKey, macKey } = sealKeys(key);
  const iv = randomBytes(IV_LENGTH);
  const cipher = createCipheriv("sm4-cbc", encKey, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const header = Buffer.concat([Buffer.from([SEAL_VERSION]), iv]);
  return Buffer.concat([header, ciphertext, sealTag(macKey, header, aad, ciphertext)]);
}

export function openSecret(key: Buffer, sealed: Buffer, aad: Uint8Array = new Uint8Array(0)): Buffer {
  const { encKey, macKey } = sealKeys(key);
  const headerLength = 1 + IV_LENGTH;
  if (sealed.length < headerLength + 16 + TAG_LENGTH || (sealed.length - headerLength - TAG_LENGTH) % 16) {
    throw new Error("sealed secret: bad length");
  }
  if (sealed[0] !== SEAL_VERSION) throw new Error("sealed secret: unknown version");
  const header = sealed.subarray(0, headerLength);
  const ciphertext = sealed.subarray(headerLength, sealed.length - TAG_LENGTH);
  const tag = sealed.subarray(sealed.length - TAG_LENGTH);
  if (!timingSafeEqual(tag, sealTag(macKey, header, aad, ciphertext))) {
    throw new Error("sealed secret: authentication failed");
  }
  const decipher = createDecipheriv("sm4-cbc", encKey, header.subarray(1));
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}
