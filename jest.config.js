/**
 * NestJS 12 and some of its dependencies ship only ES modules. The app is CommonJS and loads them
 * through Node's require(esm) (Node >= 20.19); Jest's module system cannot do that before
 * Node 24.9, so Jest compiles those packages to CommonJS once (cached), with TypeScript's transpiler.
 */
const esmOnly = [
  '@nestjs',
  'file-type',
  'strtok3',
  'token-types',
  'uint8array-extras',
  '@tokenizer',
  'jose',
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/test/bench/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }],
    '^.+\\.js$': '<rootDir>/test/support/esm-to-cjs.js',
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper: {
    '^@cunyi/event-store$': '<rootDir>/libs/event-store/src',
    '^@cunyi/event-store/(.*)$': '<rootDir>/libs/event-store/src/$1',
    '^@cunyi/domain$': '<rootDir>/libs/domain/src',
    '^@cunyi/domain/(.*)$': '<rootDir>/libs/domain/src/$1',
    '^@cunyi/transparency$': '<rootDir>/libs/transparency/src',
    '^@cunyi/transparency/(.*)$': '<rootDir>/libs/transparency/src/$1',
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 30000,
};
