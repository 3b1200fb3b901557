// Builds the package: the CommonJS build with declarations from tsc, then one ESM wrapper per entry point
// that re-exports the CommonJS build, so both module systems share one copy of the code and its state.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

// Entry points of package.json "exports", by their file under dist/cjs without the extension.
const ENTRY_POINTS = ['index', 'koa/index', 'testing/index'];

fs.rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});

for (const entry of ENTRY_POINTS) {
  const cjsFile = path.join(dist, 'cjs', `${entry}.js`);
  const esmFile = path.join(dist, 'esm', `${entry}.mjs`);
  const fromEsm = path.relative(path.dirname(esmFile), cjsFile).split(path.sep).join('/');
  // An explicit list of names does not depend on Node detecting the names of a CommonJS module.
  const names = Object.keys(require(cjsFile)).filter((name) => name !== '__esModule').sort();

  fs.mkdirSync(path.dirname(esmFile), { recursive: true });
  fs.writeFileSync(esmFile, [
    `import build from '${fromEsm}';`,
    '',
    `export const { ${names.join(', ')} } = build;`,
    '',
  ].join('\n'));
  fs.writeFileSync(esmFile.replace(/\.mjs$/, '.d.mts'), `export * from '${fromEsm}';\n`);
}
