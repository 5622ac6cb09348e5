import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PubSub } from 'graphql-subscriptions';
import { Projections } from '../read-model/projections';

/**
 * GraphQL subscriptions are fed from the read model, once an event's rows are committed: a
 * subscriber is sent the view as a query would show it at that moment, never a half-applied one.
 * Events committed together (Projections applies what has arrived in one transaction) send each
 * topic one view, of the state after all of them: 200 ballots in one commit are one update, not
 * 200 copies of the same view. In-process: each replica's subscribers follow its own read model.
 */
@Injectable()
export class LiveUpdates implements OnModuleDestroy {
  private readonly pubsub = new PubSub();
  private readonly unsubscribes: (() => void)[] = [];
  /** Subscribers per topic: a view is computed only for a topic someone is listening to. */
  private readonly listeners = new Map<string, number>();
  /** Topics to publish once the events committed with the current one have all been told. */
  private readonly due = new Map<string, () => unknown>();

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
          if (!this.listeners.has(topic)) continue;
          if (this.due.size === 0) queueMicrotask(this.publishDue);
          this.due.set(topic, payload);
        }
      }),
    );
  }

  private readonly publishDue = () => {
    const due = [...this.due];
    this.due.clear();
    for (const [topic, payload] of due) void this.pubsub.publish(topic, payload());
  };

  listen<T>(topic: string): AsyncIterableIterator<T> {
    const iterator = this.pubsub.asyncIterableIterator<T>(topic);
    this.listeners.set(topic, (this.listeners.get(topic) ?? 0) + 1);
    const end = iterator.return.bind(iterator);
    let ended = false;
    // graphql-ws ends a subscription through return(): that is when the listener is gone.
    iterator.return = () => {
      if (!ended) {
        ended = true;
        const left = (this.listeners.get(topic) ?? 1) - 1;
        if (left === 0) this.listeners.delete(topic);
        else this.listeners.set(topic, left);
      }
      return end();
    };
    return iterator;
  }

  onModuleDestroy(): void {
    for (const unsubscribe of this.unsubscribes) unsubscribe();
  }
}
