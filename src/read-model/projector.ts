import type { StoredEvent } from '@cunyi/event-store';
import type { Database } from 'better-sqlite3';

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
