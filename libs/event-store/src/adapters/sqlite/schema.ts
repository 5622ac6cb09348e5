import Database from 'better-sqlite3';

/**
 * One table: the log. `position` is the rowid, so SQLite assigns max+1 — gapless, because a single
 * writer appends and rolled-back rows never take a number. (stream, revision) is unique: the
 * optimistic-concurrency guard. `id` is unique: the idempotency key.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position    INTEGER PRIMARY KEY,
    id          TEXT    NOT NULL UNIQUE,
    stream      TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    metadata    TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX IF NOT EXISTS events_stream_revision ON events (stream, revision);
`;

export interface Durability {
  readonly journalMode: string;
  readonly synchronous: number;
}

/** synchronous=FULL is 2. */
const FULL = 2;

/**
 * Opens a connection with the durability this store promises, set explicitly on every connection:
 * better-sqlite3's bundled SQLite otherwise runs WAL databases at synchronous=NORMAL, where power
 * loss can drop a commit that was already acknowledged.
 */
export function openConnection(file: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (error) {
    throw new Error(`cannot open ${file}: ${(error as Error).message}`);
  }
  // The wait first: switching to WAL needs a lock another connection may hold for a moment.
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const durability = durabilityOf(db);
  if (durability.journalMode !== 'wal' || durability.synchronous !== FULL) {
    db.close();
    throw new Error(
      `${file}: SQLite refused journal_mode=WAL, synchronous=FULL (got ${JSON.stringify(durability)})`,
    );
  }
  return db;
}

export function durabilityOf(db: Database.Database): Durability {
  return {
    journalMode: String(db.pragma('journal_mode', { simple: true })),
    synchronous: Number(db.pragma('synchronous', { simple: true })),
  };
}

export function createSchema(db: Database.Database): void {
  db.exec(SCHEMA);
}
