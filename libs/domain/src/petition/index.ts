/** The petition context's public face: its commands, events, state and decider. */
export * from './commands';
export * from './events';
export * from './petition.decider';
export * from './state';
