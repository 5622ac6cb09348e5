import { createHash } from 'node:crypto';

/**
 * RFC 6962 §2.1 (RFC 9162 §2.1.1) Merkle tree hashing. A leaf and an interior node are hashed with
 * different prefixes, so no leaf can pass for a node (the second-preimage defence).
 */
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export const HASH_BYTES = 32;

export function leafHash(leaf: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(leaf).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** MTH({}): the hash of the empty string. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/**
 * Where the tree's hashes are kept: the hash of each complete subtree, the 2^level leaves from
 * index × 2^level. Level 0 is the leaf hashes. Every hash the RFC's MTH, PATH and PROOF need is
 * one of these or is combined from O(log n) of them, so a log of any size answers from storage
 * without rehashing its leaves.
 */
export interface SubtreeHashes {
  subtree(level: number, index: number): Buffer;
}

/** The largest power of two smaller than n (n > 1): RFC 6962's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[start : start + n]). */
export function rangeHash(tree: SubtreeHashes, start: number, n: number): Buffer {
  if (n === 0) return EMPTY_ROOT;
  // A complete, aligned subtree is stored; the RFC's recursions only ever ask for aligned ones.
  if ((n & (n - 1)) === 0 && start % n === 0) return tree.subtree(Math.log2(n), start / n);
  const k = splitPoint(n);
  return nodeHash(rangeHash(tree, start, k), rangeHash(tree, start + k, n - k));
}

export function rootHash(tree: SubtreeHashes, size: number): Buffer {
  return rangeHash(tree, 0, size);
}

/** PATH(m, D[n]) of RFC 6962 §2.1.1: the audit path of leaf m in the tree of the first n leaves. */
export function inclusionProof(tree: SubtreeHashes, leafIndex: number, size: number): Buffer[] {
  requireIndex(leafIndex, size);
  const path: Buffer[] = [];
  let start = 0;
  let n = size;
  let m = leafIndex;
  // Descends from the root; the RFC appends the sibling after the recursion, so collect then reverse.
  while (n > 1) {
    const k = splitPoint(n);
    if (m < k) {
      path.push(rangeHash(tree, start + k, n - k));
      n = k;
    } else {
      path.push(rangeHash(tree, start, k));
      start += k;
      m -= k;
      n -= k;
    }
  }
  return path.reverse();
}

/** PROOF(m, D[n]) of RFC 6962 §2.1.2: that the first m leaves are the first m of the n. */
export function consistencyProof(tree: SubtreeHashes, fromSize: number, toSize: number): Buffer[] {
  if (!Number.isSafeInteger(fromSize) || fromSize < 1 || fromSize > toSize) {
    throw new RangeError(`no consistency proof from size ${fromSize} to size ${toSize}`);
  }
  const proof: Buffer[] = [];
  let start = 0;
  let n = toSize;
  let m = fromSize;
  let complete = true; // SUBPROOF's b: whether D[start : start + m] is a tree head the reader has.
  while (m < n) {
    const k = splitPoint(n);
    if (m <= k) {
      proof.push(rangeHash(tree, start + k, n - k));
      n = k;
    } else {
      proof.push(rangeHash(tree, start, k));
      start += k;
      m -= k;
      n -= k;
      complete = false;
    }
  }
  if (!complete) proof.push(rangeHash(tree, start, m));
  return proof.reverse();
}

function requireIndex(leafIndex: number, size: number): void {
  if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= size) {
    throw new RangeError(`leaf ${leafIndex} is not in a tree of ${size} leaves`);
  }
}

/**
 * RFC 9162 §2.1.3.2: recomputes the root from a leaf hash and its audit path; true when it is
 * `root`. Never throws: a malformed proof is simply not a proof.
 */
export function verifyInclusion(
  leafIndex: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= size) return false;
  if (leaf.length !== HASH_BYTES || root.length !== HASH_BYTES) return false;
  let fn = leafIndex;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0 || p.length !== HASH_BYTES) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/**
 * RFC 9162 §2.1.4.2: true when `proof` shows the tree of `fromSize` leaves with root `fromRoot`
 * is the start of the tree of `toSize` leaves with root `toRoot`. Never throws.
 */
export function verifyConsistency(
  fromSize: number,
  toSize: number,
  fromRoot: Uint8Array,
  toRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(fromSize) || !Number.isSafeInteger(toSize)) return false;
  if (fromSize < 1 || fromSize > toSize) return false;
  if ([fromRoot, toRoot, ...proof].some((hash) => hash.length !== HASH_BYTES)) return false;
  if (fromSize === toSize) return proof.length === 0 && Buffer.from(fromRoot).equals(toRoot);
  // Step 2: if first is an exact power of 2, prepend first_hash to the path.
  const path = (fromSize & (fromSize - 1)) === 0 ? [fromRoot, ...proof] : [...proof];
  if (path.length === 0) return false;
  let fn = fromSize - 1;
  let sn = toSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = Buffer.from(path[0] as Uint8Array);
  let sr: Buffer = Buffer.from(path[0] as Uint8Array);
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(fromRoot) && sr.equals(toRoot) && sn === 0;
}
