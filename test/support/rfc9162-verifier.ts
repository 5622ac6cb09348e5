/**
 * An independent RFC 9162 / RFC 6962 proof verifier, for tests only.
 *
 * It is written from the RFC text and shares no code with the transparency library under test, so
 * that a proof the library produces is checked by something other than the library itself.
 *
 * - Hashing: RFC 6962 §2.1 / RFC 9162 §2.1.1: leaf hash = SHA-256(0x00 || leaf),
 *   node hash = SHA-256(0x01 || left || right).
 * - Inclusion: RFC 9162 §2.1.3.2 "Verifying an Inclusion Proof", step by step.
 * - Consistency: RFC 9162 §2.1.4.2 "Verifying Consistency between Two Tree Heads", step by step.
 * - Tree head signature input: RFC 6962 §3.5 TreeHeadSignature (version v1, signature_type
 *   tree_hash), signed here with Ed25519 through node:crypto.
 *
 * Conventions: every hash is a lowercase hex string of exactly 64 characters (32 bytes); anything
 * else is malformed. Sizes and indices are non-negative safe integers (Number.isSafeInteger); the
 * arithmetic runs on bigint so the RFC's bit operations are exact up to 2^53. The verify* functions
 * never throw: malformed input of any kind yields false.
 */
import { createHash, createPublicKey, verify as cryptoVerify } from 'node:crypto';

const HASH_HEX = /^[0-9a-f]{64}$/;
const BASE64_ED25519_SIGNATURE = /^[A-Za-z0-9+/]{86}==$/;
/** No proof for a tree of fewer than 2^63 leaves is longer than this; longer input is malformed. */
const MAX_PROOF_LENGTH = 64;

type Hash = Buffer;

