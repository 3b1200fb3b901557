import { EventEmitter } from 'node:events';

import type { Logger } from '../logger';
import type { DeadLetterReason } from './types';

/** An order hit was accepted: in memory (and in the spool when there is one), or only on disk. */
export interface QueuedEvent {
  orderId: string;
  hitId: string;
  /** Order time in epoch milliseconds, the time sent in `p`. */
  acceptedAt: number;
  /** True when the hit waits on disk only, because `maxQueue` hits are already in memory. */
  onDiskOnly: boolean;
}

/** One request was acknowledged with a 2xx status. */
export interface SentEvent {
  orderIds: string[];
  status: number;
}

/** One request failed in a way the retry policy retries; its hits wait `delayMs` for the next attempt. */
export interface RetryEvent {
  orderIds: string[];
  /** Failed requests in a row, this one included. */
  failures: number;
  delayMs: number;
  /** HTTP status, when the server responded. */
  status?: number;
  /** Network error, when no HTTP response arrived. */
  error?: string;
}

/** A hit became a dead letter: it is no longer retried, and `tracker.retryDeadLetters()` can send it again. */
export interface RejectedEvent {
  orderId: string;
  hitId: string;
  reason: DeadLetterReason;
  status?: number;
  error?: string;
}

/** Reason an order hit was lost. `corrupt`: its spool file could not be read and was moved to `corrupt/`. */
export type DropReason = 'queueFull' | 'spoolWriteFailed' | 'closed' | 'deadLetterLimit' | 'corrupt';

/** An order hit was lost; `tracker.stats().dropped` counts these. */
export interface DroppedEvent {
  /** Undefined only for a `corrupt` file whose content no longer shows the order ID. */
  orderId: string | undefined;
  hitId: string;
  reason: DropReason;
}

/** Events of `tracker.on(event, listener)`, by name. */
export interface TrackerEvents {
  queued: QueuedEvent;
  sent: SentEvent;
  retry: RetryEvent;
  rejected: RejectedEvent;
  dropped: DroppedEvent;
}

export type TrackerEventName = keyof TrackerEvents;

export type TrackerEventListener<E extends TrackerEventName> = (event: TrackerEvents[E]) => void;

/**
 * A typed EventEmitter for the tracker's delivery events. A listener that throws is logged and cannot
 * stop delivery.
 */
export class DeliveryEvents {
  private readonly emitter = new EventEmitter();

  constructor(private readonly logger: Logger) {
    // Shops may attach one listener per metric; the default limit of 10 would print a leak warning.
    this.emitter.setMaxListeners(0);
  }

  on<E extends TrackerEventName>(event: E, listener: TrackerEventListener<E>): void {
    this.emitter.on(event, listener);
  }

  once<E extends TrackerEventName>(event: E, listener: TrackerEventListener<E>): void {
    this.emitter.once(event, listener);
  }

  off<E extends TrackerEventName>(event: E, listener: TrackerEventListener<E>): void {
    this.emitter.off(event, listener);
  }

  emit<E extends TrackerEventName>(event: E, payload: TrackerEvents[E]): void {
    try {
      this.emitter.emit(event, payload);
    } catch (error) {
      this.logger.error({ err: error, event }, `a listener of the tracker's "${event}" event threw; delivery goes on`);
    }
  }
}
