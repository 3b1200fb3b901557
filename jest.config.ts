import type { Config } from 'jest';

// The suites run against the newest major of each framework by default. MAPP_S2S_EXPRESS=4 and
// MAPP_S2S_KOA=2 run them against the older major instead, installed under the aliases express4 and koa2.
// The mapping covers subpaths such as `koa/package.json`, so the drivers can check what they loaded.
const frameworkAliases: Record<string, string> = {};
if (process.env.MAPP_S2S_EXPRESS === '4') {
  frameworkAliases['^express(/.*)?$'] = 'express4$1';
}
if (process.env.MAPP_S2S_KOA === '2') {
  frameworkAliases['^koa(/.*)?$'] = 'koa2$1';
}

const config: Config = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Each test starts its own servers on 127.0.0.1; a hung socket must fail the test, not CI.
  testTimeout: 30000,
  moduleNameMapper: frameworkAliases,
};

export default config;
