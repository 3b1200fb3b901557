import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { hasErrorCode, writeFileAtomic, type DirectorySync } from './atomic-file';

/** How often a live tracker touches its owner file. */
export const LEASE_RENEW_MS = 5_000;

/**
 * Age of an owner file after which its claims are taken over although its process seems alive: the process
 * ID was reused, or the owner runs in another PID namespace or on another host.
 */
export const LEASE_TIMEOUT_MS = 60_000;

/** Owner tokens of the trackers alive in this process, so that two trackers on one spool never take over each other's claims. */
const liveTokens = new Set<string>();

interface OwnerRecord {
  pid: number;
  hostname: string;
  startedAt: number;
}

/** Create a token that names one tracker's claims: its process ID and random bytes, unique across restarts. */
export function createOwnerToken(): string {
  return `${process.pid}-${randomBytes(6).toString('hex')}`;
}

export function ownerFilePath(ownersDir: string, token: string): string {
  return path.join(ownersDir, `${token}.json`);
}

/** Write the owner file of a tracker that is starting and mark its token as alive in this process. */
export async function registerOwner(ownersDir: string, tmpDir: string, token: string, directories: DirectorySync): Promise<void> {
  const record: OwnerRecord = { pid: process.pid, hostname: os.hostname(), startedAt: Date.now() };
  await writeFileAtomic(path.join(tmpDir, `owner~${token}~0.tmp`), ownerFilePath(ownersDir, token), JSON.stringify(record), directories);
  liveTokens.add(token);
}

/**
 * Touch the owner file so other processes see this tracker alive. Returns false when the file was gone,
 * because another process judged this tracker dead and took over its claims. The file is then written again.
 */
export async function renewOwner(ownersDir: string, tmpDir: string, token: string, directories: DirectorySync): Promise<boolean> {
  const now = new Date();
  try {
    await fs.utimes(ownerFilePath(ownersDir, token), now, now);
    return true;
  } catch (error) {
    if (!hasErrorCode(error, 'ENOENT')) {
      throw error;
    }
  }
  await registerOwner(ownersDir, tmpDir, token, directories);
  return false;
}

export async function unregisterOwner(ownersDir: string, token: string): Promise<void> {
  liveTokens.delete(token);
  await fs.rm(ownerFilePath(ownersDir, token), { force: true });
}

/**
 * Decide whether the owner of `token` is gone, so its claimed hits may be sent by another process.
 *
 * An owner is gone when its owner file is missing, because it closed or never finished starting. It is
 * gone when its owner file is older than LEASE_TIMEOUT_MS. On this host, it is also gone when its process
 * ID no longer runs, or when the ID is this process's own under a token not alive here: an earlier process
 * with the same ID, as after a container restart.
 */
export async function isOwnerGone(ownersDir: string, token: string, now: number = Date.now()): Promise<boolean> {
  if (liveTokens.has(token)) {
    return false;
  }

  const file = ownerFilePath(ownersDir, token);
  let text: string;
  let modifiedAt: number;
  try {
    [text, modifiedAt] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file).then((stats) => stats.mtimeMs)]);
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) {
      return true;
    }
    throw error;
  }

  if (now - modifiedAt > LEASE_TIMEOUT_MS) {
    return true;
  }

  const owner = parseOwner(text);
  if (owner === undefined || owner.hostname !== os.hostname()) {
    return false;
  }
  return owner.pid === process.pid || !isProcessRunning(owner.pid);
}

function parseOwner(text: string): OwnerRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<OwnerRecord>;
    return Number.isInteger(value.pid) && typeof value.hostname === 'string' ? value as OwnerRecord : undefined;
  } catch {
    return undefined;
  }
}

function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process runs under another user.
    return hasErrorCode(error, 'EPERM');
  }
}
