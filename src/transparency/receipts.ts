import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import type { Projections } from '../read-model/projections';
import { LOG_PROJECTIONS } from './log-projections';
import type { Receipt } from './transparency.types';
import { TransparencyLog } from './transparency-log';

/**
 * The receipt of a villager's act (a ballot, a check-in, a signature): where its event sits in the
 * log. Waits, as read-your-writes does, for the log to reach the append; after the same bound it
 * answers with the event id alone, which `receipt` completes later.
 */
@Injectable()
export class Receipts {
  constructor(
    private readonly log: TransparencyLog,
    @Inject(LOG_PROJECTIONS) private readonly projections: Projections,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async after(eventId: string, position: bigint): Promise<Receipt> {
    await this.projections.waitFor(position, this.config.readYourWritesTimeoutMs);
    return this.of(eventId);
  }

  of(eventId: string): Receipt {
    const leaf = this.log.leafOf(eventId);
    return {
      eventId,
      leafIndex: leaf?.leafIndex ?? null,
      leafHash: leaf?.hash.toString('hex') ?? null,
    };
  }
}
