import { createHmac, hkdfSync } from "node:crypto";
import { openSecret, sealSecret } from "../../../kernel/crypto/sm";

/**
 * Protection of shared data at rest: sensitive items (敏感个人信息) are sealed with SM4-CBC and
 * HMAC-SM3 (encrypt-then-MAC, kernel/crypto/sm) under the data keys from configuration, bound to their
 * resource and record so a sealed value copied elsewhere does not open; record keys appear in the
 * audit trail only as keyed hashes (an ID number's plain hash could be reversed by trying them all).
 */
export interface DataKeys {
  /** The first key seals; every key opens, so keys rotate without re-encrypting at once. */
  keys: { id: string; key: Buffer }[];
  hashKey: Buffer;
}

export function dataKeysFrom(configured: { id: string; key: Buffer }[] | null, masterKey: Buffer): DataKeys {
  const derive = (info: string, length: number) =>
    Buffer.from(hkdfSync("sm3", masterKey, Buffer.alloc(0), info, length));
  return {
    keys: configured ?? [{ id: "m1", key: derive("fourfold/datahub/data-key/v1", 16) }],
    hashKey: derive("fourfold/datahub/key-hash/v1", 32),
  };
}

const aad = (resourceId: string, recordKey: string) => Buffer.from(`${resourceId}\u0000${recordKey}`, "utf8");

/** key id length (1) ‖ key id ‖ sealed secret */
export function sealValues(
  keys: DataKeys,
  resourceId: string,
  recordKey: string,
  values: Record<string, unknown>,
): Buffer {
  const current = keys.keys[0]!;
  const id = Buffer.from(current.id, "utf8");
  const sealed = sealSecret(
    current.key,
    Buffer.from(JSON.stringify(values), "utf8"),
    aad(resourceId, recordKey),
  );
  return Buffer.concat([Buffer.from([id.length]), id, sealed]);
}

export function openValues(
  keys: DataKeys,
  resourceId: string,
  recordKey: string,
  blob: Buffer,
): Record<string, unknown> {
  const idLength = blob[0]!;
  const id = blob.subarray(1, 1 + idLength).toString("utf8");
  const key = keys.keys.find((k) => k.id === id);
  if (!key) throw new Error(`sealed record: data key "${id}" is not configured`);
  const plain = openSecret(key.key, blob.subarray(1 + idLength), aad(resourceId, recordKey));
  return JSON.parse(plain.toString("utf8")) as Record<string, unknown>;
}

export function keyHash(keys: DataKeys, resourceId: string, recordKey: string): string {
  return createHmac("sm3", keys.hashKey).update(aad(resourceId, recordKey)).digest("hex").slice(0, 32);
}
