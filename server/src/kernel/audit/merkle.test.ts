import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sm3 } from "../crypto/sm";
import {
  consistencyProof,
  DEFAULT_HASH,
  type HashFn,
  inclusionProof,
  leafHash,
  MerkleFrontier,
  nodeHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from "./merkle";

const sha256: HashFn = (data) => createHash("sha256").update(data).digest();
const hex = (s: string) => Buffer.from(s, "hex");
const hexes = (...s: string[]) => s.map(hex);

// Reference vectors from the certificate-transparency / transparency-dev test suites (SHA-256).
const LEAVES = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
].map(hex);
const LEAF_HASHES = LEAVES.map((d) => leafHash(sha256, d));
const EMPTY_ROOT = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/** ROOTS[n] is the root of the first n leaves. */
const ROOTS = [
  EMPTY_ROOT,
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
].map(hex);
const root = (n: number) => ROOTS[n]!;

const INCLUSION: { index: number; size: number; proof: Buffer[] }[] = [
  { index: 0, size: 1, proof: [] },
  {
    index: 0,
    size: 8,
    proof: hexes(
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ),
  },
  {
    index: 5,
    size: 8,
    proof: hexes(
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ),
  },
  { index: 2, size: 3, proof: hexes("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125") },
  {
    index: 1,
    size: 5,
    proof: hexes(
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ),
  },
];

const CONSISTENCY: { m: number; n: number; proof: Buffer[] }[] = [
  { m: 1, n: 1, proof: [] },
  {
    m: 1,
    n: 8,
    proof: hexes(
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ),
  },
  {
    m: 6,
    n: 8,
    proof: hexes(
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ),
  },
  {
    m: 2,
    n: 5,
    proof: hexes(
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ),
  },
  {
    m: 6,
    n: 7,
    proof: hexes(
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ),
  },
];

const flipBit = (b: Buffer) => {
  const copy = Buffer.from(b);
  copy[0] = (copy[0] ?? 0) ^ 0x10;
  return copy;
};
const SOME_HASH = hex("abacaba000000000000000000000000000000000000000000060061e00123456");

describe("RFC 6962 hashing (SHA-256 reference vectors)", () => {
  it("computes the empty root and the roots for sizes 1..8", () => {
    expect(rootOf(sha256, []).toString("hex")).toBe(EMPTY_ROOT);
    for (let n = 0; n <= 8; n++) {
      expect(rootOf(sha256, LEAF_HASHES.slice(0, n)).toString("hex")).toBe(root(n).toString("hex"));
    }
  });

  it("domain-separates leaves and nodes", () => {
    const a = hex("aa");
    expect(leafHash(sha256, a).equals(sha256(hex("00aa")))).toBe(true);
    expect(nodeHash(sha256, a, a).equals(sha256(hex("01aaaa")))).toBe(true);
  });

  it("builds the same roots incrementally with MerkleFrontier", () => {
    const frontier = new MerkleFrontier(sha256);
    expect(frontier.root().toString("hex")).toBe(EMPTY_ROOT);
    LEAF_HASHES.forEach((leaf, i) => {
      frontier.append(leaf);
      expect(frontier.size).toBe(i + 1);
      expect(frontier.root().equals(root(i + 1))).toBe(true);
    });
    expect(frontier.toJSON().nodes).toHaveLength(1);
  });
});

