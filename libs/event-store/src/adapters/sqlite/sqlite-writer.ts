/**
 * The writer thread: the only connection that writes. Group commit: appends that arrive while a
 * commit is in progress wait in the port, and all of them go into the next transaction, one fsync
 * for the lot. Each append runs in its own savepoint, so one that conflicts is rolled back alone
 * and its batch-mates commit. Acknowledgements are posted only after COMMIT returns.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { checkExpectedRevision, resolveRetry, type StoredPlace } from '../../append-rules';
import { DuplicateEventId, WrongExpectedRevision } from '../../errors';
import type { AppendResult } from '../../event-store';
import { createSchema, openConnection } from './schema';
import type { AppendOutcome, AppendRequest, FromWriter, ToWriter } from './writer-protocol';

const port = parentPort;
if (!port) throw new Error('sqlite-writer runs as a worker thread');
const post = (message: FromWriter) => port.postMessage(message);

let db: Database.Database;
try {
  db = openConnection((workerData as { file: string }).file);
  db.defaultSafeIntegers(true);
  createSchema(db);
} catch (error) {
  post({ kind: 'open-failed', message: (error as Error).message });
  process.exit(1);
}

const lastRevision = db
  .prepare<[string], bigint | null>('SELECT max(revision) FROM events WHERE stream = ?')
  .pluck();
const placeById = db.prepare<[string], StoredPlace>(
  'SELECT stream, revision, position FROM events WHERE id = ?',
);
const insert = db.prepare(
  'INSERT INTO events (id, stream, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
);
const placeOf = (id: string) => placeById.get(id);

function isUniqueIdViolation(error: unknown): boolean {
  return (
    (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    /events\.id/.test((error as Error).message)
  );
}

function appendOne(request: AppendRequest, recordedAt: string): AppendResult {
  const { stream, expectedRevision, events } = request;
  const current = lastRevision.get(stream) ?? undefined;
  checkExpectedRevision(stream, expectedRevision, current);
  let revision = current === undefined ? 0n : current + 1n;
  let position = 0n;
  for (const event of events) {
    try {
      const row = insert.run(
        event.id,
        stream,
        revision,
        event.type,
        event.data,
        event.metadata,
        recordedAt,
      );
      position = BigInt(row.lastInsertRowid);
    } catch (error) {
      if (isUniqueIdViolation(error)) throw new DuplicateEventId(event.id);
      throw error;
    }
    revision += 1n;
  }
  return { nextRevision: revision - 1n, position };
}

/**
 * A failing statement stores nothing, so a one-event append needs no savepoint of its own;
 * a longer one runs in a savepoint, so that throwing rolls back this append only.
 */
const appendInSavepoint = db.transaction(appendOne);
const appendAlone = (request: AppendRequest, recordedAt: string) =>
  request.events.length === 1
    ? appendOne(request, recordedAt)
    : appendInSavepoint(request, recordedAt);

function outcomeOf(request: AppendRequest, recordedAt: string): AppendOutcome {
  const { requestId, stream, expectedRevision, events } = request;
  try {
    return { requestId, ...appendAlone(request, recordedAt) };
  } catch (error) {
    if (error instanceof WrongExpectedRevision || error instanceof DuplicateEventId) {
      try {
        return {
          requestId,
          ...resolveRetry(
            stream,
            events.map((e) => e.id),
            expectedRevision,
            placeOf,
            error,
          ),
        };
      } catch (refusal) {
        // Anything but a refusal (an I/O error while looking the ids up) fails the whole batch.
        if (!(refusal instanceof WrongExpectedRevision || refusal instanceof DuplicateEventId)) {
          throw refusal;
        }
        const e = refusal;
        return {
          requestId,
          failure: {
            code: e.code,
            message: e.message,
            stream,
            expected: expectedRevision,
            actual: e instanceof WrongExpectedRevision ? e.actual : undefined,
            eventId: e instanceof DuplicateEventId ? e.eventId : undefined,
          },
        };
      }
    }
    throw error;
  }
}

const commitBatch = db.transaction((batch: readonly AppendRequest[], recordedAt: string) =>
  batch.map((request) => outcomeOf(request, recordedAt)),
);

let queue: AppendRequest[] = [];
let scheduled = false;

function flush(): void {
  scheduled = false;
  const batch = queue;
  queue = [];
  if (batch.length === 0) return;
  let outcomes: readonly AppendOutcome[];
  try {
    outcomes = commitBatch(batch, new Date().toISOString());
  } catch (error) {
    const message = `sqlite commit failed: ${(error as Error).message}`;
    outcomes = batch.map(({ requestId, stream, expectedRevision }) => ({
      requestId,
      failure: { code: 'STORAGE_FAILURE', message, stream, expected: expectedRevision },
    }));
  }
  post({ kind: 'committed', outcomes });
}

port.on('message', (message: ToWriter) => {
  if (message.kind === 'append') {
    queue.push(...message.requests);
    if (!scheduled) {
      scheduled = true;
      // Messages that arrived during the last commit are delivered before the check phase,
      // so by the time this runs they are all in the queue: that is the group.
      setImmediate(flush);
    }
    return;
  }
  flush();
  db.close();
  post({ kind: 'closed' });
  port.close();
});

post({ kind: 'ready' });
