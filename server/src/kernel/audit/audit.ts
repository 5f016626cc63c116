import { sql } from "drizzle-orm";
import type { Actor } from "../access/actor";
import { canonicalJson } from "../crypto/canonical-json";
import type { SigningKey } from "../crypto/keys";
import { sm2Sign, sm2Verify, sm3 } from "../crypto/sm";
import type { Db } from "../db/db";
import { queryRows } from "../db/db";
import { leafHash, MerkleFrontier } from "./merkle";
import { auditRecords, treeHeads } from "./schema";

export type AuditOutcome = "success" | "failure" | "denied";

export interface AuditEntry {
  /** Dotted, past tense for changes ("identity.staff.created"), "read" for personal-data reads. */
  action: string;
  resourceType: string;
  resourceId?: string | null;
  outcome?: AuditOutcome;
  details?: Record<string, unknown>;
}

export interface AuditSource {
  actor: Actor | null;
  requestId: string;
  ip: string | null;
  clock: { now(): Date };
}

/** Appends an audit record in the caller's transaction, so it exists exactly when the change does. */
export async function appendAudit(tx: Db, source: AuditSource, entry: AuditEntry): Promise<void> {
  await tx.insert(auditRecords).values(toRow(source, entry));
}

export async function appendAuditBatch(tx: Db, source: AuditSource, entries: AuditEntry[]): Promise<void> {
  if (entries.length > 0) await tx.insert(auditRecords).values(entries.map((e) => toRow(source, e)));
}

function toRow(source: AuditSource, entry: AuditEntry) {
  return {
    at: source.clock.now().toISOString(),
    actorId: source.actor?.id ?? null,
    actorName: source.actor?.displayName ?? null,
    actorRoles: source.actor ? [...source.actor.roles] : null,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId ?? null,
    outcome: entry.outcome ?? "success",
    ip: source.ip,
    requestId: source.requestId,
    details: entry.details ?? null,
  };
}

interface LeafRow {
  id: string;
  at_us: string;
  actor_id: string | null;
  actor_name: string | null;
  actor_roles: string[] | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  outcome: string;
  ip: string | null;
  request_id: string | null;
  details: unknown;
  leaf_index: string | null;
  leaf_hash: Buffer | Uint8Array | null;
}

const LEAF_COLUMNS = sql.raw(`id::text as id, (extract(epoch from at) * 1000000)::bigint::text as at_us,
  actor_id, actor_name, actor_roles, action, resource_type, resource_id, outcome, ip, request_id, details,
  leaf_index::text as leaf_index, leaf_hash`);

/** The exact bytes a record contributes to the Merkle tree; every column that matters is in it. */
export function leafData(row: LeafRow): Buffer {
  return Buffer.from(
    canonicalJson({
      v: 1,
      id: row.id,
      at: row.at_us,
      actorId: row.actor_id,
      actorName: row.actor_name,
      actorRoles: row.actor_roles,
      action: row.action,
      resourceType: row.resource_type,
      resourceId: row.resource_id,
      outcome: row.outcome,
      ip: row.ip,
      requestId: row.request_id,
      details: typeof row.details === "string" ? JSON.parse(row.details) : row.details,
    }),
    "utf8",
  );
}

/** The bytes an SM2 tree-head signature covers (also what `audit:verify --export` writes for OpenSSL). */
export function treeHeadMessage(treeSize: number, rootHash: Buffer, signedAt: string): Buffer {
  return Buffer.from(
    canonicalJson({ v: "fourfold-sth-1", treeSize, rootHash: rootHash.toString("hex"), signedAt }),
    "utf8",
  );
}

interface HeadRow {
  tree_size: string;
  root_hash: Buffer | Uint8Array;
  frontier: { size: number; nodes: string[] } | string;
  signed_at: string;
  key_id: string | null;
  signature: Buffer | Uint8Array | null;
}

const HEAD_COLUMNS = sql.raw(`tree_size::text as tree_size, root_hash, frontier, key_id, signature,
  to_char(signed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as signed_at`);

async function latestHead(db: Db): Promise<HeadRow | undefined> {
  const rows = await queryRows<HeadRow>(
    db,
    sql`select ${HEAD_COLUMNS} from audit.tree_heads h order by h.tree_size desc limit 1`,
  );
  return rows[0];
}

/** Records sealed per transaction: small enough that the sealer never stalls requests for long. */
export const SEAL_BATCH = 250;

/**
 * Gives unsealed records their leaf indexes (in sealing order), extends the tree and signs the new
 * head, at most `limit` (SEAL_BATCH) records per call. One sealer at a time across processes (advisory lock);
 * returns how many records it sealed.
 */
