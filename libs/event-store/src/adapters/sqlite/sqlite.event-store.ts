import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { assertValidAppend } from '../../append-rules';
import { AppendSignal, CatchUpSubscription } from '../../catch-up-subscription';
import {
  DuplicateEventId,
  EventStoreClosed,
  InvalidAppend,
  StorageFailure,
  WrongExpectedRevision,
} from '../../errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
} from '../../event-store';
import { type Durability, durabilityOf, openConnection } from './schema';
import type {
  AppendFailure,
  AppendOutcome,
  AppendRequest,
  FromWriter,
  ToWriter,
} from './writer-protocol';

interface Row {
  position: bigint;
  id: string;
  stream: string;
  revision: bigint;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

const COLUMNS = 'position, id, stream, revision, type, data, metadata, recorded_at';
const PAGE_SIZE = 512;

interface Pending {
  resolve(result: AppendResult): void;
  reject(error: Error): void;
}

/**
 * The embedded store: one SQLite file. Appends go to a writer thread that group-commits them
 * (sqlite-writer.ts), so the event loop keeps serving while a commit waits for its fsync. Reads run
 * here, on a second connection: WAL lets them proceed while the writer commits.
 */
export class SqliteEventStore implements EventStore {
  private readonly pending = new Map<number, Pending>();
  private readonly signal = new AppendSignal();
  private readonly subscriptions = new Set<CatchUpSubscription>();
  /** Appends made before the microtask queue drains, posted to the writer as one message. */
  private outbox: AppendRequest[] = [];
  private nextRequestId = 1;
  private closing: Promise<void> | undefined;
  private writerGone: Error | undefined;
  private readonly streamForwards: Database.Statement<[string, bigint, number], Row>;
  private readonly streamBackwards: Database.Statement<[string, bigint, number], Row>;
  private readonly allAfter: Database.Statement<[bigint, number], Row>;

