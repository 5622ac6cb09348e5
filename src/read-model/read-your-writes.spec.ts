import { MemoryEventStore } from '@cunyi/event-store';
import { newEvent } from '@cunyi/event-store/event-store.contract';
import type { AppConfig } from '../config/config';
import { Projections } from './projections';
import { openReadDatabase } from './read-database';
import { ReadYourWrites } from './read-model.module';

describe('read-your-writes', () => {
  const config = { readYourWritesTimeoutMs: 50 } as AppConfig;

  it('answers once the read model has applied the append, with its position', async () => {
    const store = new MemoryEventStore();
    const projections = new Projections(store, openReadDatabase('memory'), []);
    await projections.start();
    const { position } = await store.append('village-a', [newEvent('VillageRegistered')], {
      expectedRevision: 'no_stream',
    });
    await expect(new ReadYourWrites(projections, config).after(position)).resolves.toEqual({
      position: position.toString(),
      caughtUp: true,
    });
    await projections.stop();
  });

  it('still answers after the bounded wait, saying it has not caught up', async () => {
    const store = new MemoryEventStore();
    const projections = new Projections(store, openReadDatabase('memory'), []);
    const { position } = await store.append('village-a', [newEvent('VillageRegistered')], {
      expectedRevision: 'no_stream',
    });
    await expect(new ReadYourWrites(projections, config).after(position)).resolves.toEqual({
      position: position.toString(),
      caughtUp: false,
    });
  });
});
