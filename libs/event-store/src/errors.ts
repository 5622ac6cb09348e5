import type { ExpectedRevision } from './event-store';

/** Every store error has a stable code; the API maps codes, never messages. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

/** The stream was not as the append expected. `actual` is its last revision, or 'no_stream'. */
export class WrongExpectedRevision extends EventStoreError {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`stream ${stream}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevision';
  }
}

/** An event id already stored, and not as a retry of this very append. */
export class DuplicateEventId extends EventStoreError {
  readonly code = 'DUPLICATE_EVENT_ID';
  constructor(readonly eventId: string) {
    super(`event id ${eventId} is already stored elsewhere`);
    this.name = 'DuplicateEventId';
  }
}

/** The append itself is malformed (no events, a bad id, data that is not a JSON object…). */
export class InvalidAppend extends EventStoreError {
  readonly code = 'INVALID_APPEND';
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidAppend';
  }
}

/** The store was closed (shutting down); nothing was stored. */
export class EventStoreClosed extends EventStoreError {
  readonly code = 'EVENT_STORE_CLOSED';
  constructor() {
    super('the event store is closed');
    this.name = 'EventStoreClosed';
  }
}

/** The storage itself failed (disk full, I/O error, the writer died). The append may not be stored. */
export class StorageFailure extends EventStoreError {
  readonly code = 'STORAGE_FAILURE';
  constructor(message: string) {
    super(message);
    this.name = 'StorageFailure';
  }
}