  private constructor(
    private readonly reader: Database.Database,
    private readonly writer: Worker,
  ) {
    const select = `SELECT ${COLUMNS} FROM events`;
    this.streamForwards = reader.prepare(
      `${select} WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`,
    );
    this.streamBackwards = reader.prepare(
      `${select} WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
    );
    this.allAfter = reader.prepare(`${select} WHERE position > ? ORDER BY position LIMIT ?`);
    writer.on('message', (message: FromWriter) => {
      if (message.kind === 'committed') this.acknowledge(message.outcomes);
    });
    writer.on('exit', (code) => this.failAll(new StorageFailure(`sqlite writer exited (${code})`)));
    writer.on('error', (error) => this.failAll(new StorageFailure(error.message)));
  }

  /** Opens (creating if need be) the store in `file`; resolves once the writer is ready. */
  static async open(file: string): Promise<SqliteEventStore> {
    mkdirSync(dirname(file), { recursive: true });
    const writer = startWriter(file);
    // The writer's first word is 'ready' or 'open-failed'; `once` rejects if it throws instead.
    const [first] = (await once(writer, 'message')) as [FromWriter];
    if (first.kind !== 'ready') {
      await writer.terminate();
      throw new StorageFailure(
        first.kind === 'open-failed' ? first.message : 'sqlite writer did not start',
      );
    }
    try {
      const reader = openConnection(file);
      reader.pragma('query_only = ON');
      reader.defaultSafeIntegers(true);
      return new SqliteEventStore(reader, writer);
    } catch (error) {
      await writer.terminate();
      throw error;
    }
  }

  /** The journal mode and synchronous level in force on the reading connection. */
  durability(): Durability {
    return durabilityOf(this.reader);
  }

  append(
    stream: string,
    events: readonly NewEvent[],
    { expectedRevision }: AppendOptions,
  ): Promise<AppendResult> {
    if (this.closing) return Promise.reject(new EventStoreClosed());
    if (this.writerGone) return Promise.reject(this.writerGone);
    let request: AppendRequest;
    try {
      assertValidAppend(stream, events);
      request = {
        requestId: this.nextRequestId++,
        stream,
        expectedRevision,
        events: events.map((event) => ({
          id: event.id.toLowerCase(),
          type: event.type,
          data: JSON.stringify(event.data),
          metadata: JSON.stringify(event.metadata),
        })),
      };
    } catch (error) {
      // Data JSON cannot carry (a bigint, a cycle) is refused like any malformed append.
      return Promise.reject(
        error instanceof TypeError
          ? new InvalidAppend(`event is not JSON: ${error.message}`)
          : error,
      );
    }
    const { requestId } = request;
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.outbox.push(request);
      if (this.outbox.length === 1) queueMicrotask(this.sendOutbox);
    });
  }

  async *readStream(
    stream: string,
    { from, direction = 'forwards', maxCount = Number.POSITIVE_INFINITY }: ReadStreamOptions = {},
  ): AsyncIterable<StoredEvent> {
    const forwards = direction === 'forwards';
    const query = forwards ? this.streamForwards : this.streamBackwards;
    let next = from ?? (forwards ? 0n : BigInt(Number.MAX_SAFE_INTEGER));
    let left = maxCount;
    while (left > 0) {
      const rows = query.all(stream, next, Math.min(left, PAGE_SIZE));
      for (const row of rows) yield toStoredEvent(row);
      if (rows.length < PAGE_SIZE) return;
      left -= rows.length;
      next = (rows.at(-1) as Row).revision + (forwards ? 1n : -1n);
    }
  }

  async *readAll({
    fromPosition = 0n,
    maxCount = Number.POSITIVE_INFINITY,
  }: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    let after = fromPosition;
    let left = maxCount;
    while (left > 0) {
      const page = this.readPage(after, Math.min(left, PAGE_SIZE));
      yield* page;
      if (page.length < PAGE_SIZE) return;
      left -= page.length;
      after = (page.at(-1) as StoredEvent).position;
    }
  }

  subscribe({ fromPosition = 0n }: SubscribeOptions = {}): Subscription {
    const subscription = new CatchUpSubscription(
      (after, max) => this.readPage(after, max),
      this.signal,
      fromPosition,
      (closed) => this.subscriptions.delete(closed),
    );
    if (this.closing) subscription.close();
    else this.subscriptions.add(subscription);
    return subscription;
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    for (const subscription of [...this.subscriptions]) subscription.close();
    if (!this.writerGone) {
      // The writer commits every append posted before 'close' ahead of it.
      if (this.outbox.length > 0) this.sendOutbox();
      await new Promise<void>((resolve) => {
        this.writer.on('message', (message: FromWriter) => {
          if (message.kind === 'closed') resolve();
        });
        this.writer.once('exit', () => resolve());
        this.writer.postMessage({ kind: 'close' } satisfies ToWriter);
      });
    }
    await this.writer.terminate();
    this.reader.close();
  }

  private readonly sendOutbox = () => {
    const requests = this.outbox;
    this.outbox = [];
    this.writer.postMessage({ kind: 'append', requests } satisfies ToWriter);
  };

  private readPage(after: bigint, max: number): StoredEvent[] {
    return this.allAfter.all(after, max).map(toStoredEvent);
  }

  private acknowledge(outcomes: readonly AppendOutcome[]): void {
    for (const outcome of outcomes) {
      const waiter = this.pending.get(outcome.requestId);
      this.pending.delete(outcome.requestId);
      if (!waiter) continue;
      if ('failure' in outcome) waiter.reject(toError(outcome.failure));
      else waiter.resolve({ nextRevision: outcome.nextRevision, position: outcome.position });
    }
    this.signal.notify();
  }

  private failAll(error: StorageFailure): void {
    this.writerGone ??= error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

/**
 * The writer is TypeScript in development and tests (loaded through tsx, which also honours the
 * tsconfig) and JavaScript once built; it sits next to this file either way.
 */
function startWriter(file: string): Worker {
  const extension = extname(__filename);
  return new Worker(join(__dirname, `sqlite-writer${extension}`), {
    workerData: { file },
    execArgv: extension === '.ts' ? ['--require', 'tsx/cjs'] : [],
  });
}

function toStoredEvent(row: Row): StoredEvent {
  return {
    id: row.id,
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    stream: row.stream,
    revision: row.revision,
    position: row.position,
    recordedAt: row.recorded_at,
  };
}

function toError(failure: AppendFailure): Error {
  switch (failure.code) {
    case 'WRONG_EXPECTED_REVISION':
      return new WrongExpectedRevision(
        failure.stream,
        failure.expected,
        failure.actual ?? 'no_stream',
      );
    case 'DUPLICATE_EVENT_ID':
      return new DuplicateEventId(failure.eventId ?? '');
    default:
      return new StorageFailure(failure.message);
  }
}
