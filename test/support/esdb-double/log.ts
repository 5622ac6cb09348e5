import { randomUUID } from 'node:crypto';

/**
 * The double's storage: one in-memory transaction log, shared by every node of a doubled cluster
 * (as replication would make it). It keeps the server's rules for what an append does, taken from
 * EventStore/EventStore src/EventStore.Core/Services/Storage/ReaderIndex/IndexWriter.cs
 * (CheckCommit) and StorageWriterService.cs (ActOnCommitCheckFailure); comments name the branch.
 */

/** The server's special expected versions (EventStore.Core/Data/ExpectedVersion.cs). */
export const EXPECTED_ANY = -2n;
export const EXPECTED_NO_STREAM = -1n;
export const EXPECTED_STREAM_EXISTS = -4n;

/** What an append proposes for one event (the gRPC ProposedMessage, decoded). */
export interface ProposedEvent {
  /** Lower case: the server parses the id into a Guid and prints it back in "D" format. */
  readonly id: string;
  readonly type: string;
  /** The proposed `content-type` metadata was application/json (Event.IsJson). */
  readonly isJson: boolean;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

export interface LogRecord extends ProposedEvent {
  readonly stream: string;
  readonly revision: bigint;
  /**
   * The record's log position. An event appended over gRPC is an implicit transaction whose
   * commit and prepare positions are both this (the adapter's header comment cites the reader).
   */
  readonly position: bigint;
  /** .NET ticks (100 ns) since the Unix epoch: the `created` metadata the server sends. */
  readonly created: bigint;
}

export type AppendOutcome =
  | {
      readonly kind: 'written' | 'idempotent';
      /** Revision of the last event of the append. */
      readonly currentRevision: bigint;
      /** Log position of the last event of the append. */
      readonly position: bigint;
    }
  | {
      readonly kind: 'wrong_expected_version';
      /** The stream's last revision, -1n when it has no events. */
      readonly currentRevision: bigint;
    };

/** Where an event id was last committed: the server's `_committedEvents` cache entry. */
interface CommittedEvent {
  readonly stream: string;
  readonly revision: bigint;
}

/**
 * Byte offsets in a real transaction file are not consecutive: each record takes its own length.
 * The double advances by a stand-in length so that no client code can get away with assuming
 * position + 1 is the next event.
 */
const RECORD_OVERHEAD = 120n;

export class EsdbLog {
  private readonly log: LogRecord[] = [];
  private readonly streams = new Map<string, LogRecord[]>();
  /**
   * The server keeps this in a BoundedCache limited to 8 MB (ESConsts.CommitedEventsMemCacheLimit),
   * so idempotency for `any` / `stream_exists` holds only for recent ids; the double never evicts.
   */
  private readonly committed = new Map<string, CommittedEvent>();
  private readonly listeners = new Set<() => void>();
  private nextPosition = 0n;

  constructor(private readonly clock: () => Date = () => new Date()) {
    // A fresh node's $all is not empty: it holds the server's own records. These stand in for
    // them so that readers must skip $-types and $-streams, as the adapter claims to. The last
    // one is what a projection's outputState() writes: type "Result" in a $-stream, which the
    // server-side excludeSystemEvents() filter (type regex ^[^$].*) lets through.
    for (const [stream, type] of [
      ['$users', '$User'],
      ['$user-admin', '$user'],
      ['$projections-$all', '$ProjectionsInitialized'],
      ['$projections-rollup-result', 'Result'],
    ]) {
      this.writeSystemEvent(stream as string, type as string);
    }
  }

  get length(): number {
    return this.log.length;
  }

  at(index: number): LogRecord | undefined {
    return this.log[index];
  }

  /** All records, in log order (for test assertions). */
  records(): readonly LogRecord[] {
    return this.log;
  }

  stream(name: string): readonly LogRecord[] | undefined {
    return this.streams.get(name);
  }