export async function sealPending(
  db: Db,
  key: SigningKey,
  clock: { now(): Date },
  options: { sign: boolean | "if-last"; limit?: number } = { sign: "if-last" },
): Promise<number> {
  const limit = options.limit ?? SEAL_BATCH;
  return db.transaction(async (tx) => {
    const [lock] = await queryRows<{ locked: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(hashtext('fourfold.audit.seal')) as locked`,
    );
    if (!lock?.locked) return 0;
    const head = await latestHead(tx);
    const frontier = head ? MerkleFrontier.fromJSON(sm3, parseJson(head.frontier)) : new MerkleFrontier(sm3);
    const rows = await queryRows<LeafRow>(
      tx,
      sql`select ${LEAF_COLUMNS} from audit.records r where r.leaf_index is null order by r.id limit ${limit} for update`,
    );
    if (rows.length === 0) return 0;
    const values = rows.map((row) => {
      const hash = leafHash(sm3, leafData(row));
      const index = frontier.size;
      frontier.append(hash);
      return sql`(${row.id}::bigint, ${index}::bigint, decode(${hash.toString("hex")}, 'hex'))`;
    });
    await tx.execute(sql`update audit.records r set leaf_index = v.idx, leaf_hash = v.h
      from (values ${sql.join(values, sql`, `)}) as v(id, idx, h) where r.id = v.id`);
    const sealed = rows.length;
    const root = frontier.root();
    const signedAt = clock.now().toISOString();
    // SM2 signing takes ~20 ms here; a pass signs its last head only, which covers all before it.
    const sign = options.sign === true || (options.sign === "if-last" && sealed < limit);
    const signature = sign
      ? sm2Sign(key.privateKeyHex, treeHeadMessage(frontier.size, root, signedAt))
      : null;
    await tx.insert(treeHeads).values({
      treeSize: frontier.size,
      rootHash: root,
      frontier: frontier.toJSON(),
      signedAt,
      keyId: signature ? key.id : null,
      signature,
    });
    return sealed;
  });
}

function parseJson<T>(value: T | string): T {
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}

export interface AuditStatus {
  treeSize: number;
  unsealed: number;
  rootHash: string | null;
  signedAt: string | null;
  keyId: string | null;
}

export async function auditStatus(db: Db): Promise<AuditStatus> {
  const [signed] = await queryRows<HeadRow>(
    db,
    sql`select ${HEAD_COLUMNS} from audit.tree_heads h where h.signature is not null order by h.tree_size desc limit 1`,
  );
  // Records sealed into heads not yet signed count as awaiting, like records with no leaf yet.
  const [count] = await queryRows<{ n: string }>(
    db,
    sql`select ((select count(*) from audit.records where leaf_index is null)
          + coalesce((select max(tree_size) from audit.tree_heads), 0)
          - ${signed ? Number(signed.tree_size) : 0})::text as n`,
  );
  return {
    treeSize: signed ? Number(signed.tree_size) : 0,
    unsealed: Number(count?.n ?? 0),
    rootHash: signed ? Buffer.from(signed.root_hash).toString("hex") : null,
    signedAt: signed?.signed_at ?? null,
    keyId: signed?.key_id ?? null,
  };
}

export interface VerifyReport {
  ok: boolean;
  treeSize: number;
  checkedRecords: number;
  checkedHeads: number;
  unsealed: number;
  problems: string[];
}

const MAX_PROBLEMS = 50;

/**
 * Recomputes every leaf from its record, the root at every signed tree head, and every signature.
 * An edited record changes its leaf; a deleted one leaves a gap; reordering changes the roots.
 */
export async function verifyAuditLog(db: Db): Promise<VerifyReport> {
  const problems: string[] = [];
  const report = (p: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const heads = await queryRows<HeadRow>(
    db,
    sql`select ${HEAD_COLUMNS} from audit.tree_heads h order by h.tree_size`,
  );
  const keys = new Map(
    (
      await queryRows<{ id: string; public_key_hex: string }>(
        db,
        sql`select id, public_key_hex from audit.signing_keys`,
      )
    ).map((k) => [k.id, k.public_key_hex]),
  );
  let headIndex = 0;
  const frontier = new MerkleFrontier(sm3);
  const checkHeads = () => {
    while (headIndex < heads.length && Number(heads[headIndex]!.tree_size) === frontier.size) {
      const head = heads[headIndex++]!;
      const root = frontier.root();
      if (!root.equals(Buffer.from(head.root_hash))) {
        report(`tree head ${head.tree_size}: the records do not produce the signed root`);
      }
      if (!head.signature || !head.key_id) continue;
      const publicKey = keys.get(head.key_id);
      const message = treeHeadMessage(Number(head.tree_size), Buffer.from(head.root_hash), head.signed_at);
      if (!publicKey || !sm2Verify(publicKey, message, Buffer.from(head.signature))) {
        report(`tree head ${head.tree_size}: the SM2 signature is not valid`);
      }
    }
  };
  let after = -1;
  let checked = 0;
  for (;;) {
    const rows = await queryRows<LeafRow>(
      db,
      sql`select ${LEAF_COLUMNS} from audit.records r where r.leaf_index > ${after} order by r.leaf_index limit 5000`,
    );
    for (const row of rows) {
      const index = Number(row.leaf_index);
      if (index !== frontier.size) {
        report(`leaf ${frontier.size}: missing (next record has leaf ${index}); records were deleted`);
      }
      const hash = leafHash(sm3, leafData(row));
      if (!row.leaf_hash || !hash.equals(Buffer.from(row.leaf_hash))) {
        report(`record ${row.id} (leaf ${index}): its content does not match its sealed hash`);
      }
      frontier.append(hash);
      checkHeads();
      checked++;
      after = index;
    }
    if (rows.length < 5000) break;
  }
  checkHeads();
  if (headIndex < heads.length) {
    report(
      `tree head ${heads[headIndex]!.tree_size} covers ${heads[headIndex]!.tree_size} records but only ${frontier.size} exist; records were deleted`,
    );
  }
  const [unsealed] = await queryRows<{ n: string }>(
    db,
    sql`select count(*)::text as n from audit.records where leaf_index is null`,
  );
  const last = heads.at(-1);
  return {
    ok: problems.length === 0,
    treeSize: last ? Number(last.tree_size) : 0,
    checkedRecords: checked,
    checkedHeads: headIndex,
    unsealed: Number(unsealed?.n ?? 0),
    problems,
  };
}
