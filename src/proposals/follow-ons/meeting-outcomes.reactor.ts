import { DomainError, type meeting } from '@cunyi/domain';
import {
  EVENT_STORE,
  type EventStore,
  type StoredEvent,
  type Subscription,
} from '@cunyi/event-store';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Database, Statement } from 'better-sqlite3';
import type { Actor, Role } from '../../auth/actor';
import { type CommandContext, commandContext } from '../../common/command-context';
import { READ_DATABASE } from '../../read-model/read-model.module';
import { MeetingFollowOns } from './meeting-follow-ons';

const CHECKPOINT = 'reactor:meeting-outcomes';
/** After a failure that may pass (a conflict, the store away), the event is tried again. */
const RETRY_MS = 1_000;

/**
 * Follows the store and makes sure each meeting's convening and decisions reach their proposals
 * (MeetingFollowOns), whatever happened to the command that stored them. Its checkpoint lives in
 * the read database, in a row `projections rebuild` leaves alone; a read model deleted outright
 * replays it from the start, which changes nothing, since every follow-on is idempotent.
 */
@Injectable()
export class MeetingOutcomes implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('MeetingOutcomes');
  private readonly read: Statement<[string], { position: string }>;
  private readonly write: Statement<[string, string]>;
  private subscription: Subscription | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DATABASE) db: Database,
    private readonly followOns: MeetingFollowOns,
  ) {
    this.read = db.prepare('SELECT position FROM checkpoint WHERE name = ?');
    this.write = db.prepare(
      `INSERT INTO checkpoint (name, position) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
    );
  }

  onApplicationBootstrap(): void {
    this.running = this.follow();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.subscription?.close();
    await this.running;
  }

  private async follow(): Promise<void> {
    while (!this.stopping) {
      const from = BigInt(this.read.get(CHECKPOINT)?.position ?? '0');
      this.subscription = this.store.subscribe({ fromPosition: from });
      try {
        for await (const event of this.subscription) {
          await this.handle(event);
          this.write.run(CHECKPOINT, event.position.toString());
        }
        return;
      } catch (error) {
        if (this.stopping) return;
        this.logger.warn(`retrying from ${from} after: ${String(error)}`);
        this.subscription.close();
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS).unref());
      }
    }
  }

  private async handle(event: StoredEvent): Promise<void> {
    if (event.type !== 'MeetingConvened' && event.type !== 'ItemDecided') return;
    const cause = causeOf(event);
    try {
      if (event.type === 'MeetingConvened') {
        await this.followOns.table(event.data as meeting.MeetingConvened['data'], cause);
      } else {
        await this.followOns.resolve(event.data as meeting.ItemDecided['data'], cause);
      }
    } catch (error) {
      // A refusal is final: retrying cannot change it. It stays in the log for the supervisors.
      if (!(error instanceof DomainError)) throw error;
      this.logger.warn(
        `${event.type} #${event.position} could not reach its proposal: ${error.code} ${error.message}`,
      );
    }
  }
}

/** The follow-on is given by whoever gave the command, caused by the event, on the reactor's channel. */
function causeOf(event: StoredEvent): CommandContext {
  const recorded = event.metadata.actor as
    | { subject: string; role: string; village?: string; township?: string }
    | undefined;
  const actor: Actor = {
    subject: recorded?.subject ?? 'system',
    role: (recorded?.role ?? 'CLERK') as Role,
    ...(recorded?.village === undefined ? {} : { villageId: recorded.village }),
    ...(recorded?.township === undefined ? {} : { township: recorded.township }),
  };
  return {
    ...commandContext(actor, { channel: 'reactor' }),
    correlationId: event.metadata.correlationId,
    causationId: event.id,
  };
}
