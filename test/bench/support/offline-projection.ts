/**
 * The read model and the transparency log built before the server starts, with the app's own
 * Projections.rebuild() (batches of 1,000 events per transaction, as `cli projections rebuild`
 * does for the read model): what an operator would do before starting a server on a big store,
 * instead of letting it catch up one event per transaction. Files and checkpoints are the ones
 * the server opens (read-model.db, transparency-log.db in DATA_DIR).
 */
import { join } from 'node:path';
import { SqliteEventStore } from '../../../libs/event-store/src/adapters/sqlite/sqlite.event-store';
import { PROJECTORS } from '../../../src/read-model/all-projectors';
import { Projections } from '../../../src/read-model/projections';
import { openReadDatabase } from '../../../src/read-model/read-database';
import { transparencyLogProjector } from '../../../src/transparency/log.projector';
import { openLogDatabase } from '../../../src/transparency/log-database';

export async function projectOffline(
  dataDir: string,
): Promise<{ readModelMs: number; transparencyLogMs: number }> {
  const store = await SqliteEventStore.open(join(dataDir, 'events.db'));
  try {
    let started = performance.now();
    const readDb = openReadDatabase({ dataDir });
    try {
      await new Projections(store, readDb, PROJECTORS).rebuild();
    } finally {
      readDb.close();
    }
    const readModelMs = performance.now() - started;
    started = performance.now();
    const logDb = openLogDatabase({ eventStore: 'sqlite', dataDir });
    try {
      await new Projections(store, logDb, [transparencyLogProjector], {
        name: transparencyLogProjector.name,
      }).rebuild();
    } finally {
      logDb.close();
    }
    return { readModelMs, transparencyLogMs: performance.now() - started };
  } finally {
    await store.close();
  }
}
