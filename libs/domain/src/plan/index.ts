/** The plan context's public face: its commands, events, state and decider. */
export * from './commands';
export * from './events';
export * from './plan.decider';
export * from './state';
