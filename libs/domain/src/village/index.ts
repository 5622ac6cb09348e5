/** The village context's public face: its commands, events, state and decider, and the roll read by other contexts. */
export * from './commands';
export * from './events';
export * from './roll';
export * from './state';
export * from './village.decider';
