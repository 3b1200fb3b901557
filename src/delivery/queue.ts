import type { Logger } from '../logger';
import type { Transport, TransportResult } from './transport';
import type { PendingHit } from './types';

export interface DeliveryQueueOptions {
  transport: Transport;
  logger: Logger;
  maxBatchSize: number;
  maxBatchBytes: number;
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
    this.pending.unshift(...batch);
    logger.warn(
      { orderIds, status: result.status, error: result.error?.message, attempts: batch[0].attempts },
      'order hits not delivered; they stay queued and are tried again',
    );
  }
}
