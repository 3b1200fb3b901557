import type { Config } from 'jest';

const config: Config = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Each test starts its own servers on 127.0.0.1; a hung socket must fail the test, not CI.
  testTimeout: 30000,
  // MAPP_S2S_EXPRESS=4 runs the same suite against Express 4, installed under the alias express4.
  moduleNameMapper: process.env.MAPP_S2S_EXPRESS === '4' ? { '^express$': 'express4' } : {},
};

export default config;
