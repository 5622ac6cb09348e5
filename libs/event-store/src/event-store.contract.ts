/**
 * The contract every EventStore adapter passes. Each test opens its own store and uses streams
 * named afresh, and reads $all only after a marker of its own, so the suite also runs against a
 * shared EventStoreDB server.
 */
import { randomUUID } from 'node:crypto';
import { DuplicateEventId, EventStoreClosed, InvalidAppend, WrongExpectedRevision } from './errors';
import type { EventStore, NewEvent, StoredEvent, Subscription } from './event-store';

export interface ContractOptions {
  /** Event ids are unique across the whole store (sqlite, memory), not only per append retry. */
  readonly globallyUniqueIds?: boolean;
  /** What was appended is there again after close and reopen (not the memory store). */
  readonly durable?: boolean;
}

export function newEvent(type = 'Tested', data: Record<string, unknown> = {}): NewEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: {
      actor: { subject: 'clerk-1', role: 'CLERK', village: 'v-1' },
      correlationId: randomUUID(),
      causationId: randomUUID(),
      occurredAt: '2026-11-28T08:00:00.000Z',
    },
  };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Takes `count` events from a subscription, failing after `ms` instead of hanging. */
export async function take(subscription: Subscription, count: number, ms = 10_000) {
  const events: StoredEvent[] = [];
  const deadline = Date.now() + ms;
  while (events.length < count) {
    const left = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`got ${events.length} of ${count} events in ${ms} ms`)),
        Math.max(left, 0),
      );
    });
    try {
      const next = await Promise.race([subscription.next(), timeout]);
      if (next.done) break;
      events.push(next.value);
    } finally {
      clearTimeout(timer);
    }
  }
  return events;
}

const stream = (name: string) => `${name}-${randomUUID()}`;

