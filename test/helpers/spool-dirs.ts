import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Jest loads this module once per test file, so each file has its own list.
const created: string[] = [];

/** Create an empty temporary directory for a spool; `removeSpoolDirs()` deletes it. */
export function makeSpoolDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mapp-s2s-spool-'));
  created.push(dir);
  return dir;
}

/** Delete every directory `makeSpoolDir()` created in this test file so far. */
export function removeSpoolDirs(): void {
  for (const dir of created.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
}
