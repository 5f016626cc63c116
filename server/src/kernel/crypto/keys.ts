import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { and, desc, eq, isNull } from "drizzle-orm";
import { signingKeys } from "../audit/schema";
import type { Db } from "../db/db";
import { newId } from "../db/ids";
import { generateSm2KeyPair, openSecret, sealSecret } from "./sm";

/**
 * The master key seals every private key the platform stores. It comes from MASTER_KEY or, for a
 * single-machine installation, from DATA_DIR/master.key (created once, readable by the owner only).
 */
export function loadMasterKey(masterKeyHex: string | null, dataDir: string): Buffer {
  if (masterKeyHex) return Buffer.from(masterKeyHex, "hex");
  const file = path.join(dataDir, "master.key");
  if (existsSync(file)) {
    const hex = readFileSync(file, "utf8").trim();
    if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error(`${file} does not hold a 32-hex-digit key`);
    return Buffer.from(hex, "hex");
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(16);
  writeFileSync(file, `${key.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return key;
}

export interface SigningKey {
  id: string;
  publicKeyHex: string;
  privateKeyHex: string;
}

/** The current SM2 key for a purpose (e.g. "audit"), created on first use. */
export async function currentSigningKey(db: Db, masterKey: Buffer, purpose: string): Promise<SigningKey> {
  const [row] = await db
    .select()
    .from(signingKeys)
    .where(and(eq(signingKeys.purpose, purpose), isNull(signingKeys.retiredAt)))
    .orderBy(desc(signingKeys.createdAt))
    .limit(1);
  if (row) {
    return {
      id: row.id,
      publicKeyHex: row.publicKeyHex,
      privateKeyHex: openSecret(masterKey, row.privateKeySealed).toString("utf8"),
    };
  }
  const pair = generateSm2KeyPair();
  const id = newId();
  await db.insert(signingKeys).values({
    id,
    purpose,
    publicKeyHex: pair.publicKeyHex,
    privateKeySealed: sealSecret(masterKey, Buffer.from(pair.privateKeyHex, "utf8")),
  });
  return { id, publicKeyHex: pair.publicKeyHex, privateKeyHex: pair.privateKeyHex };
}

export async function publicKeyOf(db: Db, keyId: string): Promise<string | null> {
  const [row] = await db
    .select({ publicKeyHex: signingKeys.publicKeyHex })
    .from(signingKeys)
    .where(eq(signingKeys.id, keyId));
  return row?.publicKeyHex ?? null;
}
