import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { AppConfig } from '../config/config';
import { PAGE_CACHE_KIB } from '../read-model/read-database';

export const LOG_FILE = 'transparency-log.db';

/**
 * The transparency log's own file, apart from the read model: `projections rebuild` empties the
 * read model, never the log, which is the record auditors hold the store to. Not held
 * exclusively: `audit verify` reads it while the server runs (a second server on the same DATA_DIR
 * is already stopped by the read model's lock). synchronous=NORMAL: a power cut may lose the last
 * leaves, never a part of one, and they are appended again from the checkpoint.
 */
export function openLogDatabase(
  config: Pick<AppConfig, 'eventStore' | 'dataDir'>,
  options: { readonly readonly?: boolean } = {},
): Database {
  const file = config.eventStore === 'memory' ? ':memory:' : fileIn(config.dataDir);
  const db = new BetterSqlite3(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
  });
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  }
  return db;
}

function fileIn(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  return join(dataDir, LOG_FILE);
}
