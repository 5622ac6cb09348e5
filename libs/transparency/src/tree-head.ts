import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { HASH_BYTES } from './merkle';

/** A tree head: the log's size and root at an instant. Signed, it is the log's word. */
export interface TreeHead {
  readonly treeSize: number;
  /** Milliseconds since the Unix epoch, as RFC 6962 writes it. */
  readonly timestamp: number;
  readonly rootHash: Buffer;
}

export interface SignedTreeHead extends TreeHead {
  /** Ed25519 over treeHeadSignatureInput(head). */
  readonly signature: Buffer;
}

/** RFC 6962 §3.5: Version v1(0), SignatureType tree_hash(1). */
const V1 = 0;
const TREE_HASH = 1;

/**
 * The bytes signed, exactly RFC 6962 §3.5's TreeHeadSignature: version (1 byte), signature type
 * (1 byte), timestamp (uint64, big-endian), tree_size (uint64), sha256_root_hash (32 bytes). Any
 * RFC 6962 tooling can check Cunyi's heads.
 */
export function treeHeadSignatureInput(head: TreeHead): Buffer {
  if (head.rootHash.length !== HASH_BYTES) throw new RangeError('a root hash is 32 bytes');
  const bytes = Buffer.alloc(2 + 8 + 8 + HASH_BYTES);
  bytes.writeUInt8(V1, 0);
  bytes.writeUInt8(TREE_HASH, 1);
  bytes.writeBigUInt64BE(BigInt(head.timestamp), 2);
  bytes.writeBigUInt64BE(BigInt(head.treeSize), 10);
  head.rootHash.copy(bytes, 18);
  return bytes;
}

export function signTreeHead(head: TreeHead, privateKey: KeyObject): SignedTreeHead {
  return { ...head, signature: sign(null, treeHeadSignatureInput(head), privateKey) };
}

/** Never throws: a head that cannot be checked is not a signed head. */
export function verifyTreeHead(head: SignedTreeHead, publicKey: KeyObject | string): boolean {
  try {
    return verify(null, treeHeadSignatureInput(head), publicKey, head.signature);
  } catch {
    return false;
  }
}

/** RFC 6962 §3.2's LogID: SHA-256 of the public key's DER SubjectPublicKeyInfo. */
export function keyIdOf(publicKey: KeyObject | string): Buffer {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest();
}
