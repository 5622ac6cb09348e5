/** The meeting context's public face: its commands, events, state and decider, and the quorum and tally read by views. */
export * from './commands';
export * from './events';
export * from './meeting.decider';
export * from './state';
export * from './tally';
