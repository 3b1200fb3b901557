/** One order hit waiting for delivery, in memory. */
export interface PendingHit {
  /** Unique per hit (a UUID), kept through every retry and restart. */
  id: string;
  orderId: string;
  /** The `wt?p=...` line, built once at acceptance, so its timestamp never changes. */
  line: string;
  /** When the order was accepted, epoch milliseconds. */
  acceptedAt: number;
  /** When the hit entered the queue, epoch milliseconds: `retry.maxAgeMs` counts from here. */
  enqueuedAt: number;
  /** Requests that carried this hit in this process. */
  attempts: number;
  /** Set after a batch carrying this hit was rejected, so the hit goes alone and only a bad line is rejected. */
  sendAlone?: boolean;
}

/** Reason a hit became a dead letter. */
export type DeadLetterReason = 'rejected' | 'expired';

/** A hit that is no longer retried: Mapp rejected it, or it kept failing for `retry.maxAgeMs`. */
export interface DeadLetter {
  hitId: string;
  orderId: string;
  /** The `wt?p=...` line as it was sent, with the original order time. */
  line: string;
  acceptedAt: number;
  /** When the hit became a dead letter, epoch milliseconds. */
  rejectedAt: number;
  reason: DeadLetterReason;
  /** HTTP status of the last response, when there was one. */
  status?: number;
  /** Network error of the last attempt, when no HTTP response arrived. */
  error?: string;
  /** Requests that carried the hit before it became a dead letter, in the process that gave up on it. */
  attempts: number;
}
