import { EVENT_STORE, type EventStore, openEventStore } from '@cunyi/event-store';
import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

/** Closes the store last on shutdown: after the HTTP server has stopped taking requests. */
@Injectable()
class EventStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Promise<EventStore> =>
        openEventStore(
          config.eventStore === 'eventstoredb'
            ? {
                kind: 'eventstoredb',
                connectionString: config.eventStoreConnectionString as string,
              }
            : config.eventStore === 'sqlite'
              ? { kind: 'sqlite', dataDir: config.dataDir }
              : { kind: 'memory' },
        ),
    },
    EventStoreLifecycle,
  ],
  exports: [EVENT_STORE],
})
export class EventStoreModule {}
