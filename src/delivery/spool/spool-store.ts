import { mkdirSync, accessSync, constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';

import type { Logger } from '../../logger';
import { reviveHit, type HitPlacement, type HitStore, type UnreadableFile } from '../hit-store';
import type { DeadLetter, PendingHit } from '../types';
import { DirectorySync, hasErrorCode, writeFileAtomic } from './atomic-file';
import {
  acceptedAtOfFileName,
  claimedFileName,
  HIT_FILE_SUFFIX,
  hitFileName,
  hitIdOfFileName,
  orderIdOfDamagedFile,
  parseClaimedFileName,
  parseDeadLetter,
  parseHit,
  serializeDeadLetter,
  serializeHit,
} from './hit-file';
import { createOwnerToken, isOwnerGone, LEASE_RENEW_MS, registerOwner, renewOwner, unregisterOwner } from './owners';

/** Folders inside the spool directory. */
const FOLDERS = {
  /** Hits that wait for any process to claim them. */
  pending: 'pending',
  /** Hits a process keeps in memory, named `<hit file>~<owner token>`. */
  claimed: 'claimed',
  /** Dead letters. */
  dead: 'dead',
  /** One file per live tracker, touched every LEASE_RENEW_MS. */
  owners: 'owners',
  /** Files being written, renamed into place once complete. */
  tmp: 'tmp',
  /** Files that could not be read as hits, kept for a person to look at. */
  corrupt: 'corrupt',
} as const;

type Folder = keyof typeof FOLDERS;

/**
 * Create the spool directory and its folders, and check that this process can read and write them.
 * Synchronous, because it runs once in createTracker so that a wrong path fails at start-up.
 */
export function prepareSpoolDirectory(dir: string): void {
  for (const folder of Object.values(FOLDERS)) {
    const folderPath = path.join(dir, folder);
    mkdirSync(folderPath, { recursive: true });
    accessSync(folderPath, fsConstants.R_OK | fsConstants.W_OK);
  }
}

/**
 * The durable store: every accepted hit is a file in the spool directory until the track server
 * acknowledges it. Several processes may share one directory. A process claims a hit by renaming it from
 * `pending/` into `claimed/` under its owner token. Only one process's rename succeeds, so no two processes
 * send the same hit. The claims of a process that died are moved back to `pending/`.
 */
export class SpoolStore implements HitStore {
  readonly durable = true;
  private readonly token = createOwnerToken();
  private readonly directories = new DirectorySync();
  /** Names in `pending/` from the last directory listing that were not tried yet, oldest first. */
  private listing: string[] = [];
  private onDiskCount = 0;
  /** Order time of the oldest hit this process put into `pending/` since the last listing. */
  private oldestUnlisted: number | undefined;
  private maintenanceTimer: NodeJS.Timeout | undefined;
  private maintenance: Promise<void> | undefined;
  private tmpCounter = 0;
  private onUnreadable: (file: UnreadableFile) => void = () => undefined;

  constructor(private readonly dir: string, private readonly logger: Logger) {}

  async open(onUnreadable: (file: UnreadableFile) => void): Promise<void> {
    this.onUnreadable = onUnreadable;
    await registerOwner(this.folder('owners'), this.folder('tmp'), this.token, this.directories);
    await this.takeOverAbandonedClaims();
    await this.refreshListing();

    this.maintenanceTimer = setInterval(() => {
      this.maintenance ??= this.maintain().finally(() => {
        this.maintenance = undefined;
      });
    }, LEASE_RENEW_MS);
    this.maintenanceTimer.unref();
  }

  async add(hit: PendingHit, placement: HitPlacement): Promise<void> {
    const name = hitFileName(hit);
    const target = placement === 'memory'
      ? path.join(this.folder('claimed'), claimedFileName(name, this.token))
      : path.join(this.folder('pending'), name);
    await writeFileAtomic(this.tmpPath(name), target, serializeHit(hit), this.directories);

    if (placement === 'disk') {
      this.noteUnlisted(1, hit.acceptedAt);
    }
  }

  async claimWaiting(max: number): Promise<PendingHit[]> {
    const hits: PendingHit[] = [];
    if (max <= 0) {
      return hits;
    }
    if (this.listing.length === 0) {
      await this.refreshListing();
    }

    while (hits.length < max && this.listing.length > 0) {
      const name = this.listing.shift() as string;
      this.onDiskCount = Math.max(0, this.onDiskCount - 1);
      const claimedPath = this.claimedPath(name);
      try {
        await fs.rename(path.join(this.folder('pending'), name), claimedPath);
      } catch (error) {
        if (hasErrorCode(error, 'ENOENT')) {
          continue; // another process claimed it first
        }
        if (hits.length === 0) {
          throw error;
        }
        // The hits claimed so far must reach memory, or they would stay claimed and unsent.
        this.logger.error({ err: error, file: name }, 'a waiting hit could not be claimed; it is tried again later');
        break;
      }

      try {
        const hit = await this.readClaimed(claimedPath, name);
        if (hit !== undefined) {
          hits.push(hit);
        }
      } catch (error) {
        this.logger.error({ err: error, file: claimedPath },
          'a claimed hit could not be read; it stays claimed until this tracker stops and another one takes it over');
      }
    }
    return hits;
  }

  async acknowledge(hits: readonly PendingHit[]): Promise<void> {
    const missing: string[] = [];
    await Promise.all(hits.map(async (hit) => {
      try {
        await fs.unlink(this.claimedPath(hitFileName(hit)));
      } catch (error) {
        if (!hasErrorCode(error, 'ENOENT')) {
          throw error;
        }
        missing.push(hit.orderId);
      }
    }));
    await this.directories.sync(this.folder('claimed'));

    if (missing.length > 0) {
      this.logger.warn({ orderIds: missing },
        'delivered hits were no longer claimed by this tracker: another process judged it dead and may send them again');
    }
  }

  async release(hits: readonly PendingHit[]): Promise<void> {
    let released = 0;
    let oldest: number | undefined;
    for (const hit of hits) {
      const name = hitFileName(hit);
      try {
        await fs.rename(this.claimedPath(name), path.join(this.folder('pending'), name));
        released += 1;
        oldest = Math.min(oldest ?? hit.acceptedAt, hit.acceptedAt);
      } catch (error) {
        if (!hasErrorCode(error, 'ENOENT')) {
          throw error;
        }
      }
    }
    await this.directories.sync(this.folder('pending'));
    this.noteUnlisted(released, oldest);
  }

  async bury(deadLetter: DeadLetter): Promise<DeadLetter[]> {
    const name = hitFileName({ acceptedAt: deadLetter.acceptedAt, id: deadLetter.hitId });
    await writeFileAtomic(this.tmpPath(name), path.join(this.folder('dead'), name),
      serializeDeadLetter(deadLetter, deadLetter.rejectedAt), this.directories);
    await fs.rm(this.claimedPath(name), { force: true });
    return [];
  }

  async listDeadLetters(): Promise<DeadLetter[]> {
    const names = await this.listHitFiles('dead');
    const deadLetters: DeadLetter[] = [];
    for (const name of names) {
      const filePath = path.join(this.folder('dead'), name);
      let text: string;
      try {
        text = await fs.readFile(filePath, 'utf8');
      } catch (error) {
        if (hasErrorCode(error, 'ENOENT')) {
          continue; // queued again by another process meanwhile
        }
        throw error;
      }
      const deadLetter = parseDeadLetter(text);
      if (deadLetter === undefined) {
        await this.quarantine(filePath, name, text, 'deadLetter');
      } else {
        deadLetters.push(deadLetter);
      }
    }
    return deadLetters;
  }

  /** Claim a dead letter for this process by renaming it into `claimed/`, so no other process takes it too. */
  async takeDeadLetter(deadLetter: DeadLetter): Promise<PendingHit | undefined> {
    const name = hitFileName({ acceptedAt: deadLetter.acceptedAt, id: deadLetter.hitId });
    try {
      await fs.rename(path.join(this.folder('dead'), name), this.claimedPath(name));
    } catch (error) {
      if (hasErrorCode(error, 'ENOENT')) {
        return undefined;
      }
      throw error;
    }
    return reviveHit(deadLetter, Date.now());
  }

  waitingOnDisk(): { count: number; oldestAcceptedAt: number | undefined } {
    const listed = this.listing.length > 0 ? acceptedAtOfFileName(this.listing[0]) : undefined;
    const candidates = [listed, this.oldestUnlisted].filter((time): time is number => time !== undefined);
    return {
      count: this.onDiskCount,
      oldestAcceptedAt: candidates.length > 0 ? Math.min(...candidates) : undefined,
    };
  }

  async close(): Promise<void> {
    clearInterval(this.maintenanceTimer);
    await this.maintenance;
    await unregisterOwner(this.folder('owners'), this.token);
  }

  /** Renew this tracker's owner file and take over the claims of owners that are gone. */
  private async maintain(): Promise<void> {
    try {
      const stillOwned = await renewOwner(this.folder('owners'), this.folder('tmp'), this.token, this.directories);
      if (!stillOwned) {
        this.logger.warn({ spoolDir: this.dir },
          'the owner file of this tracker had been removed by another process, which may send hits claimed here a second time');
      }
      await this.takeOverAbandonedClaims();
    } catch (error) {
      this.logger.error({ err: error, spoolDir: this.dir }, 'spool maintenance failed; it is tried again');
    }
  }

  /**
   * Move the claims of owners that are gone back to `pending/`, and remove their owner and temporary
   * files. A claimed hit that already has a dead letter is deleted instead: its owner died between
   * writing the dead letter and removing the claim.
   */
  private async takeOverAbandonedClaims(): Promise<void> {
    const claimsByOwner = new Map<string, string[]>();
    for (const name of await fs.readdir(this.folder('claimed'))) {
      const parsed = parseClaimedFileName(name);
      if (parsed !== undefined && parsed.ownerToken !== this.token) {
        const names = claimsByOwner.get(parsed.ownerToken) ?? [];
        names.push(name);
        claimsByOwner.set(parsed.ownerToken, names);
      }
    }
    for (const name of await fs.readdir(this.folder('owners'))) {
      const token = name.replace(/\.json$/, '');
      if (token !== this.token && !claimsByOwner.has(token)) {
        claimsByOwner.set(token, []);
      }
    }

    for (const [token, names] of claimsByOwner) {
      if (await isOwnerGone(this.folder('owners'), token)) {
        await this.takeOverClaims(token, names);
      }
    }
  }

  private async takeOverClaims(token: string, names: readonly string[]): Promise<void> {
    let moved = 0;
    let oldest: number | undefined;
    for (const name of names) {
      const { hitFile } = parseClaimedFileName(name) as { hitFile: string };
      const claimedPath = path.join(this.folder('claimed'), name);
      try {
        if (await exists(path.join(this.folder('dead'), hitFile))) {
          await fs.rm(claimedPath, { force: true });
          continue;
        }
        await fs.rename(claimedPath, path.join(this.folder('pending'), hitFile));
      } catch (error) {
        if (hasErrorCode(error, 'ENOENT')) {
          continue; // another process took it over first
        }
        throw error;
      }
      moved += 1;
      const acceptedAt = acceptedAtOfFileName(hitFile);
      oldest = acceptedAt === undefined ? oldest : Math.min(oldest ?? acceptedAt, acceptedAt);
    }

    if (moved > 0) {
      await this.directories.sync(this.folder('pending'));
      this.noteUnlisted(moved, oldest);
      this.dropListing();
      this.logger.warn({ hits: moved, owner: token },
        'order hits claimed by a tracker that stopped without close() are queued again');
    }

    await fs.rm(path.join(this.folder('owners'), `${token}.json`), { force: true });
    for (const name of await fs.readdir(this.folder('tmp'))) {
      if (name.includes(`~${token}~`)) {
        await fs.rm(path.join(this.folder('tmp'), name), { force: true });
      }
    }
  }

  private async readClaimed(claimedPath: string, name: string): Promise<PendingHit | undefined> {
    const text = await fs.readFile(claimedPath, 'utf8');
    const hit = parseHit(text, Date.now());
    if (hit === undefined) {
      await this.quarantine(claimedPath, name, text, 'hit');
    }
    return hit;
  }

  /** Move an unreadable file out of the way, so it is neither sent nor read again, and report it. */
  private async quarantine(filePath: string, name: string, text: string, kind: UnreadableFile['kind']): Promise<void> {
    const target = path.join(this.folder('corrupt'), `${name}~${Date.now()}`);
    await fs.rename(filePath, target);
    const file: UnreadableFile = { kind, hitId: hitIdOfFileName(name), orderId: orderIdOfDamagedFile(text) };
    this.logger.error({ file: target, orderId: file.orderId },
      'a spool file could not be read as an order hit and was moved to the corrupt folder');
    this.onUnreadable(file);
  }

  private async refreshListing(): Promise<void> {
    this.listing = await this.listHitFiles('pending');
    this.onDiskCount = this.listing.length;
    this.oldestUnlisted = undefined;
  }

  private async listHitFiles(folder: Folder): Promise<string[]> {
    const names = await fs.readdir(this.folder(folder));
    return names.filter((name) => name.endsWith(HIT_FILE_SUFFIX)).sort();
  }

  /** Count hits this process put into `pending/`, which the next listing will find. */
  private noteUnlisted(count: number, oldestAcceptedAt: number | undefined): void {
    this.onDiskCount += count;
    if (oldestAcceptedAt !== undefined) {
      this.oldestUnlisted = Math.min(this.oldestUnlisted ?? oldestAcceptedAt, oldestAcceptedAt);
    }
  }

  /** Make the next claim list `pending/` again, so hits just put there are found before older listed ones run out. */
  private dropListing(): void {
    const first = this.listing.length > 0 ? acceptedAtOfFileName(this.listing[0]) : undefined;
    this.listing = [];
    this.noteUnlisted(0, first);
  }

  private folder(folder: Folder): string {
    return path.join(this.dir, FOLDERS[folder]);
  }

  private claimedPath(hitFile: string): string {
    return path.join(this.folder('claimed'), claimedFileName(hitFile, this.token));
  }

  private tmpPath(name: string): string {
    this.tmpCounter += 1;
    return path.join(this.folder('tmp'), `${name}~${this.token}~${this.tmpCounter}.tmp`);
  }
}

async function exists(filePath: string): Promise<boolean> {
  try {
    await fs.access(filePath);
    return true;
  } catch {
    return false;
  }
}
