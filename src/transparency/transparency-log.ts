import { refuse } from '@cunyi/domain';
import {
  consistencyProof,
  inclusionProof,
  rootHash,
  type SubtreeHashes,
} from '@cunyi/transparency';
import type { Database, Statement } from 'better-sqlite3';
import { badUserInput } from '../common/errors';
import { storedSubtree } from './log.projector';

export interface Leaf {
  readonly leafIndex: number;
  readonly eventId: string;
  readonly position: bigint;
  readonly hash: Buffer;
}

export interface InclusionProof {
  readonly leaf: Leaf;
  readonly treeSize: number;
  readonly rootHash: Buffer;
  readonly auditPath: readonly Buffer[];
}

export interface ConsistencyProof {
  readonly fromSize: number;
  readonly toSize: number;
  readonly fromRoot: Buffer;
  readonly toRoot: Buffer;
  readonly proof: readonly Buffer[];
}

interface LeafRow {
  leaf_index: number;
  event_id: string;
  position: string;
  hash: Buffer;
}

/**
 * Reads the persisted log: its size, roots, leaves and proofs. Proofs are for sizes the log has
 * reached; asking beyond it is a BAD_USER_INPUT, not a wait.
 */
export class TransparencyLog implements SubtreeHashes {
  private readonly sizeOf: Statement<[], { size: number }>;
  private readonly byIndex: Statement<[number], LeafRow>;
  private readonly byEventId: Statement<[string], LeafRow>;

  constructor(private readonly db: Database) {
    this.sizeOf = db.prepare('SELECT COALESCE(MAX(leaf_index) + 1, 0) AS size FROM log_leaves');
    this.byIndex = db.prepare('SELECT * FROM log_leaves WHERE leaf_index = ?');
    this.byEventId = db.prepare('SELECT * FROM log_leaves WHERE event_id = ?');
  }

  get size(): number {
    return (this.sizeOf.get() as { size: number }).size;
  }

  subtree(level: number, index: number): Buffer {
    const hash = storedSubtree(this.db, level, index);
    if (!hash) throw new Error(`the log lacks the subtree at level ${level}, index ${index}`);
    return hash;
  }

  root(size: number): Buffer {
    this.requireSize(size);
    return rootHash(this, size);
  }

  leafAt(leafIndex: number): Leaf | undefined {
    const row = this.byIndex.get(leafIndex);
    return row && leafOf(row);
  }

  leafOf(eventId: string): Leaf | undefined {
    const row = this.byEventId.get(eventId);
    return row && leafOf(row);
  }

  inclusion(leaf: Leaf, treeSize: number): InclusionProof {
    this.requireSize(treeSize);
    if (leaf.leafIndex >= treeSize) {
      throw badUserInput(
        'treeSize',
        `leaf ${leaf.leafIndex} joined the log after its first ${treeSize} leaves: ask for a larger tree`,
      );
    }
    return {
      leaf,
      treeSize,
      rootHash: rootHash(this, treeSize),
      auditPath: inclusionProof(this, leaf.leafIndex, treeSize),
    };
  }

  consistency(fromSize: number, toSize: number): ConsistencyProof {
    this.requireSize(toSize);
    if (fromSize < 1 || fromSize > toSize) {
      throw badUserInput(
        'fromSize',
        `fromSize must be from 1 to toSize (${toSize}); it is ${fromSize}`,
      );
    }
    return {
      fromSize,
      toSize,
      fromRoot: rootHash(this, fromSize),
      toRoot: rootHash(this, toSize),
      proof: consistencyProof(this, fromSize, toSize),
    };
  }

  /** The leaf of an event, or NOT_FOUND. */
  requireLeaf(by: { eventId?: string; leafIndex?: number }): Leaf {
    const leaf =
      by.eventId !== undefined ? this.leafOf(by.eventId) : this.leafAt(by.leafIndex ?? -1);
    if (!leaf) {
      refuse(
        'NOT_FOUND',
        by.eventId !== undefined
          ? `event ${by.eventId} is not in the log (yet)`
          : `the log has no leaf ${by.leafIndex}`,
      );
    }
    return leaf;
  }

  private requireSize(size: number): void {
    const current = this.size;
    if (!Number.isSafeInteger(size) || size < 0 || size > current) {
      throw badUserInput('treeSize', `the log has ${current} leaves; there is no tree of ${size}`);
    }
  }
}

function leafOf(row: LeafRow): Leaf {
  return {
    leafIndex: row.leaf_index,
    eventId: row.event_id,
    position: BigInt(row.position),
    hash: row.hash,
  };
}
