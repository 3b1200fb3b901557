import Joi from 'joi';

import { createConsoleLogger, createSafeLogger, isLogger, type Logger } from '../logger';
import { InvalidOptionError, validateOptions } from '../options';
import { parseVisitorContext, type VisitorContext } from '../protocol/visitor';
import { EntryFiles, isFree } from './entry-files';
import type { ClaimStore, VisitorStore } from './types';

export interface FileStoreOptions {
  /** Directory of the entry files, created when missing. Processes that share it share the entries. */
  dir: string;
  /** Time between two removals of expired entries, in milliseconds (default 3600000); 0 turns it off. */
  pruneIntervalMs?: number;
  /** pino-compatible logger for failed removals (default: the console). */
  logger?: Logger;
}

const schema = Joi.object({
  dir: Joi.string().min(1).required().description('a directory path, such as "./var/mapp-s2s"'),
  pruneIntervalMs: Joi.number().integer().min(0).max(7 * 24 * 3_600_000)
    .description('a whole number of milliseconds from 0 (off) to 604800000'),
  logger: Joi.any().custom((value: unknown) => {
    if (!isLogger(value)) {
      throw new Error('not a logger');
    }
    return value;
  }).description('an object with debug, info, warn and error methods, such as a pino logger'),
});

const DEFAULT_PRUNE_INTERVAL_MS = 3_600_000;

/** The parts both file stores share: validated options, the entry directory and the prune timer. */
abstract class FileStore {
  protected readonly files: EntryFiles;
  private readonly logger: Logger;
  private readonly pruneTimer: NodeJS.Timeout | undefined;

  protected constructor(factory: string, prefix: string, options: FileStoreOptions) {
    const parsed = validateOptions<FileStoreOptions>(factory, schema, options, `new ${factory}({ dir: './var/mapp-s2s' })`);
    this.files = openEntryFiles(factory, parsed.dir, prefix);
    this.logger = createSafeLogger(parsed.logger ?? createConsoleLogger());

    const intervalMs = parsed.pruneIntervalMs ?? DEFAULT_PRUNE_INTERVAL_MS;
    if (intervalMs > 0) {
      this.pruneTimer = setInterval(() => {
        this.prune().catch((error: unknown) => {
          this.logger.error({ err: error, dir: parsed.dir }, `${factory}: removing expired entries failed; the next interval tries again`);
        });
      }, intervalMs);
      this.pruneTimer.unref();
    }
  }

  /** Remove expired entries and debris of crashed writes. Resolves with the number of entries removed. */
  abstract prune(): Promise<number>;

  /** Stop the prune timer. The entries stay on disk. */
  async close(): Promise<void> {
    clearInterval(this.pruneTimer);
  }
}

/** Open the entry directory, creating it when missing; a directory this process cannot use is an invalid `dir`. */
function openEntryFiles(factory: string, dir: string, prefix: string): EntryFiles {
  try {
    return new EntryFiles(dir, prefix);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidOptionError(factory, 'dir', dir, `a directory this process can create, read and write (${reason})`, { cause: error });
  }
}

/**
 * Claims as files in a directory, shared by every process that uses the same directory. A claim is
 * created with `O_EXCL`, so of two processes claiming one order ID only one succeeds.
 */
export class FileClaimStore extends FileStore implements ClaimStore {
  constructor(options: FileStoreOptions) {
    super('FileClaimStore', 'claim-', options);
  }

  async claim(orderId: string, ttlMs: number): Promise<boolean> {
    const path = this.files.pathFor(orderId);
    const record = { orderId, expiresAt: Date.now() + ttlMs };
    if (await this.files.createExclusive(path, record)) {
      return true;
    }

    // The ID is taken unless its claim has expired. An expired claim is replaced under a lock, so two processes
    // that both find it expired cannot both take it over. The one that finds the lock taken loses.
    const takenOver = await this.files.withLock(path, async () =>
      (await this.files.removeIfFree(path)) && this.files.createExclusive(path, record));
    return takenOver ?? false;
  }

  async release(orderId: string): Promise<void> {
    await this.files.remove(this.files.pathFor(orderId));
  }

  prune(): Promise<number> {
    // Under the same lock as a takeover, so pruning cannot remove a claim that was just taken over.
    return this.files.prune(async (path) => (await this.files.withLock(path, () => this.files.removeIfFree(path))) ?? false);
  }
}

/** Visitor contexts as files in a directory, shared by every process that uses the same directory. */
export class FileVisitorStore extends FileStore implements VisitorStore {
  constructor(options: FileStoreOptions) {
    super('FileVisitorStore', 'visitor-', options);
  }

  async set(orderId: string, context: VisitorContext, ttlMs: number): Promise<void> {
    await this.files.replace(this.files.pathFor(orderId), { orderId, expiresAt: Date.now() + ttlMs, context });
  }

  async get(orderId: string): Promise<VisitorContext | undefined> {
    const reading = await this.files.read(this.files.pathFor(orderId));
    if (reading.kind !== 'entry' || reading.record.orderId !== orderId || isFree(reading, Date.now())) {
      return undefined;
    }
    return parseVisitorContext(reading.record.context);
  }

  prune(): Promise<number> {
    // NOTE: a set() for an order ID whose entry expires at the very moment prune() reads it can be removed
    // with it. Contexts are written at checkout, so that takes the same order ID checked out again 7 days
    // (the default TTL) after it was first stored.
    return this.files.prune((path) => this.files.removeIfFree(path));
  }
}
