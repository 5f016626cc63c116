import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgSchema,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { bytea } from "../db/schema";

export const audit = pgSchema("audit");

/**
 * Appended in the transaction of the change it records. The sealer later gives each record its
 * Merkle leaf index (in sealing order) and stores the leaf's SM3 hash.
 */
export const auditRecords = audit.table(
  "records",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true, mode: "string" }).notNull(),
    actorId: uuid("actor_id"),
    actorName: text("actor_name"),
    actorRoles: text("actor_roles").array(),
    action: text("action").notNull(),
    resourceType: text("resource_type").notNull(),
    resourceId: text("resource_id"),
    outcome: text("outcome").notNull(),
    ip: text("ip"),
    requestId: text("request_id"),
    details: jsonb("details"),
    leafIndex: bigint("leaf_index", { mode: "number" }),
    leafHash: bytea("leaf_hash"),
  },
  (t) => [
    uniqueIndex("records_leaf_index_key").on(t.leafIndex),
    // The sealer takes unsealed records in id order; without this it would sort the whole backlog.
    index("records_unsealed_idx").on(t.id).where(sql`leaf_index is null`),
    index("records_at_idx").on(t.at),
    index("records_actor_idx").on(t.actorId, t.at),
  ],
);

/**
 * Tree heads: the root of the first tree_size leaves. The last head of each sealing pass is signed
 * with the platform's SM2 key; a signed head vouches for every leaf before it.
 */
export const treeHeads = audit.table("tree_heads", {
  treeSize: bigint("tree_size", { mode: "number" }).primaryKey(),
  rootHash: bytea("root_hash").notNull(),
  /** The compact frontier after tree_size leaves, so sealing resumes in O(log n). */
  frontier: jsonb("frontier").notNull(),
  signedAt: timestamp("signed_at", { withTimezone: true, mode: "string" }).notNull(),
  /** Null for the intermediate heads of one sealing pass; the pass's last head is always signed. */
  keyId: uuid("key_id"),
  signature: bytea("signature"),
});

export const signingKeys = audit.table("signing_keys", {
  id: uuid("id").primaryKey(),
  purpose: text("purpose").notNull(),
  publicKeyHex: text("public_key_hex").notNull(),
  /** Sealed with the installation's master key. */
  privateKeySealed: bytea("private_key_sealed").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp("retired_at", { withTimezone: true }),
  version: integer("version").notNull().default(1),
  /** Null for SM2; "rsa-2048" for the PDF-signing keys of seals and their root CA (ADR 7). */
  algorithm: text("algorithm"),
  /** The X.509 certificate of a PDF-signing key. */
  certificatePem: text("certificate_pem"),
});
