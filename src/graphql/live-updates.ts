import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PubSub } from 'graphql-subscriptions';
import { Projections } from '../read-model/projections';

/**
 * GraphQL subscriptions are fed from the read model, after each event's rows are committed: a
 * subscriber is sent the view as a query would show it at that moment, never a half-applied one.
 * In-process: each replica's subscribers follow that replica's own read model.
 */
@Injectable()
export class LiveUpdates implements OnModuleDestroy {
  private readonly pubsub = new PubSub();
  private readonly unsubscribes: (() => void)[] = [];

  constructor(private readonly projections: Projections) {}

  /** `topicsOf` names the topics an event concerns and the payload each gets. */
  route(
    topicsOf: (
      event: Parameters<Parameters<Projections['onApplied']>[0]>[0],
    ) => [string, () => unknown][],
  ): void {
    this.unsubscribes.push(
      this.projections.onApplied((event) => {
        for (const [topic, payload] of topicsOf(event)) {
          void this.pubsub.publish(topic, payload());
        }
      }),
    );
  }

  listen<T>(topic: string): AsyncIterableIterator<T> {
    return this.pubsub.asyncIterableIterator<T>(topic);
  }

  onModuleDestroy(): void {
    for (const unsubscribe of this.unsubscribes) unsubscribe();
  }
}
