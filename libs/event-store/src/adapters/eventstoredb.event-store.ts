import {
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  ANY,
  type AppendExpectedRevision,
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  MaxAppendSizeExceededError,
  NO_STREAM,
  NotLeaderError,
  type ReadPosition,
  type RecordedEvent,
  START,
  STREAM_EXISTS,
  type StreamingRead,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { assertValidAppend } from '../append-rules';
import { EventStoreClosed, InvalidAppend, StorageFailure, WrongExpectedRevision } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
} from '../event-store';

/**
 * The EventStoreDB adapter. Everything specific to @eventstore/db-client lives in this file, so
 * moving to @kurrent/kurrentdb-client means rewriting this file only.
 *
 * Positions: our single bigint is the event's commit position. Every event appended over gRPC is
 * an implicit transaction whose $all position has commit === prepare === the event's own log
 * position (EventStore AllReader: `new CommitEventRecord(eventRecord, eventRecord.LogPosition)`),
 * so one number names one event, and {commit: p, prepare: p} names it back. Emmett's EventStoreDB
 * adapter makes the same choice (globalPosition = position.commit, resumes from {p, p}). An
 * append answers the log position of its last event (the server acknowledges at the transaction's
 * last prepare), an idempotent retry that same event's. Only legacy TCP explicit transactions
 * share a commit position between events; we never write those.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly appending = new Set<Promise<AppendResult>>();
  private readonly subscriptions = new Set<EventStoreDbSubscription>();
  private closed = false;

  /** Parses the connection string; nothing connects until the first call. */
  constructor(connectionString: string) {
    this.client = EventStoreDBClient.connectionString(connectionString);
  }

  async append(
    stream: string,
    events: readonly NewEvent[],
    { expectedRevision }: AppendOptions,
  ): Promise<AppendResult> {
    if (this.closed) throw new EventStoreClosed();
    assertValidAppend(stream, events);
    try {
      // The client serialises inside its call; a value JSON cannot carry is refused here first.
      JSON.stringify(events);
    } catch (error) {
      throw new InvalidAppend(`event is not JSON: ${(error as Error).message}`);
    }
    const appending = this.write(stream, events, expectedRevision);
    this.appending.add(appending);
    try {
      return await appending;
    } finally {
      this.appending.delete(appending);
    }
  }

  async *readStream(
    stream: string,
    { from, direction = 'forwards', maxCount }: ReadStreamOptions = {},
  ): AsyncIterable<StoredEvent> {
    const read = this.client.readStream(stream, {
      fromRevision: from ?? (direction === 'backwards' ? END : START),
      direction: direction === 'backwards' ? BACKWARDS : FORWARDS,
      maxCount,
    });
    try {
      for await (const { event } of cancelIfLeftEarly(read)) {
        if (event) yield toStoredEvent(event);
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
  }

  async *readAll({ fromPosition = 0n, maxCount }: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    let left = maxCount ?? Number.POSITIVE_INFINITY;
    if (left <= 0) return;
    // maxCount counts our events, so it cannot go to the server, which would count system events too.
    const read = this.client.readAll({ fromPosition: toReadPosition(fromPosition) });
    for await (const { event } of cancelIfLeftEarly(read)) {
      // Reading $all from a position includes the event at it; our checkpoint is exclusive.
      if (!event || !isOurs(event) || event.position.commit <= fromPosition) continue;
      yield toStoredEvent(event);
      if (--left === 0) return;
    }
  }

  subscribe({ fromPosition = 0n }: SubscribeOptions = {}): Subscription {
    // Subscribing from a position already excludes the event at it (the server skips it).
    const subscription = new EventStoreDbSubscription(
      () =>
        this.client.subscribeToAll({
          fromPosition: toReadPosition(fromPosition),
          filter: excludeSystemEvents(),
        }),
      (closed) => this.subscriptions.delete(closed),
    );
    if (this.closed) subscription.close();
    else this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const subscription of [...this.subscriptions]) subscription.close();
    // dispose() cancels every open call, appends included: let those in flight finish first.
    await Promise.allSettled(this.appending);
    await this.client.dispose();
  }

  /**
   * An append whose outcome the client could not learn (a timeout, the connection lost) or that a
   * node refused unexecuted (not the leader; the client reconnects to the one it names) is sent
   * again, same ids, same expected revision. The server recognises the ids and answers the first
   * result instead of storing them twice (IndexWriter.CheckCommit); for 'any' and
   * 'stream_exists' it recognises them from a cache of recently committed ids, which a prompt
   * retry stays within. Past the last attempt the outcome stays unknown: StorageFailure.
   */
  private async write(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.writeOnce(stream, events, expected);
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) {
          throw new WrongExpectedRevision(stream, expected, error.actualVersion);
        }
        if (error instanceof MaxAppendSizeExceededError) {
          throw new InvalidAppend(
            `the append is larger than the server accepts (${error.maxAppendSize} bytes)`,
          );
        }
        if (!isWorthRetrying(error)) throw error;
        if (attempt === APPEND_ATTEMPTS) {
          throw Object.assign(
            new StorageFailure(
              `EventStoreDB did not confirm the append to ${stream} in ${attempt} attempts; it may or may not be stored: ${(error as Error).message}`,
            ),
            { cause: error },
          );
        }
        await new Promise((resolve) => setTimeout(resolve, FIRST_RETRY_MS * 2 ** (attempt - 1)));
      }
    }
  }

  private async writeOnce(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    // The ids go to the server as given: they are what makes a retried append idempotent there.
    const result = await this.client.appendToStream(
      stream,
      events.map(({ id, type, data, metadata }) =>
        jsonEvent({ id, type, data: data as Record<string, unknown>, metadata }),
      ),
      { expectedRevision: toAppendExpectedRevision(expected) },
    );
    return {
      nextRevision: result.nextExpectedRevision,
      position:
        result.position?.commit ?? (await this.positionAt(stream, result.nextExpectedRevision)),
    };
  }

  /** The client types the append's position as optional: the server sends none if it can't find it. */
  private async positionAt(stream: string, revision: bigint): Promise<bigint> {
    for await (const event of this.readStream(stream, { from: revision, maxCount: 1 })) {
      return event.position;
    }
    throw new Error(`stream ${stream} has no revision ${revision} right after appending it`);
  }
}

