import { randomUUID } from 'node:crypto';
import type { Command, Decider, DomainEvent } from '@cunyi/domain';
import {
  EVENT_STORE,
  type EventStore,
  type ExpectedRevision,
  WrongExpectedRevision,
} from '@cunyi/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from './clock';
import type { CommandContext } from './command-context';

/**
 * A conflicting append means someone else changed the stream between our read and our write: the
 * command is decided again on the new state. Three attempts absorb ordinary contention (a busy
 * meeting's ballots); past that the caller gets CONFLICT and may retry.
 */
export const MAX_ATTEMPTS = 3;

export interface Loaded<S> {
  readonly state: S;
  /** The expected revision of the next append. */
  readonly revision: ExpectedRevision;
}

export interface Appended<E extends DomainEvent> {
  readonly events: readonly E[];
  readonly ids: readonly string[];
  /** Where the last event landed in the store: what a read-your-writes wait waits for. */
  readonly position: bigint;
}

/** Builds the command from the current state (and may refuse, e.g. on access), at instant `at`. */
export type CommandOf<C, S> = (state: S, at: string) => C | Promise<C>;

/** Several commands decided in turn on the evolving state, appended together or not at all. */
export type CommandsOf<C, S> = (state: S, at: string) => readonly C[] | Promise<readonly C[]>;

/** Load the stream, fold it, decide, append with the expected revision; retry on a conflict. */
@Injectable()
export class Aggregates {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async load<E extends DomainEvent, S>(
    stream: string,
    decider: Decider<Command, E, S>,
  ): Promise<Loaded<S>> {
    let state = decider.initialState();
    let revision: ExpectedRevision = 'no_stream';
    for await (const event of this.store.readStream(stream)) {
      state = decider.evolve(state, { type: event.type, data: event.data } as E);
      revision = event.revision;
    }
    return { state, revision };
  }

  execute<C extends Command, E extends DomainEvent, S>(
    stream: string,
    decider: Decider<C, E, S>,
    context: CommandContext,
    commandOf: CommandOf<C, S>,
  ): Promise<Appended<E>> {
    return this.executeAll(stream, decider, context, async (state, at) => [
      await commandOf(state, at),
    ]);
  }

  /** E.g. a roll import: every row's command is judged before anything is stored. */
  async executeAll<C extends Command, E extends DomainEvent, S>(
    stream: string,
    decider: Decider<C, E, S>,
    context: CommandContext,
    commandsOf: CommandsOf<C, S>,
  ): Promise<Appended<E>> {
    for (let attempt = 1; ; attempt++) {
      const { state, revision } = await this.load(stream, decider);
      const at = this.clock.now().toISOString();
      const events: E[] = [];
      let next = state;
      for (const command of await commandsOf(state, at)) {
        const decided = decider.decide(command, next);
        events.push(...decided);
        next = decided.reduce(decider.evolve, next);
      }
      if (events.length === 0) return { events, ids: [], position: 0n };
      const ids = events.map(() => randomUUID());
      try {
        const { position } = await this.store.append(
          stream,
          events.map((event, index) => ({
            id: ids[index] as string,
            type: event.type,
            data: event.data,
            metadata: {
              actor: {
                subject: context.actor.subject,
                role: context.actor.role,
                village: context.actor.villageId,
                township: context.actor.township,
              },
              correlationId: context.correlationId,
              causationId: context.causationId,
              occurredAt: at,
              channel: context.channel,
            },
          })),
          { expectedRevision: revision },
        );
        return { events, ids, position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevision) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}
