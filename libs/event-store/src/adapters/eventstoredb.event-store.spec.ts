import { randomUUID } from 'node:crypto';
import { EventStoreClosed, InvalidAppend } from '../errors';
import type { NewEvent } from '../event-store';
import { EventStoreDbEventStore } from './eventstoredb.event-store';

// Nothing here reaches a server: the connection strings point at hosts that need not exist.
// The contract over the wire is eventstoredb.double.spec.ts.
describe('EventStoreDbEventStore without a server', () => {
  const newEvent = (overrides: Partial<NewEvent> = {}): NewEvent => ({
    id: randomUUID(),
    type: 'ProposalDrafted',
    data: { title: 'Repair the well' },
    metadata: { correlationId: randomUUID(), occurredAt: '2024-05-01T08:00:00.000Z' },
    ...overrides,
  });

  let store: EventStoreDbEventStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it.each([
    ['a single node', 'esdb://localhost:2113?tls=false'],
    ['a cluster', 'esdb://a:2113,b:2113,c:2113?nodePreference=leader'],
  ])('constructs from %s connection string without connecting', async (_, connection) => {
    store = new EventStoreDbEventStore(connection);
    expect(store).toBeInstanceOf(EventStoreDbEventStore);
  });

  it.each([
    ['no events', []],
    ['an id that is not a UUID', [newEvent({ id: 'not-a-uuid' })]],
    ['data that is not an object', [newEvent({ data: ['not', 'an', 'object'] })]],
  ])('refuses an append with %s before touching the network', async (_, events) => {
    store = new EventStoreDbEventStore('esdb://localhost:2113?tls=false');
    await expect(
      store.append('proposal-1', events as NewEvent[], { expectedRevision: 'no_stream' }),
    ).rejects.toBeInstanceOf(InvalidAppend);
  });

  it('refuses to append once closed', async () => {
    store = new EventStoreDbEventStore('esdb://localhost:2113?tls=false');
    await store.close();
    await expect(
      store.append('proposal-1', [newEvent()], { expectedRevision: 'any' }),
    ).rejects.toBeInstanceOf(EventStoreClosed);
  });

  it('ends a subscription taken after close without connecting', async () => {
    store = new EventStoreDbEventStore('esdb://localhost:2113?tls=false');
    await store.close();
    await expect(store.subscribe().next()).resolves.toEqual({ done: true, value: undefined });
  });
});
