import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Flush a directory's entries to disk, so that a file renamed into it survives a power loss. Windows
 * cannot open a directory for fsync, and NTFS journals renames itself, so there it does nothing.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') {
    return;
  }
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

interface DirectoryState {
  running: Promise<void> | undefined;
  next: Promise<void> | undefined;
}

/**
 * Group commit of directory fsyncs. A caller needs an fsync that starts after its own rename, so callers
 * arriving while one runs share the next one. A burst of 1,000 accepted orders then costs a handful of
 * directory fsyncs instead of 1,000.
 */
export class DirectorySync {
  private readonly states = new Map<string, DirectoryState>();

  sync(dir: string): Promise<void> {
    let state = this.states.get(dir);
    if (state === undefined) {
      state = { running: undefined, next: undefined };
      this.states.set(dir, state);
    }

    if (state.next !== undefined) {
      return state.next;
    }
    if (state.running === undefined) {
      return this.start(dir, state);
    }

    const waitFor = state.running;
    const next = waitFor.catch(() => undefined).then(() => {
      (state as DirectoryState).next = undefined;
      return this.start(dir, state as DirectoryState);
    });
    state.next = next;
    return next;
  }

  private start(dir: string, state: DirectoryState): Promise<void> {
    const running = fsyncDirectory(dir).finally(() => {
      if (state.running === running) {
        state.running = undefined;
      }
    });
    state.running = running;
    return running;
  }
}

/**
 * Write `data` to `targetPath` so that a crash leaves either the whole file or none: write and fsync a
 * temporary file, rename it over the target, then fsync the target's directory.
 */
export async function writeFileAtomic(tmpPath: string, targetPath: string, data: string, directories: DirectorySync): Promise<void> {
  try {
    const handle = await fs.open(tmpPath, 'wx');
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmpPath, targetPath);
  } catch (error) {
    await fs.rm(tmpPath, { force: true });
    throw error;
  }
  await directories.sync(path.dirname(targetPath));
}

/** Check whether an error from node:fs has the given code, such as `ENOENT`. */
export function hasErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}
