import type { AppConfig } from '../config/config';
import { PROJECTORS } from '../read-model/all-projectors';
import { Projections } from '../read-model/projections';
import { READ_MODEL_FILE } from '../read-model/read-database';
import { claimSharedReadDatabase, openStore } from './context';
import { CliError, type Io } from './io';

/**
 * The read model is disposable: every projector's tables are emptied and the whole store replayed
 * into them. Offline only: the read database is held for this process while it runs, and a server
 * that has it open makes the command refuse rather than rebuild under it.
 */
export async function rebuildProjections(config: AppConfig, io: Io): Promise<void> {
  if (config.eventStore === 'memory') {
    throw new CliError(
      'EVENT_STORE=memory: a memory store lives and dies with its process, so there is nothing to rebuild from',
    );
  }
  const db = claimSharedReadDatabase(config);
  if (db === undefined) {
    throw new CliError(
      `the read model (${READ_MODEL_FILE} in DATA_DIR ${config.dataDir}) is open in another process: stop the server, then rebuild`,
    );
  }
  let applied: number;
  try {
    const { store, close } = await openStore(config);
    try {
      applied = await new Projections(store, db, PROJECTORS).rebuild();
    } finally {
      await close();
    }
  } finally {
    db.close();
  }
  io.stdout.write(`rebuilt the read model from ${applied} events\n`);
}
