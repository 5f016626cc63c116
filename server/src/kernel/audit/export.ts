import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { sm2PublicKeyPem } from "../crypto/sm";
import type { Db } from "../db/db";
import { queryRows } from "../db/db";
import { treeHeadMessage } from "./audit";

/**
 * Writes the latest signed tree head as files OpenSSL can check on its own: the signed message, the
 * DER signature and the SM2 public key.
 */
export async function exportTreeHead(db: Db, dir: string): Promise<{ opensslCommand: string } | null> {
  const [head] = await queryRows<{
    tree_size: string;
    root_hash: Buffer | Uint8Array;
    signed_at: string;
    signature: Buffer | Uint8Array;
    public_key_hex: string;
  }>(
    db,
    sql`select h.tree_size::text as tree_size, h.root_hash, h.signature, k.public_key_hex,
          to_char(h.signed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as signed_at
        from audit.tree_heads h join audit.signing_keys k on k.id = h.key_id order by h.tree_size desc limit 1`,
  );
  if (!head) return null;
  mkdirSync(dir, { recursive: true });
  const message = path.join(dir, "tree-head.json");
  const signature = path.join(dir, "tree-head.sig.der");
  const publicKey = path.join(dir, "audit-public-key.pem");
  writeFileSync(
    message,
    treeHeadMessage(Number(head.tree_size), Buffer.from(head.root_hash), head.signed_at),
  );
  writeFileSync(signature, Buffer.from(head.signature));
  writeFileSync(publicKey, sm2PublicKeyPem(head.public_key_hex));
  return {
    opensslCommand: `openssl dgst -sm3 -verify ${publicKey} -sigopt distid:1234567812345678 -signature ${signature} ${message}`,
  };
}
