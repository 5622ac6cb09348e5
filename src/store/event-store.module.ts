import {
  EVENT_STORE,
  type EventStore,
  type EventStoreSettings,
  openEventStore,
} from '@cunyi/event-store';
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

function settingsOf(config: AppConfig): EventStoreSettings {
  switch (config.eventStore) {
    case 'sqlite':
      return { kind: 'sqlite', dataDir: config.dataDir };
    case 'eventstoredb':
      // loadConfig refuses eventstoredb without a connection string.
      return {
        kind: 'eventstoredb',
        connectionString: config.eventStoreConnectionString as string,
      };
    case 'memory':
      return { kind: 'memory' };
  }
}

@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Promise<EventStore> => openEventStore(settingsOf(config)),
    },
    EventStoreLifecycle,
  ],
  exports: [EVENT_STORE],
})
export class EventStoreModule {}
