/**
 * The EventStoreDB adapter under the faults a real deployment meets, injected by the gRPC double
 * (test/support/esdb-double): a connection lost under a subscription, an append whose answer never
 * comes, a node that is not the leader.
 */
import { randomUUID } from 'node:crypto';
import { village } from '@cunyi/domain';
import {
  EventStoreDbEventStore,
  type ExpectedRevision,
  StorageFailure,
  type StoredEvent,
} from '@cunyi/event-store';
import { collect, newEvent, take } from '@cunyi/event-store/event-store.contract';
import type { Database } from 'better-sqlite3';
import { Aggregates } from '../../src/common/aggregates';
import { commandContext } from '../../src/common/command-context';
import { Projections } from '../../src/read-model/projections';
import type { Projector } from '../../src/read-model/projector';
import { openReadDatabase } from '../../src/read-model/read-database';
import { type AppendFault, EsdbCluster, EsdbDoubleNode, VNodeState } from '../support/esdb-double';

const stream = (name: string) => `${name}-${randomUUID()}`;

/** Appends `count` one-event appends to `name`, one after another; returns what was appended. */
async function appendSeveral(store: EventStoreDbEventStore, name: string, count: number) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const event = newEvent('Counted', { i });
    ids.push(event.id);
    await store.append(name, [event], { expectedRevision: 'any' });
  }
  return ids;
}

describe('eventstoredb adapter: the connection drops under a subscription', () => {
  let node: EsdbDoubleNode;
  let store: EventStoreDbEventStore;
  beforeEach(async () => {
    node = await EsdbDoubleNode.start();
    store = new EventStoreDbEventStore(node.connectionString);
  });
  afterEach(async () => {
    await store.close();
    await node.stop();
  });

  it('fails the subscription, and one resumed from its last event delivers the rest exactly once', async () => {
    const s = stream('dropped');
    const before = await appendSeveral(store, s, 30);
    const first = store.subscribe();
    const delivered = await take(first, 10);
    node.dropConnections();
    // Whatever was already on its way still arrives; then the loss surfaces as an error.
    await expect(
      (async () => {
        for (;;) {
          const next = await first.next();
          if (next.done) return 'ended';
          delivered.push(next.value);
        }
      })(),
    ).rejects.toMatchObject({ type: 'unavailable' });
    expect((await first.next()).done).toBe(true);

    const after = await appendSeveral(store, s, 10);
    const checkpoint = (delivered.at(-1) as StoredEvent).position;
    const resumed = store.subscribe({ fromPosition: checkpoint });
    try {
      const rest = await take(resumed, 40 - delivered.length);
      expect([...delivered, ...rest].map((event) => event.id)).toEqual([...before, ...after]);
      // Nothing more is waiting behind them.
      const extra = await take(resumed, 1, 300).catch(() => []);
      expect(extra).toEqual([]);
    } finally {
      resumed.close();
    }
  });

  it('lets projections resubscribe from their checkpoint and apply every event exactly once', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => {});
    const db = openReadDatabase('memory');
    // The primary key makes a second application of any event fail the projection outright.
    const seen: Projector = {
      name: 'seen',
      tables: ['seen'],
      schema: 'CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, position TEXT NOT NULL)',
      apply: (database: Database, event: StoredEvent) => {
        database
          .prepare('INSERT INTO seen (id, position) VALUES (?, ?)')
          .run(event.id, String(event.position));
      },
    };
    const projections = new Projections(store, db, [seen]);
    try {
      const s = stream('projected');
      const ids = await appendSeveral(store, s, 150);
      let applied = 0;
      projections.onApplied(() => {
        if (++applied === 60) node.dropConnections();
      });
      await projections.start();
      const writing = appendSeveral(store, s, 50).then((more) => ids.push(...more));
      await writing;
      const [last] = await collect(store.readStream(s, { direction: 'backwards', maxCount: 1 }));
      expect(await projections.waitFor((last as StoredEvent).position, 15_000)).toBe(true);

      const rows = db.prepare('SELECT id FROM seen ORDER BY CAST(position AS INTEGER)').pluck();
      expect(rows.all()).toEqual(ids);
      expect(projections.running).toBe(true);
      expect(error).toHaveBeenCalledWith(
        expect.stringContaining('resubscribing'),
        expect.objectContaining({ type: 'unavailable' }),
      );
    } finally {
      await projections.stop();
      db.close();
      error.mockRestore();
    }
  });
});

