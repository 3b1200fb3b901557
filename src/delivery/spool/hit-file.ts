import type { DeadLetter, DeadLetterReason, PendingHit } from '../types';

/** File names of waiting hits end in this; anything else in the spool's hit folders is ignored. */
export const HIT_FILE_SUFFIX = '.hit';

/** Separates a hit's file name from the owner token in the name of a claimed hit. */
const OWNER_SEPARATOR = '~';

/** Version of the JSON inside hit files; a reader meeting another version treats the file as unreadable. */
const FILE_FORMAT = 1;

/**
 * Name of a hit's file: the order time zero-padded to 15 digits, then the hit ID. Sorting the names sorts
 * the hits by order time, so the oldest waiting hit is found without opening any file.
 */
export function hitFileName(hit: { acceptedAt: number; id: string }): string {
  return `${String(Math.trunc(hit.acceptedAt)).padStart(15, '0')}-${hit.id}${HIT_FILE_SUFFIX}`;
}

/** Order time encoded in a hit's file name, or undefined for a name not made by hitFileName. */
export function acceptedAtOfFileName(name: string): number | undefined {
  const match = /^(\d{15})-/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Hit ID encoded in a hit's file name, or the whole name for a name not made by hitFileName. */
export function hitIdOfFileName(name: string): string {
  const prefix = /^\d{15}-/.exec(name);
  return prefix !== null && name.endsWith(HIT_FILE_SUFFIX) ? name.slice(prefix[0].length, -HIT_FILE_SUFFIX.length) : name;
}

export function claimedFileName(hitFile: string, ownerToken: string): string {
  return `${hitFile}${OWNER_SEPARATOR}${ownerToken}`;
}

/** Split the name of a claimed hit into the hit's file name and the owner token, or undefined when it is not one. */
export function parseClaimedFileName(name: string): { hitFile: string; ownerToken: string } | undefined {
  const at = name.lastIndexOf(OWNER_SEPARATOR);
  if (at <= 0 || !name.slice(0, at).endsWith(HIT_FILE_SUFFIX)) {
    return undefined;
  }
  return { hitFile: name.slice(0, at), ownerToken: name.slice(at + 1) };
}

interface HitRecord {
  format: number;
  hitId: string;
  orderId: string;
  line: string;
  acceptedAt: number;
  enqueuedAt: number;
  /** Present in dead letters, and in hits revived from a dead letter until they are sent. */
  rejection?: {
    rejectedAt: number;
    reason: DeadLetterReason;
    status?: number;
    error?: string;
    attempts: number;
  };
}

export function serializeHit(hit: PendingHit): string {
  const record: HitRecord = {
    format: FILE_FORMAT,
    hitId: hit.id,
    orderId: hit.orderId,
    line: hit.line,
    acceptedAt: hit.acceptedAt,
    enqueuedAt: hit.enqueuedAt,
  };
  return JSON.stringify(record);
}

export function serializeDeadLetter(deadLetter: DeadLetter, enqueuedAt: number): string {
  const { rejectedAt, reason, status, error, attempts } = deadLetter;
  const record: HitRecord = {
    format: FILE_FORMAT,
    hitId: deadLetter.hitId,
    orderId: deadLetter.orderId,
    line: deadLetter.line,
    acceptedAt: deadLetter.acceptedAt,
    enqueuedAt,
    rejection: { rejectedAt, reason, status, error, attempts },
  };
  return JSON.stringify(record);
}

/**
 * Read a waiting hit from its file text, or return undefined when the text is not a hit file. A dead
 * letter put back by retryDeadLetters() still carries its rejection; its `retry.maxAgeMs` window starts
 * when it is loaded, at `now`.
 */
export function parseHit(text: string, now: number): PendingHit | undefined {
  const record = parseRecord(text);
  if (record === undefined) {
    return undefined;
  }
  return {
    id: record.hitId,
    orderId: record.orderId,
    line: record.line,
    acceptedAt: record.acceptedAt,
    enqueuedAt: record.rejection === undefined ? record.enqueuedAt : now,
    attempts: 0,
  };
}

/** Read a dead letter from its file text, or return undefined when the text is not one. */
export function parseDeadLetter(text: string): DeadLetter | undefined {
  const record = parseRecord(text);
  if (record?.rejection === undefined) {
    return undefined;
  }
  const { rejectedAt, reason, status, error, attempts } = record.rejection;
  return {
    hitId: record.hitId,
    orderId: record.orderId,
    line: record.line,
    acceptedAt: record.acceptedAt,
    rejectedAt,
    reason,
    ...(status === undefined ? {} : { status }),
    ...(error === undefined ? {} : { error }),
    attempts,
  };
}

/**
 * Find the order ID in the text of a hit file that could not be read, such as one cut off after its
 * `orderId` field, or return undefined when the text does not show one.
 */
export function orderIdOfDamagedFile(text: string): string | undefined {
  try {
    const value = JSON.parse(text) as { orderId?: unknown } | null;
    return typeof value === 'object' && value !== null && typeof value.orderId === 'string' ? value.orderId : undefined;
  } catch {
    // Not JSON as a whole: look for the field in what is left.
  }
  const match = /"orderId":("(?:[^"\\]|\\.)*")/.exec(text);
  if (match === null) {
    return undefined;
  }
  try {
    return JSON.parse(match[1]) as string;
  } catch {
    return undefined;
  }
}

function parseRecord(text: string): HitRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const record = value as Partial<HitRecord> | null;
  const valid = typeof record === 'object' && record !== null
    && record.format === FILE_FORMAT
    && typeof record.hitId === 'string'
    && typeof record.orderId === 'string'
    && typeof record.line === 'string' && record.line.startsWith('wt?')
    && Number.isFinite(record.acceptedAt)
    && Number.isFinite(record.enqueuedAt)
    && (record.rejection === undefined || isRejection(record.rejection));
  return valid ? record as HitRecord : undefined;
}

function isRejection(value: unknown): boolean {
  const rejection = value as Partial<NonNullable<HitRecord['rejection']>> | null;
  return typeof rejection === 'object' && rejection !== null
    && Number.isFinite(rejection.rejectedAt)
    && (rejection.reason === 'rejected' || rejection.reason === 'expired')
    && Number.isFinite(rejection.attempts);
}
