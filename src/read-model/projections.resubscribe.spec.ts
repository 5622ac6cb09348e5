import {
  MemoryEventStore,
  type StoredEvent,
  type SubscribeOptions,
  type Subscription,
} from '@cunyi/event-store';
import { newEvent } from '@cunyi/event-store/event-store.contract';
import type { Database } from 'better-sqlite3';
import { Projections } from './projections';
import type { Projector } from './projector';
import { openReadDatabase } from './read-database';

/** A store whose first subscription breaks after one event, as a lost connection would. */
class FlakyStore extends MemoryEventStore {
  opened = 0;
  override subscribe(options?: SubscribeOptions): Subscription {
    this.opened++;
    const inner = super.subscribe(options);
    if (this.opened > 1) return inner;
    let delivered = 0;
    return {
      close: () => inner.close(),
      next: async () => {
        if (delivered++ === 1) throw new Error('14 UNAVAILABLE: connection lost');
        return inner.next();
      },
      return: async () => {
        inner.close();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    } as Subscription;
  }
}

const counter: Projector = {
  name: 'counter',
  tables: ['seen'],
  schema: 'CREATE TABLE IF NOT EXISTS seen (position INTEGER PRIMARY KEY)',
  apply: (db: Database, event: StoredEvent) => {
    db.prepare('INSERT INTO seen (position) VALUES (?)').run(Number(event.position));
  },
};

describe('a projection that loses its subscription', () => {
  it('resubscribes from its checkpoint and applies every event exactly once', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => {});
    const store = new FlakyStore();
    const db = openReadDatabase('memory');
    const projections = new Projections(store, db, [counter]);
    for (let i = 0; i < 3; i++) {
      await store.append(`s-${i}`, [newEvent()], { expectedRevision: 'no_stream' });
    }
    await projections.start();
    expect(await projections.waitFor(3n, 5_000)).toBe(true);
    expect(store.opened).toBe(2);
    expect(projections.running).toBe(true);
    const seen = db.prepare('SELECT position FROM seen ORDER BY position').pluck().all();
    expect(seen).toEqual([1, 2, 3]);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('resubscribing'), expect.any(Error));
    await projections.stop();
    expect(projections.running).toBe(false);
    error.mockRestore();
  });
});
