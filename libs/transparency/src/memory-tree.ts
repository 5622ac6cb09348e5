import { leafHash, nodeHash, rootHash, type SubtreeHashes } from './merkle';

/**
 * A Merkle tree held in memory, built leaf by leaf: each append stores the leaf's hash and every
 * complete subtree it completes (at most log2 n of them). What `audit verify` rebuilds from the
 * store to hold the persisted log against, and what tests build trees with.
 */
export class MemoryTree implements SubtreeHashes {
  /** levels[l][i]: the hash of leaves i × 2^l … (i + 1) × 2^l − 1. */
  private readonly levels: Buffer[][] = [[]];

  get size(): number {
    return this.levels[0]?.length ?? 0;
  }

  /** Appends the leaf (its bytes) and returns its index. */
  append(leaf: Uint8Array): number {
    return this.appendHash(leafHash(leaf));
  }

  /** Appends a leaf by its hash and returns its index. */
  appendHash(hash: Buffer): number {
    const index = this.size;
    let level = 0;
    let node = hash;
    let position = index;
    for (;;) {
      const row = this.levels[level] ?? [];
      this.levels[level] = row;
      row[position] = node;
      if (position % 2 === 0) break;
      node = nodeHash(row[position - 1] as Buffer, node);
      position = (position - 1) / 2;
      level += 1;
    }
    return index;
  }

  subtree(level: number, index: number): Buffer {
    const hash = this.levels[level]?.[index];
    if (hash === undefined) {
      throw new RangeError(`no complete subtree at level ${level}, index ${index}`);
    }
    return hash;
  }

  root(size = this.size): Buffer {
    if (size > this.size) throw new RangeError(`the tree has ${this.size} leaves, not ${size}`);
    return rootHash(this, size);
  }
}
