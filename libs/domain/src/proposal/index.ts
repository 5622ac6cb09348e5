/** The proposal context's public face: its commands, events, state and decider. */
export * from './commands';
export * from './events';
export * from './proposal.decider';
export { isMajorMatter } from './publication';
export * from './state';
