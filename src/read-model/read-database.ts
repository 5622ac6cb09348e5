import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';

export const READ_MODEL_FILE = 'read-model.db';

/** Positions are bigints; TEXT keeps every one exact, where a REAL or a JS number would not. */
const CHECKPOINT_TABLE = `
  CREATE TABLE IF NOT EXISTS checkpoint (
    name     TEXT PRIMARY KEY,
    position TEXT NOT NULL
  )
`;

/**
 * SQLite's page cache for the read model and the transparency log, in KiB each (SQLite's default
 * is 2 MiB). Their tables grow to hundreds of MB on an election day, and rows land all over their
 * B-trees (random event ids, many villages at once); with those pages in memory an insert is not
 * a read from disk first. Measured by test/bench/rebuild.bench.ts.
 */
export const PAGE_CACHE_KIB = 32 * 1024;

/**
 * Opens the read model. It is disposable — rebuilt from the event store at will — so it runs at
 * synchronous=NORMAL: a power cut may lose its last commits, but rows and checkpoint are lost
 * together, and the projections simply apply those events again.
 */
export function openReadDatabase(location: { dataDir: string } | 'memory'): Database {
  const db = open(location === 'memory' ? ':memory:' : fileIn(location.dataDir));
  // The wait first: switching to WAL needs a lock another connection may hold for a moment.
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  createCheckpointTable(db);
  return db;
}

export function createCheckpointTable(db: Database): void {
  db.exec(CHECKPOINT_TABLE);
}

function fileIn(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  return join(dataDir, READ_MODEL_FILE);
}

/** SQLite's own message does not say which file it could not open. */
function open(file: string): Database {
  try {
    return new BetterSqlite3(file);
  } catch (error) {
    throw new Error(`cannot open ${file}: ${(error as Error).message}`, { cause: error });
  }
}