/** The village decider's first command: what a clerk does first. */
const registerVillage = (_: village.VillageState, at: string): village.VillageCommand => ({
  type: 'RegisterVillage',
  data: {
    villageId: 'qingshan',
    name: '青山村',
    township: '安吉镇',
    county: '安吉县',
    province: '浙江省',
    at,
  },
});

describe.each([
  ['BatchAppend', true],
  ['Append', false],
])('eventstoredb adapter over %s: an append whose outcome is unknown', (via, batchAppend) => {
  const path = batchAppend ? 'batchAppend' : 'append';
  let node: EsdbDoubleNode;
  let store: EventStoreDbEventStore;
  beforeAll(async () => {
    node = await EsdbDoubleNode.start({ batchAppend });
  });
  beforeEach(() => {
    // A deadline well above the double's answers, and well below a slow answer's delay.
    store = new EventStoreDbEventStore(`${node.connectionString}&defaultDeadline=1000`);
  });
  afterEach(async () => {
    await store.close();
  });
  afterAll(async () => {
    await node.stop();
  });

  const faults: Array<[string, AppendFault]> = [
    ['timed out after it was written', { kind: 'timeout', committed: true }],
    ['timed out before it was written', { kind: 'timeout', committed: false }],
    ['lost with the connection after it was written', { kind: 'drop', committed: true }],
    ...(batchAppend
      ? []
      : ([['answered past the call deadline', { kind: 'slow', ms: 1_500 }]] as Array<
          [string, AppendFault]
        >)),
  ];
  const expectations: Array<[string, ExpectedRevision]> = [
    ['no_stream', 'no_stream'],
    ['a revision', 0n],
    ['any', 'any'],
    ['stream_exists', 'stream_exists'],
  ];

  describe.each(faults)('%s', (_, fault) => {
    it.each(expectations)(
      'is sent again with the same ids and %s, and stored once',
      async (_, expected) => {
        const s = stream('unknown');
        if (expected !== 'no_stream') {
          await store.append(s, [newEvent()], { expectedRevision: 'no_stream' });
        }
        const events = [newEvent('A'), newEvent('B')];
        node.failAppends(fault, { stream: s });
        const result = await store.append(s, events, { expectedRevision: expected });

        const stored = await collect(store.readStream(s));
        const ours = stored.filter((event) => events.some((e) => e.id === event.id));
        expect(ours.map((event) => event.id)).toEqual(events.map((event) => event.id));
        expect(result).toEqual({
          nextRevision: (ours[1] as StoredEvent).revision,
          position: (ours[1] as StoredEvent).position,
        });
        const attempts = node.attempts.filter((attempt) => attempt.stream === s).slice(-2);
        expect(attempts).toHaveLength(2);
        expect(attempts[1]).toEqual(attempts[0]);
        expect(attempts[0]).toMatchObject({ via: path, ids: events.map((event) => event.id) });
      },
    );
  });

  it('gives up after four attempts with StorageFailure, the first write standing alone', async () => {
    const s = stream('gave-up');
    const events = [newEvent('A')];
    node.failAppends({ kind: 'timeout', committed: true }, { stream: s, times: 4 });
    await expect(store.append(s, events, { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
      StorageFailure,
    );
    expect(node.attempts.filter((attempt) => attempt.stream === s)).toHaveLength(4);
    // The caller's own retry, same ids, same expectation, learns the outcome.
    const retried = await store.append(s, events, { expectedRevision: 'no_stream' });
    const stored = await collect(store.readStream(s));
    expect(stored.map((event) => event.id)).toEqual([events[0]?.id]);
    expect(retried).toEqual({ nextRevision: 0n, position: stored[0]?.position });
  });

  it(`lets a command (Aggregates) survive it with one copy of its events, over ${via}`, async () => {
    const aggregates = new Aggregates(store, { now: () => new Date('2026-03-02T01:00:00.000Z') });
    const clerk = commandContext(
      { subject: 'clerk-1', role: 'CLERK', villageId: 'qingshan' },
      { correlationId: 'request-7', channel: 'phone' },
    );
    const s = stream('village');
    node.failAppends({ kind: 'timeout', committed: true }, { stream: s });
    const appended = await aggregates.execute(s, village.villageDecider, clerk, registerVillage);
    const stored = await collect(store.readStream(s));
    expect(stored.map((event) => event.id)).toEqual(appended.ids);
    expect(stored.map((event) => event.type)).toEqual(['VillageRegistered']);
    expect(appended.position).toBe(stored[0]?.position);
  });
});

describe('eventstoredb adapter on a cluster', () => {
  let cluster: EsdbCluster;
  let store: EventStoreDbEventStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await cluster.stop();
  });

  it('follows a NotLeader answer to the leader it names, and the append lands there once', async () => {
    // Mid-election: gossip shows no leader yet, so discovery settles for the read-only replica,
    // the only member in an allowed state (dist/Client/discovery.js). By the write, node2 leads.
    cluster = await EsdbCluster.start(['readOnlyReplica', 'leader']);
    const [replica, leader] = cluster.nodes as [EsdbDoubleNode, EsdbDoubleNode];
    leader.advertisedState = VNodeState.PRELEADER;
    store = new EventStoreDbEventStore(cluster.connectionString);

    const s = stream('cluster');
    const events = [newEvent('A'), newEvent('B')];
    const result = await store.append(s, events, { expectedRevision: 'no_stream' });
    expect(result.nextRevision).toBe(1n);
    expect(replica.attempts.map((attempt) => attempt.ids)).toEqual([events.map((e) => e.id)]);
    expect(leader.attempts.map((attempt) => attempt.ids)).toEqual([events.map((e) => e.id)]);
    expect(cluster.log.stream(s)?.map((record) => record.id)).toEqual(events.map((e) => e.id));

    // The client stays on the leader afterwards: reads go there, not back to the replica.
    const readsOnReplica = replica.calls.read;
    expect(await collect(store.readStream(s))).toHaveLength(2);
    expect(replica.calls.read).toBe(readsOnReplica);
    expect(leader.calls.read).toBeGreaterThan(0);
  });

  it('writes through a follower that gossip still calls leader: forwarded, never NotLeader', async () => {
    // The adapter does not send requires-leader, so a follower forwards its writes to the leader
    // (ClusterVNodeController.HandleAsNonLeader) instead of answering NotLeader: the client keeps
    // talking to the follower.
    cluster = await EsdbCluster.start(['follower', 'leader']);
    const [follower, leader] = cluster.nodes as [EsdbDoubleNode, EsdbDoubleNode];
    follower.advertisedState = VNodeState.LEADER;
    leader.advertisedState = VNodeState.FOLLOWER;
    store = new EventStoreDbEventStore(cluster.connectionString);

    const s = stream('forwarded');
    await store.append(s, [newEvent()], { expectedRevision: 'no_stream' });
    expect(follower.calls.forwarded).toBe(1);
    expect(follower.attempts[0]?.requiresLeader).toBe(false);
    expect(leader.attempts).toEqual([]);
    expect(cluster.log.stream(s)).toHaveLength(1);
  });

  it('gives up with StorageFailure, storing nothing, while no node leads', async () => {
    // A read-only replica that knows no leader names itself in its NotLeader answer
    // (LeaderInfoProvider): the client reconnects to it, and is refused again.
    cluster = await EsdbCluster.start(['readOnlyReplica']);
    const [replica] = cluster.nodes as [EsdbDoubleNode];
    store = new EventStoreDbEventStore(cluster.connectionString);
    const s = stream('leaderless');
    await expect(
      store.append(s, [newEvent()], { expectedRevision: 'no_stream' }),
    ).rejects.toBeInstanceOf(StorageFailure);
    expect(replica.attempts).toHaveLength(4);
    expect(cluster.log.stream(s)).toBeUndefined();
  });
});
