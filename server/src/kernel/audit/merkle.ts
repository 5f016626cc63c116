/**
 * RFC 6962 §2.1 Merkle hash trees (verification as restated in RFC 9162 §2.1.3.2 / §2.1.4.2).
 * Tree sizes and indices are plain numbers: exact up to 2^53, far beyond any audit log here.
 */
import { sm3 } from "../crypto/sm";

export type HashFn = (data: Buffer) => Buffer;

/** The audit log's hash: SM3, as GM/T 0004 is required for government systems. */
export const DEFAULT_HASH: HashFn = (data) => sm3(data);

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export function leafHash(h: HashFn, data: Buffer): Buffer {
  return h(Buffer.concat([LEAF_PREFIX, data]));
}

export function nodeHash(h: HashFn, left: Buffer, right: Buffer): Buffer {
  return h(Buffer.concat([NODE_PREFIX, left, right]));
}

/** Largest power of two strictly smaller than n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function at(list: readonly Buffer[], i: number): Buffer {
  const value = list[i];
  if (value === undefined) throw new RangeError(`index ${i} out of range`);
  return value;
}

/** MTH(D[start:end]), straight from the recursive definition. */
function mth(h: HashFn, leaves: readonly Buffer[], start: number, end: number): Buffer {
  const n = end - start;
  if (n === 0) return h(Buffer.alloc(0));
  if (n === 1) return at(leaves, start);
  const k = splitPoint(n);
  return nodeHash(h, mth(h, leaves, start, start + k), mth(h, leaves, start + k, end));
}

/** MTH over already-hashed leaves. */
export function rootOf(h: HashFn, leafHashes: readonly Buffer[]): Buffer {
  return mth(h, leafHashes, 0, leafHashes.length);
}

/** Number of set bits; the frontier holds one node per set bit of the tree size. */
function popcount(n: number): number {
  let count = 0;
  for (let x = n; x > 0; x = Math.floor(x / 2)) count += x % 2;
  return count;
}

/**
 * Append-only log state in O(log n): the roots of the perfect subtrees that make up the tree,
 * largest (leftmost) first. Enough to compute the current root and keep appending.
 */
export class MerkleFrontier {
  #size = 0;
  readonly #nodes: Buffer[] = [];

  constructor(private readonly h: HashFn = DEFAULT_HASH) {}

  get size(): number {
    return this.#size;
  }

  append(leaf: Buffer): void {
    this.#nodes.push(leaf);
    // Each trailing 1-bit of the old size is a perfect subtree that now has an equal-sized sibling.
    for (let s = this.#size; s % 2 === 1; s = Math.floor(s / 2)) {
      const right = this.#nodes.pop()!;
      const left = this.#nodes.pop()!;
      this.#nodes.push(nodeHash(this.h, left, right));
    }
    this.#size++;
  }

  root(): Buffer {
    if (this.#size === 0) return this.h(Buffer.alloc(0));
    let acc = at(this.#nodes, this.#nodes.length - 1);
    for (let i = this.#nodes.length - 2; i >= 0; i--) acc = nodeHash(this.h, at(this.#nodes, i), acc);
    return acc;
  }

  toJSON(): { size: number; nodes: string[] } {
    return { size: this.#size, nodes: this.#nodes.map((n) => n.toString("hex")) };
  }

  static fromJSON(h: HashFn, json: { size: number; nodes: string[] }): MerkleFrontier {
    if (!Number.isSafeInteger(json.size) || json.size < 0) throw new Error("frontier: bad size");
    if (json.nodes.length !== popcount(json.size))
      throw new Error("frontier: node count does not match size");
    const frontier = new MerkleFrontier(h);
    for (const hex of json.nodes) {
      if (!/^(?:[0-9a-f]{2})+$/i.test(hex)) throw new Error("frontier: node is not hex");
      frontier.#nodes.push(Buffer.from(hex, "hex"));
    }
    frontier.#size = json.size;
    return frontier;
  }
}

/** PATH(m, D[n]): sibling hashes from the leaf upwards. */
export function inclusionProof(h: HashFn, leafHashes: readonly Buffer[], index: number): Buffer[] {
  if (!Number.isInteger(index) || index < 0 || index >= leafHashes.length) {
    throw new RangeError(`leaf index ${index} outside tree of size ${leafHashes.length}`);
  }
  const proof: Buffer[] = [];
  // Walk down from the root, collecting the sibling subtree at each level, then reverse.
  let start = 0;
  let end = leafHashes.length;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      proof.push(mth(h, leafHashes, start + k, end));
      end = start + k;
    } else {
      proof.push(mth(h, leafHashes, start, start + k));
      start += k;
    }
  }
  return proof.reverse();
}

/** PROOF(m, D[n]) per RFC 6962 §2.1.2; empty when m is 0 or the whole tree. */
export function consistencyProof(h: HashFn, leafHashes: readonly Buffer[], m: number): Buffer[] {
  const n = leafHashes.length;
  if (!Number.isInteger(m) || m < 0 || m > n) throw new RangeError(`size ${m} outside tree of size ${n}`);
  if (m === 0 || m === n) return [];
  const proof: Buffer[] = [];
  let start = 0;
  let end = n;
  let complete = true;
  // Iterative SUBPROOF: descend towards the subtree whose right edge is at m.
  while (m !== end) {
    const k = splitPoint(end - start);
    if (m <= start + k) {
      proof.push(mth(h, leafHashes, start + k, end));
      end = start + k;
    } else {
      proof.push(mth(h, leafHashes, start, start + k));
      start += k;
      complete = false;
    }
  }
  if (!complete) proof.push(mth(h, leafHashes, start, end));
  return proof.reverse();
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function isPowerOfTwo(n: number): boolean {
  let x = n;
  while (x > 1 && x % 2 === 0) x /= 2;
  return x === 1;
}

export function verifyInclusion(
  h: HashFn,
  leaf: Buffer,
  index: number,
  treeSize: number,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!isSize(index) || !isSize(treeSize) || index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(h, p, r);
      // Skip the levels where this node is a lone right edge and simply moves up.
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(h, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

export function verifyConsistency(
  h: HashFn,
  m: number,
  n: number,
  rootM: Buffer,
  rootN: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (!isSize(m) || !isSize(n) || m > n) return false;
  if (m === n) return proof.length === 0 && rootM.equals(rootN);
  // Every tree is consistent with the empty tree; there is nothing to prove.
  if (m === 0) return proof.length === 0;
  if (proof.length === 0) return false;

  // When m is a power of two its root is itself a node of the new tree and is left out of the proof.
  const path = isPowerOfTwo(m) ? [rootM, ...proof] : [...proof];
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = at(path, 0);
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(h, c, fr);
      sr = nodeHash(h, c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(h, sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(rootM) && sr.equals(rootN);
}
