/**
 * The shared EventStore contract, run over the wire: against the EventStoreDB that
 * EVENTSTORE_CONNECTION_STRING names when it is set, and otherwise against the gRPC double
 * (test/support/esdb-double).
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_MAX_APPEND_SIZE, EsdbDoubleNode } from '../../../../test/support/esdb-double';
import { InvalidAppend, WrongExpectedRevision } from '../errors';
import { collect, describeEventStoreContract, newEvent } from '../event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb.event-store';

// EventStoreDB only recognises an event id again within its own stream (a retry); it does not
// refuse the same id in another stream, so the DuplicateEventId case does not apply.
const contract = { globallyUniqueIds: false };

/**
 * The contract keeps a 1 MB event, 1,050,000 bytes of UTF-8 in its data: over the server's
 * default limit for one append (1,048,576 bytes, ClusterVNodeOptions.MaxAppendSize). A server
 * run for this needs EVENTSTORE_MAX_APPEND_SIZE raised; the double is started likewise.
 */
const MAX_APPEND_SIZE = 2 * 1024 * 1024;

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  describeEventStoreContract(
    'eventstoredb (EVENTSTORE_CONNECTION_STRING)',
    async () => new EventStoreDbEventStore(connectionString),
    contract,
  );
} else {
  describe('eventstoredb over the gRPC double', () => {
    // Appends go through Streams.BatchAppend, as they do against any server from 21.10 (the
    // compose files run 24.10). The Append fallback is covered in eventstoredb-faults.test.ts.
    let node: EsdbDoubleNode;
    beforeAll(async () => {
      node = await EsdbDoubleNode.start({ maxAppendSize: MAX_APPEND_SIZE });
    });
    afterAll(async () => {
      await node.stop();
    });

    describeEventStoreContract(
      'eventstoredb (gRPC double)',
      async () => new EventStoreDbEventStore(node.connectionString),
      contract,
    );

    it('appended through Streams.BatchAppend', () => {
      expect(node.attempts.length).toBeGreaterThan(0);
      expect(node.attempts.every((attempt) => attempt.via === 'batchAppend')).toBe(true);
    });
  });
}

describe('eventstoredb adapter over the gRPC double, at the server defaults', () => {
  let node: EsdbDoubleNode;
  let store: EventStoreDbEventStore;
  beforeAll(async () => {
    node = await EsdbDoubleNode.start();
    store = new EventStoreDbEventStore(node.connectionString);
  });
  afterAll(async () => {
    await store.close();
    await node.stop();
  });

  it('refuses an append over the server maximum as InvalidAppend, storing nothing', async () => {
    const stream = `big-${randomUUID()}`;
    const text = 'x'.repeat(DEFAULT_MAX_APPEND_SIZE);
    await expect(
      store.append(stream, [newEvent('Big', { text })], { expectedRevision: 'no_stream' }),
    ).rejects.toBeInstanceOf(InvalidAppend);
    expect(await collect(store.readStream(stream))).toEqual([]);
  });

  it('leaves out the server’s own events from $all, and what projections write to $-streams', async () => {
    const types = node.log.records().map((record) => record.type);
    expect(types).toEqual(expect.arrayContaining(['$User', 'Result']));
    const stream = `ours-${randomUUID()}`;
    await store.append(stream, [newEvent('Ours')], { expectedRevision: 'no_stream' });
    node.log.writeSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
    node.log.writeSystemEvent('$projections-rollup-result', 'Result');
    const after = await store.append(stream, [newEvent('Ours')], { expectedRevision: 0n });

    const all = await collect(store.readAll());
    expect(all.map((event) => event.stream)).toEqual([stream, stream]);
    const subscription = store.subscribe();
    try {
      const first = await subscription.next();
      const second = await subscription.next();
      expect([first.value?.stream, second.value?.position]).toEqual([stream, after.position]);
    } finally {
      subscription.close();
    }
  });
});

describe('eventstoredb adapter over Streams.Append (a server without ServerFeatures)', () => {
  let node: EsdbDoubleNode;
  let store: EventStoreDbEventStore;
  beforeAll(async () => {
    node = await EsdbDoubleNode.start({ batchAppend: false });
    store = new EventStoreDbEventStore(node.connectionString);
  });
  afterAll(async () => {
    await store.close();
    await node.stop();
  });

  it.each([
    ['no_stream on an existing stream', 'no_stream', true, 0n],
    ['stream_exists on a missing stream', 'stream_exists', false, 'no_stream'],
    ['a revision ahead of the stream', 3n, true, 0n],
  ] as const)('refuses %s as WrongExpectedRevision', async (_, expected, exists, actual) => {
    const stream = `conflict-${randomUUID()}`;
    if (exists) await store.append(stream, [newEvent()], { expectedRevision: 'no_stream' });
    const attempt = store.append(stream, [newEvent()], { expectedRevision: expected });
    await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevision);
    await expect(attempt).rejects.toMatchObject({ stream, expected, actual });
    expect(node.attempts.at(-1)?.via).toBe('append');
  });

  it('refuses an append over the server maximum as InvalidAppend', async () => {
    const text = 'x'.repeat(DEFAULT_MAX_APPEND_SIZE);
    await expect(
      store.append(`big-${randomUUID()}`, [newEvent('Big', { text })], {
        expectedRevision: 'any',
      }),
    ).rejects.toBeInstanceOf(InvalidAppend);
  });
});