  /** Index of the first record at or after (`inclusive`) or strictly after `position`. */
  indexFrom(position: bigint, inclusive: boolean): number {
    let low = 0;
    let high = this.log.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const at = (this.log[middle] as LogRecord).position;
      if (at < position || (!inclusive && at === position)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Called after every commit, so live subscriptions can move on. Returns the unsubscribe. */
  onCommit(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A record the server writes itself (statistics, users, projections): not through append(). */
  writeSystemEvent(stream: string, type: string): LogRecord {
    const previous = this.streams.get(stream)?.at(-1)?.revision ?? -1n;
    const data = new TextEncoder().encode('{}');
    const [record] = this.commit(stream, previous, [
      { id: randomUUID(), type, isJson: true, data, metadata: new Uint8Array() },
    ]);
    return record as LogRecord;
  }

  /**
   * IndexWriter.CheckCommit, then the write. `expected` is the server's long: a revision,
   * or EXPECTED_ANY / EXPECTED_NO_STREAM / EXPECTED_STREAM_EXISTS.
   */
  append(stream: string, expected: bigint, events: readonly ProposedEvent[]): AppendOutcome {
    const existing = this.streams.get(stream) ?? [];
    const current = existing.at(-1)?.revision ?? -1n;
    const wrong = { kind: 'wrong_expected_version', currentRevision: current } as const;

    // "if (expectedVersion is ExpectedVersion.StreamExists) ... if (curVersion < 0) ... return
    // WrongExpectedVersion" (the double has no metadata streams, so that exception never applies).
    if (expected === EXPECTED_STREAM_EXISTS && current < 0n) return wrong;

    // "idempotency checks" for Any / StreamExists: every id must be in the committed-events cache
    // for this stream. The first id missing means a new write; a later one missing is
    // CorruptedIdempotency, which StorageWriterService answers as WrongExpectedVersion.
    if (expected === EXPECTED_ANY || expected === EXPECTED_STREAM_EXISTS) {
      let first: CommittedEvent | undefined;
      let last: CommittedEvent | undefined;
      for (const [index, event] of events.entries()) {
        const known = this.committed.get(event.id);
        if (known === undefined || known.stream !== stream) {
          if (index === 0) return this.write(stream, current, events);
          return wrong;
        }
        first ??= known;
        last = known;
      }
      if (first === undefined || last === undefined) return this.write(stream, current, events);
      return this.idempotent(stream, last.revision);
    }

    // "if (expectedVersion < curVersion)": the events must already sit, in order, right after the
    // expected revision (NoStream is -1, so after it means from revision 0). The first one not
    // there is WrongExpectedVersion; a later one is CorruptedIdempotency, answered the same.
    if (expected < current) {
      let revision = expected;
      for (const event of events) {
        revision += 1n;
        if (existing[Number(revision)]?.id !== event.id) return wrong;
      }
      if (revision === expected) return wrong; // "no data in transaction"
      return this.idempotent(stream, revision);
    }

    if (expected > current) return wrong;
    return this.write(stream, current, events);
  }

  /**
   * StorageMessage.AlreadyCommitted: the request manager answers success at the log position of
   * the append's last event (RequestManagerBase.ReturnCommitAt with IdempotentLogPosition).
   */
  private idempotent(stream: string, lastRevision: bigint): AppendOutcome {
    const last = this.streams.get(stream)?.[Number(lastRevision)] as LogRecord;
    return { kind: 'idempotent', currentRevision: last.revision, position: last.position };
  }

  private write(stream: string, current: bigint, events: readonly ProposedEvent[]): AppendOutcome {
    const records = this.commit(stream, current, events);
    const last = records.at(-1) as LogRecord;
    return { kind: 'written', currentRevision: last.revision, position: last.position };
  }

  private commit(stream: string, current: bigint, events: readonly ProposedEvent[]): LogRecord[] {
    const created = BigInt(this.clock().getTime()) * 10_000n;
    const existing = this.streams.get(stream) ?? [];
    const records = events.map((event, index): LogRecord => {
      const record: LogRecord = {
        ...event,
        stream,
        revision: current + 1n + BigInt(index),
        position: this.nextPosition,
        created,
      };
      this.nextPosition +=
        RECORD_OVERHEAD + BigInt(event.data.length + event.metadata.length + event.type.length * 2);
      return record;
    });
    for (const record of records) {
      this.log.push(record);
      existing.push(record);
      this.committed.set(record.id, { stream, revision: record.revision });
    }
    this.streams.set(stream, existing);
    for (const listener of [...this.listeners]) listener();
    return records;
  }
}