function sha256(...parts: readonly Uint8Array[]): Hash {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** HASH(0x01 || left || right): an interior node, RFC 6962 §2.1 / RFC 9162 §2.1.1. */
function nodeHash(left: Hash, right: Hash): Hash {
  return sha256(Uint8Array.of(0x01), left, right);
}

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A 32-byte hash from lowercase hex, or undefined if it is anything else. */
function parseHash(value: unknown): Hash | undefined {
  if (typeof value !== 'string' || !HASH_HEX.test(value)) return undefined;
  return Buffer.from(value, 'hex');
}

function parseProof(value: unknown): Hash[] | undefined {
  if (!Array.isArray(value) || value.length > MAX_PROOF_LENGTH) return undefined;
  const hashes: Hash[] = [];
  for (const item of value) {
    const hash = parseHash(item);
    if (hash === undefined) return undefined;
    hashes.push(hash);
  }
  return hashes;
}

/** LSB(x): whether the least significant bit of x is set. */
function lsb(x: bigint): boolean {
  return (x & 1n) === 1n;
}

/** SHA-256(0x00 || leaf) as lowercase hex: the RFC 6962 §2.1 leaf hash. */
export function leafHash(leaf: Uint8Array): string {
  return sha256(Uint8Array.of(0x00), leaf).toString('hex');
}

/**
 * RFC 9162 §2.1.3.2: does `proof` (the inclusion_path) prove that `leafHash` is the leaf at
 * `leafIndex` of the tree of `treeSize` leaves whose root is `rootHash`?
 *
 * The tree size is bound only through the shape of the path: the same path and root can verify for
 * more than one size (for example leaf 0 of sizes 3 and 4). Binding the size to the root is the
 * job of the signed tree head.
 */
export function verifyInclusion(p: {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  proof: readonly string[];
  rootHash: string;
}): boolean {
  try {
    if (!isSize(p.leafIndex) || !isSize(p.treeSize)) return false;
    const hash = parseHash(p.leafHash);
    const rootHash = parseHash(p.rootHash);
    const inclusionPath = parseProof(p.proof);
    if (hash === undefined || rootHash === undefined || inclusionPath === undefined) return false;

    // 1. Compare leaf_index from the inclusion_proof_v2 structure against tree_size. If leaf_index
    //    is greater than or equal to tree_size, then fail the proof verification.
    if (p.leafIndex >= p.treeSize) return false;
    // 2. Set fn to leaf_index and sn to tree_size - 1.
    let fn = BigInt(p.leafIndex);
    let sn = BigInt(p.treeSize) - 1n;
    // 3. Set r to hash.
    let r = hash;
    // 4. For each value p in the inclusion_path array:
    for (const element of inclusionPath) {
      //  a. If sn is 0, then stop the iteration and fail the proof verification.
      if (sn === 0n) return false;
      //  b. If LSB(fn) is set, or if fn is equal to sn, then:
      if (lsb(fn) || fn === sn) {
        //   i. Set r to HASH(0x01 || p || r).
        r = nodeHash(element, r);
        //   ii. If LSB(fn) is not set, then right-shift both fn and sn equally until either LSB(fn)
        //       is set or fn is 0.
        if (!lsb(fn)) {
          while (!lsb(fn) && fn !== 0n) {
            fn >>= 1n;
            sn >>= 1n;
          }
        }
      } else {
        //   Otherwise: i. Set r to HASH(0x01 || r || p).
        r = nodeHash(r, element);
      }
      //  c. Finally, right-shift both fn and sn one time.
      fn >>= 1n;
      sn >>= 1n;
    }
    // 5. Compare sn to 0. Compare r against the root_hash. If sn is equal to 0 and r and the
    //    root_hash are equal, then the log has proven the inclusion of hash. Otherwise, fail the
    //    proof verification.
    return sn === 0n && r.equals(rootHash);
  } catch {
    return false;
  }
}

/**
 * RFC 9162 §2.1.4.2: does `proof` (the consistency_path) prove that the tree of `fromSize` leaves
 * with root `fromRoot` is a prefix of the tree of `toSize` leaves with root `toRoot`?
 *
 * Edge cases (choices documented here, beyond the numbered algorithm):
 * - fromSize > toSize: false.
 * - fromSize === 0: false, including 0 === toSize. RFC 9162 §2.1.4.1 (like RFC 6962 §2.1.2)
 *   defines consistency proofs only for a previous tree of 0 < m leaves; there is nothing to
 *   verify against an empty tree, so no claim about one is accepted (the transparency-dev/merkle
 *   golden probes reject these cases too).
 * - fromSize === toSize (>= 1): true iff the proof is empty and the two roots are equal
 *   (RFC 6962 SUBPROOF(m, D[m], true) is the empty list). The numbered algorithm is not used for
 *   this case: its step 1 fails every empty path.
 */
export function verifyConsistency(p: {
  fromSize: number;
  toSize: number;
  fromRoot: string;
  toRoot: string;
  proof: readonly string[];
}): boolean {
  try {
    if (!isSize(p.fromSize) || !isSize(p.toSize)) return false;
    const firstHash = parseHash(p.fromRoot);
    const secondHash = parseHash(p.toRoot);
    const path = parseProof(p.proof);
    if (firstHash === undefined || secondHash === undefined || path === undefined) return false;
    // fromSize 0 must stop here: step 3 would make fn = -1, and step 4 would shift it forever.
    if (p.fromSize === 0 || p.fromSize > p.toSize) return false;
    if (p.fromSize === p.toSize) return path.length === 0 && firstHash.equals(secondHash);

    const first = BigInt(p.fromSize);
    const second = BigInt(p.toSize);
    // 1. If consistency_path is an empty array, stop and fail the proof verification.
    if (path.length === 0) return false;
    // 2. If first is an exact power of 2, then prepend first_hash to the consistency_path array.
    if ((first & (first - 1n)) === 0n) path.unshift(firstHash);
    // 3. Set fn to first - 1 and sn to second - 1.
    let fn = first - 1n;
    let sn = second - 1n;
    // 4. If LSB(fn) is set, then right-shift both fn and sn equally until LSB(fn) is not set.
    while (lsb(fn)) {
      fn >>= 1n;
      sn >>= 1n;
    }
    // 5. Set both fr and sr to the first value in the consistency_path array.
    let fr = path[0];
    let sr = path[0];
    // 6. For each subsequent value c in the consistency_path array:
    for (const c of path.slice(1)) {
      //  a. If sn is 0, then stop the iteration and fail the proof verification.
      if (sn === 0n) return false;
      //  b. If LSB(fn) is set, or if fn is equal to sn, then:
      if (lsb(fn) || fn === sn) {
        //   i. Set fr to HASH(0x01 || c || fr).
        fr = nodeHash(c, fr);
        //   ii. Set sr to HASH(0x01 || c || sr).
        sr = nodeHash(c, sr);
        //   iii. If LSB(fn) is not set, then right-shift both fn and sn equally until either
        //        LSB(fn) is set or fn is 0.
        if (!lsb(fn)) {
          while (!lsb(fn) && fn !== 0n) {
            fn >>= 1n;
            sn >>= 1n;
          }
        }
      } else {
        //   Otherwise: i. Set sr to HASH(0x01 || sr || c).
        sr = nodeHash(sr, c);
      }
      //  c. Finally, right-shift both fn and sn one time.
      fn >>= 1n;
      sn >>= 1n;
    }
    // 7. After completing iterating through the consistency_path array as described above, verify
    //    that the fr calculated is equal to the first_hash supplied, that the sr calculated is
    //    equal to the second_hash supplied, and that sn is 0.
    return fr.equals(firstHash) && sr.equals(secondHash) && sn === 0n;
  } catch {
    return false;
  }
}

/**
 * The bytes RFC 6962 §3.5 signs for a tree head:
 *
 *   digitally-signed struct {
 *     Version version;                  // v1 = 0, 1 byte
 *     SignatureType signature_type;     // tree_hash = 1, 1 byte
 *     uint64 timestamp;                 // ms since the epoch, big-endian
 *     uint64 tree_size;                 // big-endian
 *     opaque sha256_root_hash[32];
 *   } TreeHeadSignature;
 *
 * 50 bytes in all. Throws on malformed input (it builds bytes; it does not judge).
 */
export function treeHeadSignatureInput(head: {
  treeSize: number;
  timestamp: number;
  rootHash: string;
}): Buffer {
  if (!isSize(head.treeSize)) throw new RangeError('treeSize must be a non-negative safe integer');
  if (!isSize(head.timestamp))
    throw new RangeError('timestamp must be a non-negative safe integer');
  const rootHash = parseHash(head.rootHash);
  if (rootHash === undefined) throw new TypeError('rootHash must be 64 lowercase hex characters');
  const bytes = Buffer.alloc(1 + 1 + 8 + 8 + 32);
  bytes.writeUInt8(0, 0); // version: v1
  bytes.writeUInt8(1, 1); // signature_type: tree_hash
  bytes.writeBigUInt64BE(BigInt(head.timestamp), 2);
  bytes.writeBigUInt64BE(BigInt(head.treeSize), 10);
  rootHash.copy(bytes, 18);
  return bytes;
}

/**
 * Verifies an Ed25519 signature (base64, 64 bytes) over the RFC 6962 §3.5 tree head bytes with the
 * given SPKI PEM public key. False for a key that is not Ed25519, a malformed signature or head.
 */
export function verifyTreeHeadSignature(
  head: { treeSize: number; timestamp: number; rootHash: string; signature: string },
  publicKeyPem: string,
): boolean {
  try {
    if (typeof head.signature !== 'string' || !BASE64_ED25519_SIGNATURE.test(head.signature)) {
      return false;
    }
    const signature = Buffer.from(head.signature, 'base64');
    if (signature.length !== 64) return false;
    const publicKey = createPublicKey(publicKeyPem);
    if (publicKey.type !== 'public' || publicKey.asymmetricKeyType !== 'ed25519') return false;
    return cryptoVerify(null, treeHeadSignatureInput(head), publicKey, signature);
  } catch {
    return false;
  }
}
