import { EVENT_STORE, type EventStore } from '@cunyi/event-store';
import {
  type DynamicModule,
  Global,
  type INestApplicationContext,
  Module,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Database } from 'better-sqlite3';
import { AuthModule } from '../auth/auth.module';
import type { Clock } from '../common/clock';
import { CommonModule } from '../common/common.module';
import type { AppConfig } from '../config/config';
import { ConfigModule } from '../config/config.module';
import { MeetingsModule } from '../meetings/meetings.module';
import { ProposalsModule } from '../proposals/proposals.module';
import { PROJECTORS } from '../read-model/all-projectors';
import { Projections } from '../read-model/projections';
import { openReadDatabase } from '../read-model/read-database';
import { READ_DATABASE, ReadYourWrites } from '../read-model/read-model.module';
import { EventStoreModule } from '../store/event-store.module';
import { TransparencyModule } from '../transparency/transparency.module';
import { VillagesModule } from '../villages/villages.module';
import { CliError, type Io } from './io';

/**
 * The CLI's stand-in for ReadModelModule: the same providers, over the read database the command
 * picks (see openContext), and never started on its own. ReadModelModule would open the server's
 * read-model.db and project into it at bootstrap; a server running at the same time projects into
 * it too, and the two would apply the same events twice.
 */
@Global()
@Module({})
class CliReadModelModule {
  static forRoot(db: Database, io: Io): DynamicModule {
    return {
      module: CliReadModelModule,
      providers: [
        { provide: READ_DATABASE, useValue: db },
        {
          provide: Projections,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) =>
            new Projections(store, db, PROJECTORS, {
              onError: (error, event) =>
                io.stderr.write(
                  `cunyi: the read model stopped at ${event.type} (position ${event.position}): ${String(error)}\n`,
                ),
            }),
        },
        ReadYourWrites,
      ],
      exports: [READ_DATABASE, Projections, ReadYourWrites],
    };
  }
}

/** What the commands use: the command handlers and queries the GraphQL resolvers use, no HTTP. */
@Module({})
class CliModule {
  static forRoot(config: AppConfig, db: Database, io: Io, clock?: Clock): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule.forRoot(clock),
        EventStoreModule,
        CliReadModelModule.forRoot(db, io),
        AuthModule,
        TransparencyModule.forRoot({ follow: false }),
        VillagesModule,
        ProposalsModule,
        MeetingsModule,
      ],
    };
  }
}

/** Just the event store: `projections rebuild` builds its own Projections over the file. */
@Module({})
class StoreOnlyModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: StoreOnlyModule,
      imports: [ConfigModule.forRoot(config), EventStoreModule],
    };
  }
}

export interface CliContext {
  get<T>(token: Type<T> | symbol): T;
  readonly store: EventStore;
  readonly projections: Projections;
  /** Stops the projections, closes the context (the event store last) and the read database. */
  close(): Promise<void>;
}

export interface ContextOptions {
  /**
   * The read database, closed with the context. By default a private in-memory one, left empty:
   * commands write to the store only, and whoever reads starts the projections (a full replay).
   */
  readonly db?: Database;
  /** The demo backdates its history (see demo.ts); everything else runs on the system clock. */
  readonly clock?: Clock;
}

const NEST_OPTIONS = { logger: false, abortOnError: false } as const;

export async function openContext(
  config: AppConfig,
  io: Io,
  options: ContextOptions = {},
): Promise<CliContext> {
  const db = options.db ?? openReadDatabase('memory');
  let app: INestApplicationContext;
  try {
    app = await NestFactory.createApplicationContext(
      CliModule.forRoot(config, db, io, options.clock),
      NEST_OPTIONS,
    );
  } catch (error) {
    db.close();
    throw error;
  }
  const projections = app.get(Projections);
  return {
    get: <T>(token: Type<T> | symbol) => app.get<T>(token, { strict: false }),
    store: app.get<EventStore>(EVENT_STORE),
    projections,
    async close() {
      try {
        await projections.stop();
        await app.close();
      } finally {
        db.close();
      }
    },
  };
}

/** The event store alone, closed by the returned function. */
export async function openStore(
  config: AppConfig,
): Promise<{ store: EventStore; close: () => Promise<void> }> {
  const app = await NestFactory.createApplicationContext(
    StoreOnlyModule.forRoot(config),
    NEST_OPTIONS,
  );
  return { store: app.get<EventStore>(EVENT_STORE), close: () => app.close() };
}

/** The CLI writes events for a server to serve later; a memory store would lose them on exit. */
export function requirePersistentStore(config: AppConfig, what: string): void {
  if (config.eventStore === 'memory') {
    throw new CliError(
      `${what} needs a store that outlives the command: EVENT_STORE=memory keeps nothing once it exits (use sqlite or eventstoredb)`,
    );
  }
}

/**
 * The server's read database (read-model.db in DATA_DIR), held for this process alone, or
 * undefined when another process — a running server — has it open. Held: SQLite's exclusive
 * locking mode keeps the lock until the connection closes, so a server cannot start projecting
 * into it halfway through (it waits, then fails to open it).
 */
export function claimSharedReadDatabase(config: AppConfig): Database | undefined {
  let db: Database;
  try {
    db = openReadDatabase({ dataDir: config.dataDir });
  } catch (error) {
    // Another CLI holds it exclusively (a rebuild, an export).
    if (isBusy(error)) return undefined;
    throw error;
  }
  const busyTimeout = db.pragma('busy_timeout', { simple: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write transaction in exclusive mode takes the lock and keeps it.
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    db.pragma(`busy_timeout = ${Number(busyTimeout)}`);
    return db;
  } catch (error) {
    db.close();
    if (isBusy(error)) return undefined;
    throw error;
  }
}

/**
 * By its code, not by `instanceof`: better-sqlite3's native addon is loaded once per process and
 * keeps the error class of whoever loaded it first, which need not be this realm's (a Jest worker
 * running several test files, a second module registry).
 */
export function isBusy(error: unknown): boolean {
  for (
    let cause = error;
    typeof cause === 'object' && cause !== null;
    cause = (cause as { cause?: unknown }).cause
  ) {
    const { code } = cause as { code?: unknown };
    // Extended codes too (SQLITE_BUSY_RECOVERY, SQLITE_BUSY_SNAPSHOT …): all mean "held elsewhere".
    if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return true;
  }
  return false;
}
