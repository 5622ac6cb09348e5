/**
 * The event store port. Every adapter (sqlite, eventstoredb, memory) implements exactly this and
 * passes the shared contract suite (event-store.contract.ts).
 *
 * Revisions count a stream's events from 0n, as EventStoreDB does. Positions order all events of
 * the store; a position is a checkpoint: reading or subscribing "from" a position yields the events
 * strictly after it, so the position of the last event handled is what a consumer saves.
 * 0n (the default) is "before the first event".
 */

export interface Actor {
  readonly subject: string;
  readonly role: string;
  readonly village?: string;
}

/** Metadata every event carries. Adapters store it as JSON; extra keys are kept. */
export interface EventMetadata {
  readonly actor?: Actor;
  readonly correlationId: string;
  readonly causationId?: string;
  /** ISO-8601, when the fact happened in the world (passed in; the store never invents it). */
  readonly occurredAt: string;
  readonly [key: string]: unknown;
}

/** An event to append. `id` is a UUID and the idempotency key of the append. `data` is a JSON object. */
export interface NewEvent<Data = unknown> {
  readonly id: string;
  readonly type: string;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

export interface StoredEvent<Data = unknown> extends NewEvent<Data> {
  readonly stream: string;
  readonly revision: bigint;
  readonly position: bigint;
  /** ISO-8601, when the store committed it. */
  readonly recordedAt: string;
}

/**
 * What the stream must look like for the append to go ahead:
 * 'no_stream' it has no events; 'stream_exists' it has some; 'any' no check;
 * a bigint: its last event has exactly this revision.
 */
export type ExpectedRevision = 'no_stream' | 'any' | 'stream_exists' | bigint;

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event now in the stream: the expected revision of the next append. */
  readonly nextRevision: bigint;
  /** Position of the last appended event. */
  readonly position: bigint;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** First revision to read (inclusive). Default: the start, or the end when reading backwards. */
  readonly from?: bigint;
  readonly direction?: Direction;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Checkpoint: yield events after this position. Default 0n, the start. */
  readonly fromPosition?: bigint;
  readonly maxCount?: number;
}

export interface SubscribeOptions {
  /** Checkpoint: deliver events after this position. Default 0n, the start. */
  readonly fromPosition?: bigint;
}

/** Catches up from its checkpoint, then stays live, in position order. close() ends it at once. */
export interface Subscription extends AsyncIterableIterator<StoredEvent> {
  close(): void;
}

export interface EventStore {
  /** Atomic: all events of the call are stored, or none. Throws WrongExpectedRevision. */
  append(
    stream: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult>;
  /** A stream that has no events reads as empty. */
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<StoredEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<StoredEvent>;
  subscribe(options?: SubscribeOptions): Subscription;
  /** Stops accepting appends, finishes those in flight, ends subscriptions, releases the store. */
  close(): Promise<void>;
}

/** The Nest injection token for the configured EventStore. */
export const EVENT_STORE = Symbol('EVENT_STORE');
