import { type SignedTreeHead, signTreeHead } from '@cunyi/transparency';
import type { Database, Statement } from 'better-sqlite3';
import type { Clock } from '../common/clock';
import type { SigningKey } from './signing-key';
import type { TransparencyLog } from './transparency-log';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS tree_heads (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    tree_size INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    root_hash BLOB NOT NULL,
    signature BLOB NOT NULL,
    key_id    BLOB NOT NULL
  );
  CREATE INDEX IF NOT EXISTS tree_heads_by_size ON tree_heads (tree_size, seq);
`;

interface HeadRow {
  tree_size: number;
  timestamp: number;
  root_hash: Buffer;
  signature: Buffer;
}

/**
 * The signed tree heads, every one kept: a head handed to a villager must be findable later, and
 * a consistency proof between any two of them must hold. Signed by the policy in
 * TransparencyModule (every N events, every T seconds) and on demand.
 */
export class TreeHeads {
  private readonly insert: Statement<[number, number, Buffer, Buffer, Buffer]>;
  private readonly last: Statement<[], HeadRow>;
  private readonly every: Statement<[], HeadRow>;
  private readonly bySize: Statement<[number], HeadRow>;
  private readonly firstCovering: Statement<[number], HeadRow>;

  constructor(
    db: Database,
    private readonly log: TransparencyLog,
    private readonly key: SigningKey,
    private readonly clock: Clock,
  ) {
    // `audit verify` reads a log it must not change.
    if (!db.readonly) db.exec(SCHEMA);
    this.insert = db.prepare(
      'INSERT INTO tree_heads (tree_size, timestamp, root_hash, signature, key_id) VALUES (?, ?, ?, ?, ?)',
    );
    this.last = db.prepare('SELECT * FROM tree_heads ORDER BY seq DESC LIMIT 1');
    this.every = db.prepare('SELECT * FROM tree_heads ORDER BY seq');
    this.bySize = db.prepare(
      'SELECT * FROM tree_heads WHERE tree_size = ? ORDER BY seq DESC LIMIT 1',
    );
    this.firstCovering = db.prepare(
      'SELECT * FROM tree_heads WHERE tree_size >= ? ORDER BY seq DESC LIMIT 1',
    );
  }

  /** Every head signed, oldest first. */
  all(): SignedTreeHead[] {
    return this.every.all().map((row) => headOf(row) as SignedTreeHead);
  }

  latest(): SignedTreeHead | undefined {
    return headOf(this.last.get());
  }

  /** The latest head signed at exactly this size. */
  atSize(treeSize: number): SignedTreeHead | undefined {
    return headOf(this.bySize.get(treeSize));
  }

  /**
   * Signs the log as it stands now — unless the latest head already has its size, which is then
   * the answer: heads are not multiplied by asking.
   */
  sign(): SignedTreeHead {
    const treeSize = this.log.size;
    const latest = this.latest();
    if (latest?.treeSize === treeSize) return latest;
    const head = signTreeHead(
      { treeSize, timestamp: this.clock.now().getTime(), rootHash: this.log.root(treeSize) },
      this.key.privateKey,
    );
    this.insert.run(head.treeSize, head.timestamp, head.rootHash, head.signature, this.key.keyId);
    return head;
  }

  /** A head over at least `treeSize` leaves: the latest such, or a new one. */
  covering(treeSize: number): SignedTreeHead {
    return headOf(this.firstCovering.get(treeSize)) ?? this.sign();
  }

  /** Leaves logged since the latest head. */
  get unsigned(): number {
    return this.log.size - (this.latest()?.treeSize ?? 0);
  }
}

function headOf(row: HeadRow | undefined): SignedTreeHead | undefined {
  if (!row) return undefined;
  return {
    treeSize: row.tree_size,
    timestamp: row.timestamp,
    rootHash: row.root_hash,
    signature: row.signature,
  };
}