/** One append is tried this many times, waiting 100, 200, 400 ms in between. */
const APPEND_ATTEMPTS = 4;
const FIRST_RETRY_MS = 100;

/**
 * The client's errors after which an append is sent again: its outcome is unknown (the server's
 * write timed out: DeadlineExceeded over BatchAppend, Timeout over Append; the call's deadline
 * passed; the connection failed or the server cancelled the call), or the node did not execute
 * it (NotLeader). Cancelled on our side (dispose) is UnknownError, and is not retried.
 */
function isWorthRetrying(error: unknown): boolean {
  return (
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof UnavailableError ||
    error instanceof CancelledError ||
    error instanceof NotLeaderError
  );
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * The client's catch-up subscription behind our Subscription, consumed by async iteration only.
 * It opens on the first next(), so a subscription closed before use never touches the network.
 */
class EventStoreDbSubscription implements Subscription {
  private source: AllStreamSubscription | undefined;
  private events: AsyncIterator<AllStreamResolvedEvent> | undefined;
  private closed = false;
  private wake = () => {};
  // A pending next() waits on the server; close() must not, so next() races this against it.
  private readonly closing = new Promise<IteratorReturnResult<undefined>>((resolve) => {
    this.wake = () => resolve(DONE);
  });

  constructor(
    private readonly open: () => AllStreamSubscription,
    private readonly onClose: (subscription: EventStoreDbSubscription) => void,
  ) {}

  async next(): Promise<IteratorResult<StoredEvent>> {
    while (!this.closed) {
      if (!this.events) {
        this.source = this.open();
        this.events = this.source[Symbol.asyncIterator]();
      }
      let result: IteratorResult<AllStreamResolvedEvent>;
      try {
        result = await Promise.race([this.events.next(), this.closing]);
      } catch (error) {
        this.close();
        throw error;
      }
      if (result.done) break;
      // The server filter drops $-types; projections also write plain types into $-streams.
      const { event } = result.value;
      if (event && isOurs(event)) return { done: false, value: toStoredEvent(event) };
    }
    this.close();
    return DONE;
  }

  async return(): Promise<IteratorResult<StoredEvent>> {
    this.close();
    return DONE;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.wake();
    this.onClose(this);
    const source = this.source;
    if (!source) return;
    source.destroy();
    // Rejects only if the call never opened, and then there is nothing left to cancel.
    source.unsubscribe().catch(() => {});
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** Iterates a client read, cancelling its gRPC call if the caller stops before the end. */
async function* cancelIfLeftEarly<E>(read: StreamingRead<E>): AsyncGenerator<E> {
  try {
    yield* read;
  } finally {
    if (!read.readableEnded) await read.cancel();
  }
}

/** $all also carries the server's own events: system types, and projection output in $-streams. */
function isOurs(event: RecordedEvent): boolean {
  return !event.type.startsWith('$') && !event.streamId.startsWith('$');
}

function toReadPosition(checkpoint: bigint): ReadPosition {
  return checkpoint === 0n ? START : { commit: checkpoint, prepare: checkpoint };
}

function toAppendExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  if (expected === 'any') return ANY;
  return expected;
}

function toStoredEvent(event: RecordedEvent): StoredEvent {
  if (!event.position) {
    throw new Error(`EventStoreDB sent event ${event.id} without its position (server < 22.6?)`);
  }
  return {
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata as EventMetadata,
    stream: event.streamId,
    revision: event.revision,
    position: event.position.commit,
    recordedAt: event.created.toISOString(),
  };
}