describe("inclusion proofs (reference vectors)", () => {
  for (const { index, size, proof } of INCLUSION) {
    it(`leaf ${index} in a tree of ${size}`, () => {
      const leaf = LEAF_HASHES[index]!;
      expect(inclusionProof(sha256, LEAF_HASHES.slice(0, size), index)).toEqual(proof);
      expect(verifyInclusion(sha256, leaf, index, size, proof, root(size))).toBe(true);

      const bad: [Buffer, number, number, Buffer[], Buffer][] = [
        [leaf, index - 1, size, proof, root(size)],
        [leaf, index + 1, size, proof, root(size)],
        [leaf, index ^ 2, size, proof, root(size)],
        [leaf, index, size * 2, proof, root(size)],
        [leaf, index, Math.floor(size / 2), proof, root(size)],
        [Buffer.from("WrongLeaf"), index, size, proof, root(size)],
        [leaf, index, size, proof, hex(EMPTY_ROOT)],
        [leaf, index, size, proof, SOME_HASH],
        [leaf, index, size, [...proof, Buffer.alloc(0)], root(size)],
        [leaf, index, size, [...proof, root(size)], root(size)],
        [leaf, index, size, [Buffer.alloc(0), ...proof], root(size)],
        [leaf, index, size, [root(size), ...proof], root(size)],
        ...proof.map((_, i): [Buffer, number, number, Buffer[], Buffer] => [
          leaf,
          index,
          size,
          proof.map((p, j) => (i === j ? flipBit(p) : p)),
          root(size),
        ]),
      ];
      if (proof.length > 0) bad.push([leaf, index, size, proof.slice(0, -1), root(size)]);
      if (proof.length > 1)
        bad.push([leaf, index, size, [proof[0]!, SOME_HASH, ...proof.slice(1)], root(size)]);
      for (const [l, i, s, p, r] of bad) expect(verifyInclusion(sha256, l, i, s, p, r)).toBe(false);
    });
  }

  it("rejects impossible positions", () => {
    expect(verifyInclusion(sha256, SOME_HASH, 0, 0, [], hex(EMPTY_ROOT))).toBe(false);
    expect(verifyInclusion(sha256, SOME_HASH, 1, 1, [], SOME_HASH)).toBe(false);
    expect(verifyInclusion(sha256, SOME_HASH, -1, 1, [], SOME_HASH)).toBe(false);
    expect(verifyInclusion(sha256, SOME_HASH, 0, 1, [], SOME_HASH)).toBe(true);
    expect(() => inclusionProof(sha256, LEAF_HASHES, 8)).toThrow(RangeError);
  });
});

describe("consistency proofs (reference vectors)", () => {
  for (const { m, n, proof } of CONSISTENCY) {
    it(`${m} -> ${n}`, () => {
      expect(consistencyProof(sha256, LEAF_HASHES.slice(0, n), m)).toEqual(proof);
      expect(verifyConsistency(sha256, m, n, root(m), root(n), proof)).toBe(true);
      if (proof.length === 0) return;

      const bad: [number, number, Buffer, Buffer, Buffer[]][] = [
        [m - 1, n, root(m), root(n), proof],
        [m + 1, n, root(m), root(n), proof],
        [m ^ 2, n, root(m), root(n), proof],
        [m, n * 2, root(m), root(n), proof],
        [m, Math.floor(n / 2), root(m), root(n), proof],
        [m, n, Buffer.from("WrongRoot"), root(n), proof],
        [m, n, root(m), Buffer.from("WrongRoot"), proof],
        [m, n, root(n), root(m), proof],
        [m, n, root(m), root(n), []],
        [m, n, root(m), root(n), [...proof, Buffer.alloc(0)]],
        [m, n, root(m), root(n), [...proof, root(m)]],
        [m, n, root(m), root(n), [...proof, root(n)]],
        [m, n, root(m), root(n), [Buffer.alloc(0), ...proof]],
        [m, n, root(m), root(n), [root(m), ...proof]],
        [m, n, root(m), root(n), [root(n), ...proof]],
        [m, n, root(m), root(n), [proof[0]!, ...proof]],
        [m, n, root(m), root(n), proof.slice(0, -1)],
        ...proof.map((_, i): [number, number, Buffer, Buffer, Buffer[]] => [
          m,
          n,
          root(m),
          root(n),
          proof.map((p, j) => (i === j ? flipBit(p) : p)),
        ]),
      ];
      for (const [a, b, ra, rb, p] of bad) expect(verifyConsistency(sha256, a, b, ra, rb, p)).toBe(false);
    });
  }

  it("handles the trivial cases the way RFC 9162 prescribes", () => {
    const r1 = Buffer.from("don't care 1");
    const r2 = Buffer.from("don't care 2");
    const empty = hex(EMPTY_ROOT);
    expect(verifyConsistency(sha256, 0, 0, r1, r1, [])).toBe(true);
    expect(verifyConsistency(sha256, 0, 1, r1, r2, [])).toBe(true);
    expect(verifyConsistency(sha256, 1, 1, r2, r2, [])).toBe(true);
    expect(verifyConsistency(sha256, 0, 0, r1, r2, [])).toBe(false);
    expect(verifyConsistency(sha256, 1, 1, r1, r2, [])).toBe(false);
    expect(verifyConsistency(sha256, 1, 0, r1, r2, [])).toBe(false);
    expect(verifyConsistency(sha256, 2, 1, r1, r2, [])).toBe(false);
    expect(verifyConsistency(sha256, 1, 2, r1, r2, [])).toBe(false);
    expect(verifyConsistency(sha256, 0, 0, empty, empty, [empty])).toBe(false);
    expect(verifyConsistency(sha256, 0, 1, empty, empty, [empty])).toBe(false);
    expect(verifyConsistency(sha256, 1, 1, empty, empty, [empty])).toBe(false);
    expect(() => consistencyProof(sha256, LEAF_HASHES, 9)).toThrow(RangeError);
  });
});

