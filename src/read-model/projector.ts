import type { StoredEvent } from '@cunyi/event-store';
import type { Database, Statement } from 'better-sqlite3';

/**
 * Turns events into rows. apply() runs inside the runner's transaction, together with the
 * checkpoint, so each event is applied exactly once and apply() need not be idempotent. It must be
 * synchronous: the transaction commits when it returns.
 */
export interface Projector {
  readonly name: string;
  /** DDL for its tables: CREATE TABLE IF NOT EXISTS / CREATE INDEX IF NOT EXISTS. */
  readonly schema: string;
  /** Its tables, emptied by a rebuild. */
  readonly tables: readonly string[];
  apply(db: Database, event: StoredEvent): void;
}

const statements = new WeakMap<Database, Map<string, Statement>>();

/**
 * The statement for `sql` on `db`, compiled once: a projector applies each kind of event with
 * the same few statements, and compiling one costs more than running it.
 */
export function prepared(db: Database, sql: string): Statement {
  let known = statements.get(db);
  if (known === undefined) {
    known = new Map();
    statements.set(db, known);
  }
  let statement = known.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    known.set(sql, statement);
  }
  return statement;
}
