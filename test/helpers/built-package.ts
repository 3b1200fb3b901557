import { execFile } from 'node:child_process';
import { statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export const REPO_ROOT = path.resolve(__dirname, '../..');

const execFileAsync = promisify(execFile);

/** Run a program and return its standard output. A failed run rejects with both of its outputs, as tsc reports on stdout. */
export async function run(file: string, args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync(file, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${[file, ...args].join(' ')} failed in ${cwd}:\n${stdout}${stderr}`);
  }
}

/**
 * Fail early when dist/ is missing or older than src/, because these tests check the built package.
 * `bash scripts/test.sh` builds it first; under plain `npx jest`, run `npm run build` before.
 */
export function assertBuildIsCurrent(): void {
  const builtAt = statSync(path.join(REPO_ROOT, 'dist/cjs/index.js'), { throwIfNoEntry: false })?.mtimeMs;
  if (builtAt === undefined) {
    throw new Error('dist/ is missing: run `npm run build` before these tests');
  }

  const newerSource = listFiles(path.join(REPO_ROOT, 'src')).find((file) => statSync(file).mtimeMs > builtAt);
  if (newerSource) {
    throw new Error(`dist/ is older than ${path.relative(REPO_ROOT, newerSource)}: run \`npm run build\` before these tests`);
  }
}

function listFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}
