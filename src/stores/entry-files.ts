import { createHash, randomUUID } from 'node:crypto';
import { accessSync, constants as fsConstants, mkdirSync } from 'node:fs';
import { open, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Contents of an entry file: its order ID, its expiry time and, for visitors, the context. */
export interface EntryRecord {
  orderId: string;
  /** Epoch milliseconds after which the entry no longer counts. */
  expiresAt: number;
  context?: unknown;
}

export type EntryReading =
  | { kind: 'absent' }
  | { kind: 'entry'; record: EntryRecord }
  /** The file exists but contains no valid record, because it is still being written or a crash damaged it. */
  | { kind: 'unreadable'; ageMs: number };

/**
 * Time in milliseconds during which an unreadable entry file, or a lock or temporary file, may still belong
 * to a write in progress. Older ones are debris of a crash and count as expired.
 */
export const WRITE_GRACE_MS = 10_000;

/** Test whether an entry no longer counts: absent, expired, or unreadable past the grace time. */
export function isFree(reading: EntryReading, now: number): boolean {
  switch (reading.kind) {
    case 'absent':
      return true;
    case 'entry':
      return reading.record.expiresAt <= now;
    case 'unreadable':
      return reading.ageMs > WRITE_GRACE_MS;
  }
}

/**
 * One directory of entry files, one file per order ID. Each file name starts with a prefix, so a claim
 * store and a visitor store can share one directory.
 */
export class EntryFiles {
  constructor(private readonly dir: string, private readonly prefix: string) {
    // Entries hold visitor IPs and user agents, so only the shop's own user may read them.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, fsConstants.R_OK | fsConstants.W_OK | fsConstants.X_OK);
  }

  pathFor(orderId: string): string {
    // A hash keeps any order ID (slashes, dots, 255 characters) a safe file name of fixed length.
    const hash = createHash('sha256').update(orderId).digest('hex');
    return join(this.dir, `${this.prefix}${hash}.json`);
  }

  async read(path: string): Promise<EntryReading> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (hasCode(error, 'ENOENT')) {
        return { kind: 'absent' };
      }
      throw error;
    }

    const record = parseRecord(text);
    if (record) {
      return { kind: 'entry', record };
    }
    const ageMs = await this.ageMs(path);
    return ageMs === undefined ? { kind: 'absent' } : { kind: 'unreadable', ageMs };
  }

  /** Create the file only if it does not exist (`O_EXCL`): resolves false when it already exists. */
  async createExclusive(path: string, record: EntryRecord): Promise<boolean> {
    let handle;
    try {
      handle = await open(path, 'wx', 0o600);
    } catch (error) {
      if (hasCode(error, 'EEXIST')) {
        return false;
      }
      throw error;
    }

    try {
      await handle.writeFile(JSON.stringify(record));
    } catch (error) {
      // An empty file would hold the order ID until the grace time passes; the caller gets the error instead.
      await handle.close();
      await this.remove(path);
      throw error;
    }
    await handle.close();
    return true;
  }

  /** Write the file whole or not at all: a temporary file renamed over it, so a reader never sees half. */
  async replace(path: string, record: EntryRecord): Promise<void> {
    const temporary = `${path}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, JSON.stringify(record), { mode: 0o600 });
      await rename(temporary, path);
    } catch (error) {
      await this.remove(temporary);
      throw error;
    }
  }

  async remove(path: string): Promise<void> {
    try {
      await unlink(path);
    } catch (error) {
      if (!hasCode(error, 'ENOENT')) {
        throw error;
      }
    }
  }

  /** Remove the entry file when it no longer counts. Resolves true when the order ID is free now. */
  async removeIfFree(path: string): Promise<boolean> {
    if (!isFree(await this.read(path), Date.now())) {
      return false;
    }
    await this.remove(path);
    return true;
  }

  /**
   * Run an action while holding the lock file `<path>.lock`. Resolves undefined without running it when
   * another caller holds the lock. A lock left by a crash is removed by prune() after the grace time.
   */
  async withLock<T>(path: string, action: () => Promise<T>): Promise<T | undefined> {
    const lockPath = `${path}.lock`;
    try {
      await (await open(lockPath, 'wx', 0o600)).close();
    } catch (error) {
      if (hasCode(error, 'EEXIST')) {
        return undefined;
      }
      throw error;
    }

    try {
      return await action();
    } finally {
      await this.remove(lockPath);
    }
  }

  /**
   * Remove what no longer counts: entries for which `removeEntry` resolves true, and lock and temporary
   * files older than the grace time. Resolves with the number of entries removed.
   */
  async prune(removeEntry: (path: string) => Promise<boolean>): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.dir)) {
      if (!name.startsWith(this.prefix)) {
        continue;
      }

      const path = join(this.dir, name);
      if (name.endsWith('.json')) {
        removed += (await removeEntry(path)) ? 1 : 0;
      } else if (name.endsWith('.lock') || name.endsWith('.tmp')) {
        const ageMs = await this.ageMs(path);
        if (ageMs !== undefined && ageMs > WRITE_GRACE_MS) {
          await this.remove(path);
        }
      }
    }
    return removed;
  }

  private async ageMs(path: string): Promise<number | undefined> {
    try {
      return Date.now() - (await stat(path)).mtimeMs;
    } catch (error) {
      if (hasCode(error, 'ENOENT')) {
        return undefined;
      }
      throw error;
    }
  }
}

function parseRecord(text: string): EntryRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }

  const candidate = value as Partial<EntryRecord> | null;
  if (typeof candidate !== 'object' || candidate === null
    || typeof candidate.orderId !== 'string' || typeof candidate.expiresAt !== 'number') {
    return undefined;
  }
  return { orderId: candidate.orderId, expiresAt: candidate.expiresAt, context: candidate.context };
}

export function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}
