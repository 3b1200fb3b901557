import type { Config } from 'jest';

const config: Config = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Each test starts its own servers on 127.0.0.1; a hung socket must fail the test, not CI.
  testTimeout: 30000,
};

export default config;
