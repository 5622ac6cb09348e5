import { EVENT_STORE, type EventStore } from '@cunyi/event-store';
import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Projections } from '../read-model/projections';
import { LOG_PROJECTIONS } from '../transparency/log-projections';

/** How long /ready waits for the store before calling it unreachable. */
const READY_TIMEOUT_MS = 2_000;

@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: Projections,
    @Inject(LOG_PROJECTIONS) private readonly log: Projections,
  ) {}

  /** Liveness: the process answers. */
  @Get('health')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /**
   * Readiness: the event store answers a one-event read, and the read model and the transparency
   * log are following it (stopped, every mutation would wait out its read-your-writes timeout,
   * reads go stale, and receipts come without a leaf).
   */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.eventStoreReachable(),
      () => this.following('readModel', this.projections),
      () => this.following('transparencyLog', this.log),
    ]);
  }

  private following(name: string, projections: Projections) {
    const indicator = this.indicators.check(name);
    const position = projections.position.toString();
    return projections.running
      ? indicator.up({ position })
      : indicator.down({ message: `the ${name} has stopped following the store`, position });
  }

  private async eventStoreReachable() {
    const indicator = this.indicators.check('eventStore');
    try {
      await withTimeout(readOne(this.store), READY_TIMEOUT_MS);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}

async function readOne(store: EventStore): Promise<void> {
  for await (const _ of store.readAll({ maxCount: 1 })) break;
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
