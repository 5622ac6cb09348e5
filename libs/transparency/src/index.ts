export * from './canonical';
export * from './memory-tree';
export * from './merkle';
export * from './tree-head';