describe("properties (SM3, the audit log's default hash)", () => {
  const h = DEFAULT_HASH;
  const leavesArb = fc.array(fc.uint8Array({ maxLength: 8 }), { maxLength: 70 });
  const hashLeaves = (data: Uint8Array[]) => data.map((d) => leafHash(h, Buffer.from(d)));

  it("uses SM3 by default", () => {
    expect(DEFAULT_HASH(Buffer.from("abc")).equals(sm3("abc"))).toBe(true);
    expect(new MerkleFrontier().root().equals(sm3(""))).toBe(true);
  });

  it("frontier root equals rootOf at every size, with O(log n) nodes", () => {
    fc.assert(
      fc.property(leavesArb, (data) => {
        const leaves = hashLeaves(data);
        const frontier = new MerkleFrontier(h);
        expect(frontier.root().equals(rootOf(h, []))).toBe(true);
        leaves.forEach((leaf, i) => {
          frontier.append(leaf);
          expect(frontier.root().equals(rootOf(h, leaves.slice(0, i + 1)))).toBe(true);
          expect(frontier.toJSON().nodes.length).toBeLessThanOrEqual(Math.log2(i + 1) + 1);
        });
      }),
    );
  });

  it("survives a JSON round-trip and keeps appending correctly", () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(70), (data, cut) => {
        const leaves = hashLeaves(data);
        const split = Math.min(cut, leaves.length);
        const first = new MerkleFrontier(h);
        for (const leaf of leaves.slice(0, split)) first.append(leaf);
        const restored = MerkleFrontier.fromJSON(h, JSON.parse(JSON.stringify(first)));
        for (const leaf of leaves.slice(split)) restored.append(leaf);
        expect(restored.size).toBe(leaves.length);
        expect(restored.root().equals(rootOf(h, leaves))).toBe(true);
      }),
    );
  });

  it("fromJSON rejects inconsistent state", () => {
    const node = "00".repeat(32);
    expect(() => MerkleFrontier.fromJSON(h, { size: 3, nodes: [node] })).toThrow();
    expect(() => MerkleFrontier.fromJSON(h, { size: 1, nodes: ["zz"] })).toThrow();
    expect(() => MerkleFrontier.fromJSON(h, { size: -1, nodes: [] })).toThrow();
  });

  it("every inclusion proof verifies, and only at its own index", () => {
    fc.assert(
      fc.property(
        leavesArb.filter((d) => d.length > 0),
        (data) => {
          const leaves = hashLeaves(data);
          const r = rootOf(h, leaves);
          leaves.forEach((leaf, i) => {
            const proof = inclusionProof(h, leaves, i);
            expect(verifyInclusion(h, leaf, i, leaves.length, proof, r)).toBe(true);
            const other = leaves[i + 1];
            if (other && !other.equals(leaf)) {
              expect(verifyInclusion(h, other, i, leaves.length, proof, r)).toBe(false);
            }
          });
        },
      ),
      { numRuns: 50 },
    );
  });

  it("every consistency proof verifies and breaks when the old root is wrong", () => {
    fc.assert(
      fc.property(
        leavesArb.filter((d) => d.length > 0),
        (data) => {
          const leaves = hashLeaves(data);
          const n = leaves.length;
          const rootN = rootOf(h, leaves);
          for (let m = 0; m <= n; m++) {
            const rootM = rootOf(h, leaves.slice(0, m));
            const proof = consistencyProof(h, leaves, m);
            expect(verifyConsistency(h, m, n, rootM, rootN, proof)).toBe(true);
            if (m > 0 && m < n) expect(verifyConsistency(h, m, n, flipBit(rootM), rootN, proof)).toBe(false);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
