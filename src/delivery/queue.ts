import type { Logger } from '../logger';
import type { Transport, TransportResult } from './transport';
import type { PendingHit } from './types';

export interface DeliveryQueueOptions {
  transport: Transport;
  logger: Logger;
  maxBatchSize: number;
  maxBatchBytes: number;
  /** Attempts per hit before it is given up as rejected; undefined retries without limit. */
  maxAttempts?: number;
  /** Called once for each hit given up, so the tracker can release the order's claim. */
  onRejected?: (hit: PendingHit) => void;
}

/**
 * In-memory delivery: hits are sent in the background, several at a time as one batch, and put back after
 * a failure to be tried again later.
 */
export class DeliveryQueue {
  private readonly pending: PendingHit[] = [];
  private draining: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private consecutiveFailures = 0;
  private closed = false;

  constructor(private readonly options: DeliveryQueueOptions) {}

  get size(): number {
    return this.pending.length;
  }

  enqueue(hit: PendingHit): void {
    this.pending.push(hit);
    this.scheduleDrain(0);
  }

  /** Send everything pending now; resolves when the queue is empty or the next attempt failed. */
  async flush(): Promise<void> {
    this.clearRetryTimer();
    // A batch already on the wire has left `pending` but is not delivered yet, and close() would cut it off.
    if (this.draining) {
      await this.draining;
    }
    while (this.pending.length > 0) {
      await this.drain();
      if (this.consecutiveFailures > 0) {
        return;
      }
    }
  }

  /** Stop background sending after a last flush; resolves within timeoutMs even if the server hangs. */
  async close(timeoutMs: number): Promise<void> {
    this.closed = true;
    this.clearRetryTimer();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    await Promise.race([this.flush(), timeout]);
    clearTimeout(timer);
    this.options.transport.close();
  }

  private scheduleDrain(delayMs: number): void {
    if (this.closed || this.draining || this.retryTimer) {
      return;
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.drain().then(() => {
        if (this.pending.length > 0) {
          this.scheduleDrain(this.backoffMs());
        }
      });
    }, delayMs);
    this.retryTimer.unref();
  }

  private clearRetryTimer(): void {
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
  }

  private backoffMs(): number {
    if (this.consecutiveFailures === 0) {
      return 0;
    }
    return Math.min(30_000, 250 * 2 ** (this.consecutiveFailures - 1));
  }

  private drain(): Promise<void> {
    this.draining ??= this.sendNextBatch().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async sendNextBatch(): Promise<void> {
    const batch = this.takeBatch();
    if (batch.length === 0) {
      return;
    }

    for (const hit of batch) {
      hit.attempts += 1;
    }
    const result = await this.options.transport.send(batch.map((hit) => hit.line));
    this.settle(batch, result);
  }

  private takeBatch(): PendingHit[] {
    const batch: PendingHit[] = [];
    let bytes = 0;
    while (this.pending.length > 0 && batch.length < this.options.maxBatchSize) {
      const size = Buffer.byteLength(this.pending[0].line) + 1;
      if (batch.length > 0 && bytes + size > this.options.maxBatchBytes) {
        break;
      }
      bytes += size;
      batch.push(this.pending.shift() as PendingHit);
    }
    return batch;
  }

  private settle(batch: PendingHit[], result: TransportResult): void {
    const { logger } = this.options;
    const orderIds = batch.map((hit) => hit.orderId);

    if (result.status !== undefined && result.status >= 200 && result.status < 300) {
      this.consecutiveFailures = 0;
      logger.debug({ orderIds, status: result.status }, 'order hits delivered');
      return;
    }

    this.consecutiveFailures += 1;
    const retried = this.giveUpExhausted(batch, result);
    if (retried.length === 0) {
      return;
    }
    this.pending.unshift(...retried);
    logger.warn(
      { orderIds: retried.map((hit) => hit.orderId), status: result.status, error: result.error?.message, attempts: retried[0].attempts },
      'order hits not delivered; they stay queued and are tried again',
    );
  }

  /**
   * Final rejection after maxAttempts: the hits that used up their attempts are dropped and reported through
   * onRejected. Returns the hits still to retry.
   */
  private giveUpExhausted(batch: PendingHit[], result: TransportResult): PendingHit[] {
    const { maxAttempts, onRejected, logger } = this.options;
    if (maxAttempts === undefined) {
      return batch;
    }

    const exhausted = batch.filter((hit) => hit.attempts >= maxAttempts);
    if (exhausted.length > 0) {
      logger.error(
        { orderIds: exhausted.map((hit) => hit.orderId), status: result.status, error: result.error?.message, attempts: maxAttempts },
        'order hits rejected: every delivery attempt failed, so they are dropped',
      );
      for (const hit of exhausted) {
        onRejected?.(hit);
      }
    }
    return batch.filter((hit) => hit.attempts < maxAttempts);
  }
}
