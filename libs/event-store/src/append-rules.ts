import { DuplicateEventId, InvalidAppend, WrongExpectedRevision } from './errors';
import type { AppendResult, ExpectedRevision, NewEvent, StoredEvent } from './event-store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rejects a malformed append before any adapter touches storage. Shared by every adapter. */
export function assertValidAppend(stream: string, events: readonly NewEvent[]): void {
  if (typeof stream !== 'string' || stream.length === 0 || stream.startsWith('$')) {
    throw new InvalidAppend('stream name must be a non-empty string not starting with $');
  }
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidAppend('an append needs at least one event');
  }
  const ids = new Set<string>();
  for (const event of events) {
    if (typeof event.id !== 'string' || !UUID.test(event.id)) {
      throw new InvalidAppend(`event id must be a UUID, got ${JSON.stringify(event.id)}`);
    }
    if (ids.has(event.id.toLowerCase())) {
      throw new InvalidAppend(`event id ${event.id} appears twice in one append`);
    }
    ids.add(event.id.toLowerCase());
    if (typeof event.type !== 'string' || event.type.length === 0) {
      throw new InvalidAppend('event type must be a non-empty string');
    }
    if (!isPlainObject(event.data)) throw new InvalidAppend('event data must be a JSON object');
    if (!isPlainObject(event.metadata)) {
      throw new InvalidAppend('event metadata must be a JSON object');
    }
  }
}

function isPlainObject(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Throws WrongExpectedRevision unless the stream's last revision satisfies the expectation. */
export function checkExpectedRevision(
  stream: string,
  expected: ExpectedRevision,
  current: bigint | undefined,
): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && current === undefined) ||
    (expected === 'stream_exists' && current !== undefined) ||
    (typeof expected === 'bigint' && current === expected);
  if (!ok) throw new WrongExpectedRevision(stream, expected, current ?? 'no_stream');
}

/** Where an already-stored event sits; what an adapter finds by event id. */
export type StoredPlace = Pick<StoredEvent, 'stream' | 'revision' | 'position'>;

/**
 * An append that failed (conflict or a stored id) may be the retry of one that already succeeded
 * with an unknown outcome. It is, when every id of the call is stored, in order, at consecutive
 * revisions of the same stream, where the expected revision would have put them. Then the retry
 * answers the original result, as EventStoreDB does; otherwise the original error stands.
 */
export function resolveRetry(
  stream: string,
  eventIds: readonly string[],
  expected: ExpectedRevision,
  placeOf: (eventId: string) => StoredPlace | undefined,
  failure: WrongExpectedRevision | DuplicateEventId,
): AppendResult {
  const places = eventIds.map(placeOf);
  const first = places[0];
  const isRetry =
    first !== undefined &&
    first.stream === stream &&
    places.every(
      (place, i) =>
        place !== undefined &&
        place.stream === stream &&
        place.revision === first.revision + BigInt(i),
    ) &&
    (expected === 'any' ||
      (expected === 'no_stream' && first.revision === 0n) ||
      (expected === 'stream_exists' && first.revision > 0n) ||
      (typeof expected === 'bigint' && first.revision === expected + 1n));
  if (!isRetry) throw failure;
  const last = places[places.length - 1] as StoredPlace;
  return { nextRevision: last.revision, position: last.position };
}
