import type { DeadLetter, PendingHit } from './types';

/** Destination of a newly accepted hit: this process's memory, or the disk, where any process may claim it. */
export type HitPlacement = 'memory' | 'disk';

/** A spool file that could not be read and was moved to the corrupt folder, so its hit is lost. */
export interface UnreadableFile {
  /** `hit` for a hit waiting for delivery, `deadLetter` for a dead letter. */
  kind: 'hit' | 'deadLetter';
  /** Hit ID from the file name, or the whole file name when the spool did not make it. */
  hitId: string;
  /** Order ID, when the damaged content still shows it. */
  orderId: string | undefined;
}

/**
 * Storage behind the delivery queue: the memory store keeps only dead letters, the spool keeps every hit
 * on disk until it is acknowledged. Delivery calls `open()` once before anything else.
 */
export interface HitStore {
  /** True when accepted hits survive a restart of the process. */
  readonly durable: boolean;
  /** Prepare the store; `onUnreadable` is called for each file later found unreadable and moved aside. */
  open(onUnreadable: (file: UnreadableFile) => void): Promise<void>;
  /** Persist a newly accepted hit; resolves once it is safe from a crash. */
  add(hit: PendingHit, placement: HitPlacement): Promise<void>;
  /** Claim up to `max` hits that wait on disk, so that no other process sends them. */
  claimWaiting(max: number): Promise<PendingHit[]>;
  /** Forget hits the track server acknowledged. */
  acknowledge(hits: readonly PendingHit[]): Promise<void>;
  /** Hand hits held in memory back to the disk, for this or another process to send later. */
  release(hits: readonly PendingHit[]): Promise<void>;
  /** Keep a hit as a dead letter. Returns older dead letters that had to be discarded to make room. */
  bury(deadLetter: DeadLetter): Promise<DeadLetter[]>;
  listDeadLetters(): Promise<DeadLetter[]>;
  /**
   * Take a dead letter out of the dead letters as a hit kept in memory, like one added with `add(hit, 'memory')`.
   * The caller then queues it, `release`s it to the disk, or `acknowledge`s it to discard it. Returns
   * undefined when another call or process took the dead letter first.
   */
  takeDeadLetter(deadLetter: DeadLetter): Promise<PendingHit | undefined>;
  /** Count and oldest order time of the hits waiting on disk outside memory, as far as this process has counted. */
  waitingOnDisk(): { count: number; oldestAcceptedAt: number | undefined };
  close(): Promise<void>;
}

/** Turn a dead letter back into a hit that waits for delivery, with a fresh `retry.maxAgeMs` window. */
export function reviveHit(deadLetter: DeadLetter, now: number): PendingHit {
  return {
    id: deadLetter.hitId,
    orderId: deadLetter.orderId,
    line: deadLetter.line,
    acceptedAt: deadLetter.acceptedAt,
    enqueuedAt: now,
    attempts: 0,
  };
}
