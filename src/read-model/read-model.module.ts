import { EVENT_STORE, type EventStore } from '@cunyi/event-store';
import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { PROJECTORS } from './all-projectors';
import { Projections } from './projections';
import { openReadDatabase } from './read-database';

export const READ_DATABASE = Symbol('READ_DATABASE');

/**
 * The read database lives next to the sqlite store; the memory store gets a memory one. The server
 * holds it exclusively for as long as it runs: it is this process's own projection of the store,
 * and a second writer (a CLI rebuild, another server on the same DATA_DIR) would apply events
 * twice. Anyone else who opens it is told it is busy, reliably, not only while a write is on.
 */
export function readDatabaseFor(config: Pick<AppConfig, 'eventStore' | 'dataDir'>): Database {
  const db = openReadDatabase(
    config.eventStore === 'memory' ? 'memory' : { dataDir: config.dataDir },
  );
  db.pragma('locking_mode = EXCLUSIVE');
  db.exec('BEGIN EXCLUSIVE; COMMIT');
  return db;
}

/**
 * Read-your-writes: a mutation answers once the read model has applied its own append, or after
 * READ_YOUR_WRITES_TIMEOUT_MS with `caughtUp: false` and the position it waited for.
 */
@Injectable()
export class ReadYourWrites {
  constructor(
    private readonly projections: Projections,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async after(position: bigint): Promise<{ position: string; caughtUp: boolean }> {
    const caughtUp = await this.projections.waitFor(position, this.config.readYourWritesTimeoutMs);
    return { position: position.toString(), caughtUp };
  }
}

@Injectable()
class ProjectionsLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly projections: Projections,
    @Inject(READ_DATABASE) private readonly db: Database,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projections.start();
  }

  /** Runs before the event store closes (this module is torn down first). */
  async onApplicationShutdown(): Promise<void> {
    await this.projections.stop();
    this.db.close();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: READ_DATABASE,
      inject: [APP_CONFIG],
      useFactory: readDatabaseFor,
    },
    {
      provide: Projections,
      inject: [EVENT_STORE, READ_DATABASE],
      useFactory: (store: EventStore, db: Database) => {
        const logger = new Logger('Projections');
        return new Projections(store, db, PROJECTORS, {
          onError: (error, event) =>
            logger.error(
              `projection stopped at ${event.type} (position ${event.position}): ${String(error)}`,
            ),
        });
      },
    },
    ReadYourWrites,
    ProjectionsLifecycle,
  ],
  exports: [READ_DATABASE, Projections, ReadYourWrites],
})
export class ReadModelModule {}
