export * from './rule-book/threshold';
export * from './rule-book/vcol-2018';
export * from './shared/decider';
export * from './shared/domain-error';
export * from './shared/time';
