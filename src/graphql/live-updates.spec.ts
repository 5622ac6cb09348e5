import { MemoryEventStore } from '@cunyi/event-store';
import { newEvent } from '@cunyi/event-store/event-store.contract';
import { Projections } from '../read-model/projections';
import { openReadDatabase } from '../read-model/read-database';
import { LiveUpdates } from './live-updates';

describe('LiveUpdates', () => {
  it('sends a topic one view for events committed together, and one per commit otherwise', async () => {
    const store = new MemoryEventStore();
    const db = openReadDatabase('memory');
    const projections = new Projections(store, db, []);
    const live = new LiveUpdates(projections);
    let views = 0;
    live.route((event) => [[`meeting:${event.stream}`, () => ++views]]);
    const updates = live.listen<number>('meeting:m1');
    await projections.start();
    try {
      // PubSub subscribes on the first next(), as graphql-ws calls it at once.
      const first = updates.next();
      const ballots = Array.from({ length: 200 }, () => newEvent('BallotCast'));
      const { position } = await store.append('m1', ballots, { expectedRevision: 'any' });
      await projections.waitFor(position, 1_000);
      expect(await first).toEqual({ done: false, value: 1 });
      const second = updates.next();

      // Nobody listens to m2: its view is never computed.
      await store.append('m2', [newEvent('BallotCast')], { expectedRevision: 'any' });
      const last = await store.append('m1', [newEvent('BallotCast')], { expectedRevision: 'any' });
      await projections.waitFor(last.position, 1_000);
      expect(await second).toEqual({ done: false, value: 2 });
      expect(views).toBe(2);
    } finally {
      await updates.return?.();
      await projections.stop();
      db.close();
    }
  });
});
