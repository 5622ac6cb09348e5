export { EventStoreDbEventStore } from './adapters/eventstoredb.event-store';
export { MemoryEventStore } from './adapters/memory.event-store';
export { SqliteEventStore } from './adapters/sqlite/sqlite.event-store';
export * from './errors';
export * from './event-store';
export { type EventStoreSettings, openEventStore, SQLITE_FILE_NAME } from './open-event-store';
