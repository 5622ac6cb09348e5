import { join } from 'node:path';
import { EventStoreDbEventStore } from './adapters/eventstoredb.event-store';
import { MemoryEventStore } from './adapters/memory.event-store';
import { SqliteEventStore } from './adapters/sqlite/sqlite.event-store';
import type { EventStore } from './event-store';

export type EventStoreSettings =
  | { readonly kind: 'sqlite'; readonly dataDir: string }
  | { readonly kind: 'eventstoredb'; readonly connectionString: string }
  | { readonly kind: 'memory' };

/** The sqlite store's file inside the data directory. */
export const SQLITE_FILE_NAME = 'events.db';

/** Opens the adapter the settings name. */
export async function openEventStore(settings: EventStoreSettings): Promise<EventStore> {
  switch (settings.kind) {
    case 'sqlite':
      return SqliteEventStore.open(join(settings.dataDir, SQLITE_FILE_NAME));
    case 'eventstoredb':
      return new EventStoreDbEventStore(settings.connectionString);
    case 'memory':
      return new MemoryEventStore();
  }
}
