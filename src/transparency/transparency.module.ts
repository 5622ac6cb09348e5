import { EVENT_STORE } from '@cunyi/event-store';
import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { CLOCK, type Clock } from '../common/clock';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import type { Projections } from '../read-model/projections';
import { transparencyLogProjector } from './log.projector';
import { openLogDatabase } from './log-database';
import { LOG_DATABASE, LOG_PROJECTIONS, logProjections } from './log-projections';
import { Receipts } from './receipts';
import { loadSigningKey, SIGNING_KEY_TOKEN, type SigningKey } from './signing-key';
import { TransparencyResolver } from './transparency.resolver';
import { TransparencyLog } from './transparency-log';
import { TreeHeads } from './tree-heads';

/**
 * Signs tree heads by policy: once TREE_HEAD_EVERY_EVENTS events are logged since the last head,
 * and every TREE_HEAD_EVERY_SECONDS while the log grows. On demand too, through `signTreeHead`.
 */
/** The unfollowed log: closed with the context. */
@Injectable()
class ClosesLog implements OnApplicationShutdown {
  constructor(@Inject(LOG_DATABASE) private readonly db: Database) {}

  onApplicationShutdown(): void {
    this.db.close();
  }
}

@Injectable()
class LogLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TransparencyLog');
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(LOG_PROJECTIONS) private readonly projections: Projections,
    @Inject(LOG_DATABASE) private readonly db: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly heads: TreeHeads,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe = this.projections.onApplied(() => {
      if (this.heads.unsigned >= this.config.treeHeadEveryEvents) this.sign();
    });
    this.timer = setInterval(() => {
      if (this.heads.unsigned > 0) this.sign();
    }, this.config.treeHeadEverySeconds * 1000);
    this.timer.unref();
    await this.projections.start();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.projections.stop();
    this.db.close();
  }

  private sign(): void {
    try {
      this.heads.sign();
    } catch (error) {
      this.logger.error(`could not sign a tree head: ${String(error)}`);
    }
  }
}

/**
 * The log, its signed heads and receipts, for everyone. `follow`: the server's own log, in
 * DATA_DIR/transparency-log.db, following the store and signed by policy. Without it (the CLI's
 * command context, whose handlers need the providers but never the log) a private, empty one in
 * memory: two processes appending to one log would write each leaf twice. The CLI's audit commands
 * open the server's log file themselves (src/cli/audit.ts).
 */
@Global()
@Module({})
export class TransparencyModule {
  static forRoot(options: { readonly follow: boolean }): DynamicModule {
    return {
      module: TransparencyModule,
      providers: [
        {
          provide: LOG_DATABASE,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => {
            const db = openLogDatabase(
              options.follow ? config : { ...config, eventStore: 'memory' },
            );
            db.exec(transparencyLogProjector.schema);
            return db;
          },
        },
        {
          provide: LOG_PROJECTIONS,
          inject: [EVENT_STORE, LOG_DATABASE],
          useFactory: logProjections,
        },
        { provide: SIGNING_KEY_TOKEN, inject: [APP_CONFIG], useFactory: loadSigningKey },
        {
          provide: TransparencyLog,
          inject: [LOG_DATABASE],
          useFactory: (db: Database) => new TransparencyLog(db),
        },
        {
          provide: TreeHeads,
          inject: [LOG_DATABASE, TransparencyLog, SIGNING_KEY_TOKEN, CLOCK],
          useFactory: (db: Database, log: TransparencyLog, key: SigningKey, clock: Clock) =>
            new TreeHeads(db, log, key, clock),
        },
        Receipts,
        options.follow ? LogLifecycle : ClosesLog,
        TransparencyResolver,
      ],
      exports: [TransparencyLog, TreeHeads, Receipts, SIGNING_KEY_TOKEN, LOG_PROJECTIONS],
    };
  }
}