export function describeEventStoreContract(
  adapter: string,
  open: () => Promise<EventStore>,
  { globallyUniqueIds = true, durable = true }: ContractOptions = {},
): void {
  describe(`EventStore contract: ${adapter}`, () => {
    let store: EventStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    /** The position of a fresh marker event: the $all checkpoint before a test's own events. */
    const mark = async () =>
      (
        await store.append(stream('marker'), [newEvent('Marker')], {
          expectedRevision: 'no_stream',
        })
      ).position;
    const ours = (events: StoredEvent[], streams: string[]) =>
      events.filter((e) => streams.includes(e.stream));

    describe('append and read back', () => {
      it('stores every field and numbers revisions from 0', async () => {
        const s = stream('village');
        const events = [
          newEvent('A', { n: 1, name: '村议' }),
          newEvent('B', { nested: { ok: true } }),
        ];
        const result = await store.append(s, events, { expectedRevision: 'no_stream' });
        const read = await collect(store.readStream(s));
        expect(read.map((e) => [e.id, e.type, e.data, e.metadata, e.stream, e.revision])).toEqual(
          events.map((e, i) => [e.id, e.type, e.data, e.metadata, s, BigInt(i)]),
        );
        expect(result).toEqual({ nextRevision: 1n, position: read[1]?.position });
        expect(read[0]?.position).toBeLessThan(read[1]?.position as bigint);
        expect(new Date(read[0]?.recordedAt as string).toISOString()).toBe(read[0]?.recordedAt);
      });

      it('reads a stream that has no events as empty', async () => {
        expect(await collect(store.readStream(stream('nobody')))).toEqual([]);
      });

      it('reads a window forwards and backwards', async () => {
        const s = stream('window');
        await store.append(
          s,
          [1, 2, 3, 4, 5].map((n) => newEvent('N', { n })),
          {
            expectedRevision: 'no_stream',
          },
        );
        const ns = (events: StoredEvent[]) => events.map((e) => (e.data as { n: number }).n);
        expect(ns(await collect(store.readStream(s, { from: 1n, maxCount: 2 })))).toEqual([2, 3]);
        expect(ns(await collect(store.readStream(s, { direction: 'backwards' })))).toEqual([
          5, 4, 3, 2, 1,
        ]);
        expect(
          ns(await collect(store.readStream(s, { direction: 'backwards', from: 3n, maxCount: 2 }))),
        ).toEqual([4, 3]);
        expect(ns(await collect(store.readStream(s, { from: 9n })))).toEqual([]);
      });

      it('keeps a 1 MB event intact', async () => {
        const s = stream('big');
        const text = '议'.repeat(350_000); // 1,050,000 bytes of UTF-8
        await store.append(s, [newEvent('Big', { text })], { expectedRevision: 'no_stream' });
        const [read] = await collect(store.readStream(s));
        expect(read?.data).toEqual({ text });
      });

      it('refuses malformed appends and stores nothing', async () => {
        const s = stream('bad');
        const bad: Array<readonly NewEvent[]> = [
          [],
          [{ ...newEvent(), id: 'not-a-uuid' }],
          [{ ...newEvent(), type: '' }],
          [{ ...newEvent(), data: [1, 2] }],
          [{ ...newEvent(), data: 'text' }],
        ];
        const twice = newEvent();
        bad.push([twice, twice]);
        for (const events of bad) {
          await expect(store.append(s, events, { expectedRevision: 'any' })).rejects.toBeInstanceOf(
            InvalidAppend,
          );
        }
        await expect(
          store.append('$system', [newEvent()], { expectedRevision: 'any' }),
        ).rejects.toBeInstanceOf(InvalidAppend);
        expect(await collect(store.readStream(s))).toEqual([]);
      });

      it('refuses data JSON cannot carry by rejecting, not by throwing', async () => {
        const s = stream('not-json');
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        for (const data of [{ big: 1n }, cyclic]) {
          let attempt: Promise<unknown> | undefined;
          expect(() => {
            attempt = store.append(s, [newEvent('Bad', data)], { expectedRevision: 'any' });
          }).not.toThrow();
          await expect(attempt).rejects.toBeInstanceOf(InvalidAppend);
        }
        expect(await collect(store.readStream(s))).toEqual([]);
      });
    });

    describe('optimistic concurrency', () => {
      const conflicts: Array<
        [string, 'no_stream' | 'stream_exists' | bigint, boolean, bigint | 'no_stream']
      > = [
        ['no_stream on an existing stream', 'no_stream', true, 1n],
        ['stream_exists on a missing stream', 'stream_exists', false, 'no_stream'],
        ['a revision behind the stream', 0n, true, 1n],
        ['a revision ahead of the stream', 5n, true, 1n],
        ['a revision on a missing stream', 0n, false, 'no_stream'],
      ];
      it.each(conflicts)('refuses %s, storing nothing', async (_, expected, exists, actual) => {
        const s = stream('conflict');
        if (exists)
          await store.append(s, [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
        const before = await collect(store.readStream(s));
        const attempt = store.append(s, [newEvent(), newEvent()], { expectedRevision: expected });
        await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevision);
        await expect(attempt).rejects.toMatchObject({ stream: s, expected, actual });
        expect(await collect(store.readStream(s))).toEqual(before);
      });

      it('accepts each kind of expectation when it holds', async () => {
        const s = stream('ok');
        expect(
          await store.append(s, [newEvent()], { expectedRevision: 'no_stream' }),
        ).toMatchObject({
          nextRevision: 0n,
        });
        expect(
          await store.append(s, [newEvent()], { expectedRevision: 'stream_exists' }),
        ).toMatchObject({ nextRevision: 1n });
        expect(await store.append(s, [newEvent()], { expectedRevision: 1n })).toMatchObject({
          nextRevision: 2n,
        });
        expect(await store.append(s, [newEvent()], { expectedRevision: 'any' })).toMatchObject({
          nextRevision: 3n,
        });
      });

      it('lets exactly one of concurrent appends at the same revision win, and its neighbours commit', async () => {
        const contested = stream('contested');
        await store.append(contested, [newEvent()], { expectedRevision: 'no_stream' });
        const bystanders = Array.from({ length: 10 }, () => stream('bystander'));
        const results = await Promise.allSettled([
          ...Array.from({ length: 10 }, () =>
            store.append(contested, [newEvent()], { expectedRevision: 0n }),
          ),
          ...bystanders.map((b) =>
            store.append(b, [newEvent()], { expectedRevision: 'no_stream' }),
          ),
        ]);
        const contestedResults = results.slice(0, 10);
        expect(contestedResults.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of contestedResults.filter((r) => r.status === 'rejected')) {
          expect((r as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevision);
        }
        expect(results.slice(10).every((r) => r.status === 'fulfilled')).toBe(true);
        expect(await collect(store.readStream(contested))).toHaveLength(2);
      });
    });

    describe('atomicity and idempotency', () => {
      it('stores all events of one append together, contiguous in $all', async () => {
        const from = await mark();
        const s = stream('atomic');
        const events = [newEvent('A'), newEvent('B'), newEvent('C')];
        await store.append(s, events, { expectedRevision: 'no_stream' });
        const all = await collect(store.readAll({ fromPosition: from }));
        expect(all.map((e) => e.id)).toEqual(events.map((e) => e.id));
      });

      it.each([
        ['no_stream', 'no_stream'],
        ['a revision', 0n],
        ['any', 'any'],
      ] as const)(
        'answers a retry with %s with the first result and stores once',
        async (_, expected) => {
          const s = stream('retry');
          if (typeof expected === 'bigint') {
            await store.append(s, [newEvent()], { expectedRevision: 'no_stream' });
          }
          const events = [newEvent('A'), newEvent('B')];
          const first = await store.append(s, events, { expectedRevision: expected });
          const retry = await store.append(s, events, { expectedRevision: expected });
          expect(retry).toEqual(first);
          const ids = (await collect(store.readStream(s))).map((e) => e.id);
          expect(ids.filter((id) => id === events[0]?.id)).toHaveLength(1);
          expect(ids.filter((id) => id === events[1]?.id)).toHaveLength(1);
        },
      );

      if (globallyUniqueIds) {
        it('refuses an event id already stored elsewhere, storing none of the append', async () => {
          const taken = newEvent();
          await store.append(stream('first'), [taken], { expectedRevision: 'no_stream' });
          const s = stream('second');
          const attempt = store.append(s, [newEvent(), taken], { expectedRevision: 'any' });
          await expect(attempt).rejects.toBeInstanceOf(DuplicateEventId);
          await expect(attempt).rejects.toMatchObject({ eventId: taken.id });
          expect(await collect(store.readStream(s))).toEqual([]);
        });
      }
    });

    describe('$all', () => {
      it('resumes from a checkpoint in the middle of a multi-event append', async () => {
        const from = await mark();
        const s = stream('middle');
        const events = [newEvent('A'), newEvent('B'), newEvent('C')];
        await store.append(s, events, { expectedRevision: 'no_stream' });
        const [, b] = await collect(store.readAll({ fromPosition: from }));
        const after = await collect(store.readAll({ fromPosition: b?.position }));
        expect(after.map((e) => e.id)).toEqual([events[2]?.id]);
        const subscription = store.subscribe({ fromPosition: b?.position });
        try {
          expect((await take(subscription, 1)).map((e) => e.id)).toEqual([events[2]?.id]);
        } finally {
          subscription.close();
        }
      });

      it('orders events across streams by commit, from an exclusive checkpoint', async () => {
        const from = await mark();
        const streams = [stream('a'), stream('b'), stream('c')];
        const appended: string[] = [];
        for (let round = 0; round < 3; round++) {
          for (const s of streams) {
            const e = newEvent('Round', { round });
            await store.append(s, [e], { expectedRevision: 'any' });
            appended.push(e.id);
          }
        }
        const all = ours(await collect(store.readAll({ fromPosition: from })), streams);
        expect(all.map((e) => e.id)).toEqual(appended);
        const positions = all.map((e) => e.position);
        expect([...positions].sort((x, y) => (x < y ? -1 : 1))).toEqual(positions);
        expect(new Set(positions).size).toBe(positions.length);

        const after = await collect(store.readAll({ fromPosition: all[3]?.position, maxCount: 2 }));
        expect(after.map((e) => e.id)).toEqual(appended.slice(4, 6));
      });

      it('holds 10,000 streams appended to at once', async () => {
        const from = await mark();
        const streams = Array.from({ length: 10_000 }, (_, i) => stream(`many-${i}`));
        const results = await Promise.all(
          streams.map((s) => store.append(s, [newEvent()], { expectedRevision: 'no_stream' })),
        );
        expect(results.every((r) => r.nextRevision === 0n)).toBe(true);
        const all = ours(await collect(store.readAll({ fromPosition: from })), streams);
        expect(new Set(all.map((e) => e.stream)).size).toBe(10_000);
        expect(
          all.every((e, i) => i === 0 || (all[i - 1] as StoredEvent).position < e.position),
        ).toBe(true);
      }, 120_000);
    });

    describe('subscriptions', () => {
      it('catches up, then delivers live appends in order', async () => {
        const from = await mark();
        const s = stream('live');
        const early = [newEvent('E1'), newEvent('E2')];
        await store.append(s, early, { expectedRevision: 'no_stream' });
        const subscription = store.subscribe({ fromPosition: from });
        try {
          expect((await take(subscription, 2)).map((e) => e.id)).toEqual(early.map((e) => e.id));
          const late = [newEvent('L1'), newEvent('L2')];
          const pending = take(subscription, 2);
          await store.append(s, late, { expectedRevision: 1n });
          expect((await pending).map((e) => e.id)).toEqual(late.map((e) => e.id));
        } finally {
          subscription.close();
        }
      });

      it('resumes from a checkpoint with no loss and no duplicates while appends race it', async () => {
        const from = await mark();
        const s = stream('resume');
        const ids: string[] = [];
        const writing = (async () => {
          for (let i = 0; i < 100; i++) {
            const e = newEvent('Race', { i });
            ids.push(e.id);
            await store.append(s, [e], { expectedRevision: 'any' });
          }
        })();
        const first = store.subscribe({ fromPosition: from });
        const head = await take(first, 40);
        first.close();
        const checkpoint = (head.at(-1) as StoredEvent).position;
        const second = store.subscribe({ fromPosition: checkpoint });
        await writing;
        const tail = await take(second, 60);
        second.close();
        expect([...head, ...tail].map((e) => e.id)).toEqual(ids);
      });

      it('releases every pending next() when closed', async () => {
        const subscription = store.subscribe({ fromPosition: await mark() });
        const pending = [subscription.next(), subscription.next()];
        setTimeout(() => subscription.close(), 50);
        const results = await Promise.race([
          Promise.all(pending),
          new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 5_000)),
        ]);
        expect(results).toEqual([
          { value: undefined, done: true },
          { value: undefined, done: true },
        ]);
      });

      it('ends a waiting subscription when it is closed', async () => {
        const subscription = store.subscribe({ fromPosition: await mark() });
        const waiting = take(subscription, 1, 5_000);
        setTimeout(() => subscription.close(), 50);
        expect(await waiting).toEqual([]);
        expect((await subscription.next()).done).toBe(true);
      });
    });

    describe('closing', () => {
      it('finishes appends in flight, then refuses new ones', async () => {
        const s = stream('closing');
        const subscription = store.subscribe({ fromPosition: await mark() });
        const inFlight = store.append(s, [newEvent()], { expectedRevision: 'no_stream' });
        await store.close();
        await expect(inFlight).resolves.toMatchObject({ nextRevision: 0n });
        await expect(
          store.append(s, [newEvent()], { expectedRevision: 'any' }),
        ).rejects.toBeInstanceOf(EventStoreClosed);
        expect((await subscription.next()).done).toBe(true);
        store = await open();
        if (durable) expect(await collect(store.readStream(s))).toHaveLength(1);
      });
    });
  });
}
