export const TEST = 1;
