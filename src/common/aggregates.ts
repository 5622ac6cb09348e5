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
 * A conflicting append means another process changed the stream between our read and our write
 * (commands in this process take turns per stream): the command is decided again on the new
 * state. Past three attempts the caller gets CONFLICT and may retry.
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

/** The id of the first appended event of this type: what a receipt is for. */
export function idOfEvent<E extends DomainEvent>(appended: Appended<E>, type: E['type']): string {
  const index = appended.events.findIndex((event) => event.type === type);
  const id = appended.ids[index];
  if (id === undefined) throw new Error(`no ${type} event was appended`);
  return id;
}

/** Builds the command from the current state (and may refuse, e.g. on access), at instant `at`. */
export type CommandOf<C, S> = (state: S, at: string) => C | Promise<C>;

/** Several commands decided in turn on the evolving state, appended together or not at all. */
export type CommandsOf<C, S> = (state: S, at: string) => readonly C[] | Promise<readonly C[]>;

/**
 * Folded states kept in memory, most recently used last. A busy meeting's stream grows with every
 * check-in and ballot; folding it from the start for each command would make the n-th ballot cost
 * n events. States are immutable values, so a kept one is only ever extended by the events after
 * it — read from the store every time, so appends by other processes are never missed.
 */
export const FOLDED_STREAMS_KEPT = 1_000;

interface Folded {
  readonly decider: unknown;
  readonly state: unknown;
  readonly revision: bigint;
}

@Injectable()
export class Aggregates {
  private readonly folded = new Map<string, Folded>();
  /** The last command queued on each stream; see inTurn. */
  private readonly turns = new Map<string, Promise<void>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async load<E extends DomainEvent, S>(
    stream: string,
    decider: Decider<Command, E, S>,
  ): Promise<Loaded<S>> {
    const kept = this.folded.get(stream);
    const known = kept?.decider === decider ? kept : undefined;
    let state = known === undefined ? decider.initialState() : (known.state as S);
    let revision: ExpectedRevision = known?.revision ?? 'no_stream';
    const from = known === undefined ? {} : { from: known.revision + 1n };
    for await (const event of this.store.readStream(stream, from)) {
      state = decider.evolve(state, { type: event.type, data: event.data } as E);
      revision = event.revision;
    }
    if (typeof revision === 'bigint') this.keep(stream, { decider, state, revision });
    return { state, revision };
  }

  private keep(stream: string, folded: Folded): void {
    this.folded.delete(stream);
    this.folded.set(stream, folded);
    if (this.folded.size > FOLDED_STREAMS_KEPT) {
      const oldest = this.folded.keys().next().value;
      if (oldest !== undefined) this.folded.delete(oldest);
    }
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
  executeAll<C extends Command, E extends DomainEvent, S>(
    stream: string,
    decider: Decider<C, E, S>,
    context: CommandContext,
    commandsOf: CommandsOf<C, S>,
  ): Promise<Appended<E>> {
    return this.inTurn(stream, () => this.decideAndAppend(stream, decider, context, commandsOf));
  }

  /**
   * Commands on one stream run one after another in this process: each is decided on the state
   * the previous one left, so a busy meeting's ballots never conflict with each other and no work
   * is decided twice. The expected revision still guards against other processes; their
   * conflicts are what the retries absorb.
   */
  private inTurn<T>(stream: string, work: () => Promise<T>): Promise<T> {
    const result = (this.turns.get(stream) ?? Promise.resolve()).then(work);
    const turn = result.then(
      () => undefined,
      () => undefined,
    );
    this.turns.set(stream, turn);
    void turn.then(() => {
      if (this.turns.get(stream) === turn) this.turns.delete(stream);
    });
    return result;
  }

  /** Load the stream (from the kept fold), decide, append at the expected revision; retry on a conflict. */
  private async decideAndAppend<C extends Command, E extends DomainEvent, S>(
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
        const { position, nextRevision } = await this.store.append(
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
        this.keep(stream, { decider, state: next, revision: nextRevision });
        return { events, ids, position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevision) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}
