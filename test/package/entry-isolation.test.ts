import { assertBuildIsCurrent, REPO_ROOT, run } from '../helpers/built-package';

// A child process loads one entry point of the built package by its name (the package refers to itself
// through its "exports"), then a framework as a control, and prints the packages under node_modules that
// it loaded. CommonJS modules loaded through import are in the same module cache.
const LIST_LOADED = `
  const names = Object.keys(createRequire(process.cwd() + '/').cache)
    .map((file) => /node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(file)?.[1])
    .filter(Boolean);
  console.log(JSON.stringify([...new Set(names)]));`;

async function packagesLoadedBy(moduleType: 'commonjs' | 'module', entry: string, control: string): Promise<string[]> {
  const script = moduleType === 'commonjs'
    ? `const { createRequire } = require('node:module'); require('${entry}'); require('${control}');${LIST_LOADED}`
    : `import { createRequire } from 'node:module'; import '${entry}'; import '${control}';${LIST_LOADED}`;
  const output = await run(process.execPath, ['--input-type', moduleType, '--eval', script], REPO_ROOT);
  return JSON.parse(output) as string[];
}

beforeAll(() => {
  assertBuildIsCurrent();
});

describe('entry point isolation', () => {
  it.each([
    ['commonjs', 'mapp-s2s/koa', 'koa', 'express'],
    ['commonjs', 'mapp-s2s', 'express', 'koa'],
    ['module', 'mapp-s2s/koa', 'koa', 'express'],
    ['module', 'mapp-s2s', 'express', 'koa'],
  ] as const)('%s load of %s skips its other framework', async (moduleType, entry, framework, otherFramework) => {
    const loaded = await packagesLoadedBy(moduleType, entry, framework);
    expect(loaded).toContain(framework);
    expect(loaded).not.toContain(otherFramework);
  });
});
