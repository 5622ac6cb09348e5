/**
 * A decider is three pure functions (Emmett's shape): `decide` turns a command and the current
 * state into the events that record what happened, or refuses with a DomainError; `evolve` folds
 * one event into the state; `initialState` is the state of a stream with no events.
 * No clock and no id generator inside: commands carry the time (`at`) and any new ids.
 */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  readonly type: Type;
  readonly data: Data;
}

export interface Command<Type extends string = string, Data extends object = object> {
  readonly type: Type;
  readonly data: Data;
}

export interface Decider<C extends Command, E extends DomainEvent, S> {
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
  initialState(): S;
}

/** The state after a history of events. */
export function fold<C extends Command, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  events: readonly E[],
): S {
  return events.reduce(decider.evolve, decider.initialState());
}
