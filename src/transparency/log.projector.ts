import type { StoredEvent } from '@cunyi/event-store';
import { canonicalEventBytes, leafHash, nodeHash } from '@cunyi/transparency';
import type { Database, Statement } from 'better-sqlite3';
import type { Projector } from '../read-model/projector';

/**
 * The transparency log (RFC 6962): one leaf per event in the store's global order, and the hash of
 * every complete subtree, so that roots and proofs for any size are read, not recomputed.
 * `log_subtrees` holds levels 1 and up; level 0 is `log_leaves.hash`.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS log_leaves (
    leaf_index INTEGER PRIMARY KEY,
    event_id   TEXT NOT NULL UNIQUE,
    position   TEXT NOT NULL,
    hash       BLOB NOT NULL
  );
  CREATE TABLE IF NOT EXISTS log_subtrees (
    level INTEGER NOT NULL,
    idx   INTEGER NOT NULL,
    hash  BLOB NOT NULL,
    PRIMARY KEY (level, idx)
  ) WITHOUT ROWID;
`;

interface Statements {
  readonly size: Statement<[], { size: number }>;
  readonly insertLeaf: Statement<[number, string, string, Buffer]>;
  readonly leaf: Statement<[number], { hash: Buffer }>;
  readonly insertSubtree: Statement<[number, number, Buffer]>;
  readonly subtree: Statement<[number, number], { hash: Buffer }>;
}

/** Prepared once per database: the projector itself holds no state. */
const prepared = new WeakMap<Database, Statements>();

function statementsOf(db: Database): Statements {
  let statements = prepared.get(db);
  if (!statements) {
    statements = {
      size: db.prepare('SELECT COALESCE(MAX(leaf_index) + 1, 0) AS size FROM log_leaves'),
      insertLeaf: db.prepare(
        'INSERT INTO log_leaves (leaf_index, event_id, position, hash) VALUES (?, ?, ?, ?)',
      ),
      leaf: db.prepare('SELECT hash FROM log_leaves WHERE leaf_index = ?'),
      insertSubtree: db.prepare('INSERT INTO log_subtrees (level, idx, hash) VALUES (?, ?, ?)'),
      subtree: db.prepare('SELECT hash FROM log_subtrees WHERE level = ? AND idx = ?'),
    };
    prepared.set(db, statements);
  }
  return statements;
}

/** The hash of the complete subtree at (level, index), as stored. */
export function storedSubtree(db: Database, level: number, index: number): Buffer | undefined {
  const statements = statementsOf(db);
  const row = level === 0 ? statements.leaf.get(index) : statements.subtree.get(level, index);
  return row?.hash;
}

export const transparencyLogProjector: Projector = {
  name: 'transparency-log',
  schema: SCHEMA,
  tables: ['log_subtrees', 'log_leaves'],
  apply(db, event: StoredEvent) {
    const statements = statementsOf(db);
    const index = (statements.size.get() as { size: number }).size;
    const hash = leafHash(canonicalEventBytes(event));
    statements.insertLeaf.run(index, event.id, event.position.toString(), hash);
    // Each right child completes its parent: climb while this node is one.
    let node = hash;
    let position = index;
    let level = 0;
    while (position % 2 === 1) {
      const left = storedSubtree(db, level, position - 1);
      if (!left)
        throw new Error(`the log lacks the subtree at level ${level}, index ${position - 1}`);
      node = nodeHash(left, node);
      position = (position - 1) / 2;
      level += 1;
      statements.insertSubtree.run(level, position, node);
    }
  },
};
