import { assertValidAppend, checkExpectedRevision, resolveRetry } from '../append-rules';
import { AppendSignal, CatchUpSubscription } from '../catch-up-subscription';
import {
  DuplicateEventId,
  EventStoreClosed,
  InvalidAppend,
  WrongExpectedRevision,
} from '../errors';
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
} from '../event-store';

/**
 * The in-process store for unit tests. Same contract as the others; events are copied through
 * JSON on the way in, so a caller mutating its objects afterwards cannot rewrite history.
 */
export class MemoryEventStore implements EventStore {
  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly byId = new Map<string, StoredEvent>();
  private readonly signal = new AppendSignal();
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private closed = false;

  constructor(private readonly clock: () => Date = () => new Date()) {}

  async append(
    stream: string,
    events: readonly NewEvent[],
    { expectedRevision }: AppendOptions,
  ): Promise<AppendResult> {
    if (this.closed) throw new EventStoreClosed();
    assertValidAppend(stream, events);
    const existing = this.streams.get(stream) ?? [];
    const placeOf = (id: string) => this.byId.get(id.toLowerCase());
    try {
      checkExpectedRevision(stream, expectedRevision, existing.at(-1)?.revision);
      const duplicate = events.find((event) => placeOf(event.id));
      if (duplicate) throw new DuplicateEventId(duplicate.id);
    } catch (error) {
      if (error instanceof WrongExpectedRevision || error instanceof DuplicateEventId) {
        return resolveRetry(
          stream,
          events.map((event) => event.id),
          expectedRevision,
          placeOf,
          error,
        );
      }
      throw error;
    }
    const copies = events.map((event) => jsonCopy(event));
    const recordedAt = this.clock().toISOString();
    const stored = copies.map((copy, i): StoredEvent => {
      return {
        ...copy,
        id: copy.id.toLowerCase(),
        stream,
        revision: BigInt(existing.length + i),
        position: BigInt(this.log.length + i + 1),
        recordedAt,
      };
    });
    for (const event of stored) {
      this.log.push(event);
      this.byId.set(event.id.toLowerCase(), event);
    }
    this.streams.set(stream, existing.concat(stored));
    this.signal.notify();
    const last = stored.at(-1) as StoredEvent;
    return { nextRevision: last.revision, position: last.position };
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<StoredEvent> {
    yield* readStreamWindow(this.streams.get(stream) ?? [], options);
  }

  async *readAll({ fromPosition = 0n, maxCount }: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    yield* this.readPage(fromPosition, maxCount ?? Number.POSITIVE_INFINITY);
  }

  subscribe({ fromPosition = 0n }: SubscribeOptions = {}): Subscription {
    const subscription = new CatchUpSubscription(
      (after, max) => this.readPage(after, max),
      this.signal,
      fromPosition,
      (closed) => this.subscriptions.delete(closed),
    );
    if (this.closed) subscription.close();
    else this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const subscription of [...this.subscriptions]) subscription.close();
  }

  /** Positions are 1..n, so the event after position p sits at index p. */
  private readPage(after: bigint, max: number): StoredEvent[] {
    const start = Number(after);
    return this.log.slice(start, start + max);
  }
}

/** The event as it would come back from storage; what JSON cannot carry is refused. */
function jsonCopy(event: NewEvent): NewEvent {
  try {
    return JSON.parse(JSON.stringify(event)) as NewEvent;
  } catch (error) {
    throw new InvalidAppend(`event is not JSON: ${(error as Error).message}`);
  }
}

/**
 * The slice of a stream (revision i at index i) that a readStream call asks for.
 */
function readStreamWindow(
  events: readonly StoredEvent[],
  { from, direction = 'forwards', maxCount }: ReadStreamOptions,
): StoredEvent[] {
  const count = maxCount ?? Number.POSITIVE_INFINITY;
  if (direction === 'forwards') {
    const start = Number(from ?? 0n);
    return events.slice(start, start + Math.min(count, events.length));
  }
  const end = Math.min(Number(from ?? BigInt(events.length - 1)), events.length - 1);
  const start = Math.max(0, end + 1 - Math.min(count, events.length));
  return events.slice(start, end + 1).reverse();
}
