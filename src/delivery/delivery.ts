import type { Logger } from '../logger';
import { retryDelayMs, type RetrySettings } from './backoff';
import { takeBatch, type BatchLimits } from './batch';
import { reviveDeadLetter } from './dead-letters';
import { QueueFullError, TrackerClosedError } from './errors';
import type { DeliveryEvents, DropReason } from './events';
import type { HitStore, UnreadableFile } from './hit-store';
import { PendingReleases, type DeliveryClaims } from './order-claim-hooks';
import { classifyResult, type PolicyRow } from './retry-policy';
import { createCounters, type DeliveryStats } from './stats';
import type { Transport, TransportResult } from './transport';
import type { DeadLetter, DeadLetterReason, PendingHit } from './types';

/** How often a tracker with a spool looks for hits that other processes or a restart left on disk. */
const SPOOL_POLL_MS = 1_000;

/**
 * Maximum wait before a retry while close() runs, whatever the backoff or a `Retry-After` header requests,
 * so that hits get several more attempts before close() gives up on them.
 */
const CLOSE_RETRY_MAX_WAIT_MS = 1_000;

/**
 * Shortest time from the start of a delivered request to the start of the next one while fewer than a
 * full batch wait. Under steady load the hits of that time share one request, which costs the shop's
 * process far less CPU than a request per round trip to the track server. A full batch, a hit after a
 * pause, a retry, flush() and close() do not wait.
 */
const BATCH_INTERVAL_MS = 50;

export interface DeliveryOptions {
  transport: Transport;
  store: HitStore;
  logger: Logger;
  events: DeliveryEvents;
  claims: DeliveryClaims;
  /** Maximum number of hits in memory: waiting, in flight, or being written to or read from the spool. */
  maxQueue: number;
  batch: BatchLimits;
  retry: RetrySettings;
  /** Source of the backoff jitter, between 0 and 1. */
  random?: () => number;
}

/** End state of a run of the send loop: nothing left to send, waiting for a retry, or stopped by close(). */
type RunResult = 'idle' | 'backoff' | 'stopped';

/**
 * The delivery queue: keeps accepted hits in memory (at most `maxQueue`), sends them in batches, one
 * request at a time, retries by the retry policy, and keeps rejected hits as dead letters. With a durable
 * store every hit is on disk first, and hits beyond `maxQueue` wait there.
 */
export class Delivery {
  private readonly waiting: PendingHit[] = [];
  private inFlight: PendingHit[] = [];
  /** Memory slots promised to hits being written to or read from the store. */
  private reserved = 0;
  private readonly accepting = new Set<Promise<unknown>>();
  private readonly counters = createCounters();
  private readonly ready: Promise<void>;
  private failuresInARow = 0;
  /** Date.now() at the start of the last request that was delivered. */
  private lastDeliveredAt = 0;
  private batchWait: { timer: NodeJS.Timeout; resolve: () => void } | undefined;
  private flushing = 0;
  private run: Promise<RunResult> | undefined;
  private backoffTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private drainWaiters: Array<() => void> = [];
  /** Claim releases still running; a dead letter is claimed again only after its release finished. */
  private readonly releases: PendingReleases;
  private closing: Promise<void> | undefined;
  /** Epoch milliseconds at which close() stops delivery; undefined until close() is called. */
  private closeDeadlineAt: number | undefined;
  private stopped = false;

  constructor(private readonly options: DeliveryOptions) {
    this.releases = new PendingReleases(options.claims);
    this.ready = options.store.open((file) => this.dropUnreadable(file));
    this.ready.then(() => this.startPolling(), (error: unknown) => {
      options.logger.error({ err: error }, 'the spool could not be opened; no order can be queued');
    });
  }

  /**
   * Queue a hit. Resolves once the hit is in memory and, with a spool, written to disk and flushed.
   * Rejects with QueueFullError without a spool when memory is full, and with the file system's error when
   * the spool cannot be written.
   */
  async accept(hit: PendingHit): Promise<{ onDiskOnly: boolean }> {
    if (this.closing !== undefined) {
      throw new TrackerClosedError('trackOrder');
    }
    const task = this.store(hit);
    this.accepting.add(task);
    try {
      return await task;
    } finally {
      this.accepting.delete(task);
      this.notifyIfDrained();
    }
  }

  /** Send what is queued now, skipping a pending retry wait. Resolves when nothing is left or a request failed. */
  async flush(): Promise<void> {
    await this.ready.catch(() => undefined);
    this.flushing += 1;
    try {
      for (;;) {
        if (this.stopped) {
          return;
        }
        const settledBefore = this.counters.sent + this.counters.rejected;
        this.cancelBackoff();
        this.endBatchWait();
        this.kick();
        const result = await (this.run ?? Promise.resolve<RunResult>('idle'));
        // A run that settled nothing means the rest cannot be sent now (memory full of hits being written,
        // or the spool unreadable), so waiting for another run would not help.
        const progressed = this.counters.sent + this.counters.rejected > settledBefore;
        if (result !== 'idle' || this.isEmpty() || !progressed) {
          return;
        }
      }
    } finally {
      this.flushing -= 1;
    }
  }

  /**
   * Stop intake, keep sending (retries included) for at most `timeoutMs`, then stop. A request still on
   * the wire is cut off. Hits left are released to the spool, or without one counted as dropped.
   */
  close(timeoutMs: number): Promise<void> {
    this.closing ??= this.shutDown(timeoutMs);
    return this.closing;
  }

  stats(): DeliveryStats {
    const disk = this.options.store.waitingOnDisk();
    let oldest = disk.oldestAcceptedAt;
    for (const hit of [...this.waiting, ...this.inFlight]) {
      oldest = Math.min(oldest ?? hit.acceptedAt, hit.acceptedAt);
    }
    return {
      queued: this.waiting.length,
      inFlight: this.inFlight.length,
      onDisk: disk.count,
      ...this.counters,
      oldestPendingAgeMs: oldest === undefined ? 0 : Math.max(0, Date.now() - oldest),
    };
  }

  async deadLetters(): Promise<DeadLetter[]> {
    await this.ready;
    return this.options.store.listDeadLetters();
  }

  /**
   * Queue the dead letters again and return how many were queued. Each one first claims its order ID again.
   * A dead letter whose order ID is claimed already was sent by a later trigger, so it is discarded as
   * superseded. Without a spool at most as many as memory has room for are queued; the rest stay dead letters.
   */
  async retryDeadLetters(): Promise<number> {
    await this.ready;
    if (this.closing !== undefined) {
      throw new TrackerClosedError('retryDeadLetters');
    }
    await this.releases.settled();
    const { store, maxQueue, logger } = this.options;

    const toDisk: PendingHit[] = [];
    let queued = 0;
    let superseded = 0;
    try {
      for (const deadLetter of await store.listDeadLetters()) {
        if (this.closing !== undefined || (!store.durable && this.memoryCount() >= maxQueue)) {
          break;
        }
        const outcome = await this.queueDeadLetter(deadLetter, toDisk);
        queued += outcome === 'queued' ? 1 : 0;
        superseded += outcome === 'superseded' ? 1 : 0;
      }
    } finally {
      if (toDisk.length > 0) {
        await store.release(toDisk);
      }
      this.kick();
    }

    if (queued + superseded > 0) {
      logger.info({ queued, superseded }, 'dead letters queued again, except those a later trigger sent meanwhile');
    }
    return queued;
  }

  /** Revive one dead letter into memory when there is room, else into `toDisk`, for the spool to take. */
  private async queueDeadLetter(deadLetter: DeadLetter, toDisk: PendingHit[]): Promise<'queued' | 'superseded' | 'taken'> {
    const inMemory = this.memoryCount() < this.options.maxQueue;
    if (inMemory) {
      this.reserved += 1;
    }
    try {
      const revived = await reviveDeadLetter(deadLetter, this.options);
      if (typeof revived === 'string') {
        return revived;
      }
      (inMemory ? this.waiting : toDisk).push(revived);
      return 'queued';
    } finally {
      if (inMemory) {
        this.reserved -= 1;
      }
    }
  }

  private async store(hit: PendingHit): Promise<{ onDiskOnly: boolean }> {
    const { store, maxQueue, logger, events } = this.options;
    const inMemory = this.memoryCount() < maxQueue;
    if (!inMemory && !store.durable) {
      this.drop(hit, 'queueFull');
      throw new QueueFullError(hit.orderId, maxQueue);
    }

    if (inMemory) {
      this.reserved += 1;
    }
    try {
      await this.ready;
      await store.add(hit, inMemory ? 'memory' : 'disk');
    } catch (error) {
      this.drop(hit, 'spoolWriteFailed');
      logger.error({ err: error, orderId: hit.orderId }, 'order hit could not be written to the spool, so it is not tracked');
      throw error;
    } finally {
      if (inMemory) {
        this.reserved -= 1;
      }
    }

    if (inMemory) {
      this.waiting.push(hit);
    }
    events.emit('queued', { orderId: hit.orderId, hitId: hit.id, acceptedAt: hit.acceptedAt, onDiskOnly: !inMemory });
    this.kick();
    return { onDiskOnly: !inMemory };
  }

  /** Start the send loop unless it runs, waits for a retry, or delivery stopped. */
  private kick(): void {
    if (this.stopped || this.run !== undefined || this.backoffTimer !== undefined) {
      return;
    }
    this.run = this.sendUntilIdle().catch((error: unknown) => {
      this.options.logger.error({ err: error }, 'order delivery failed unexpectedly; it is tried again');
      this.scheduleRetry(this.shortenWhileClosing(this.options.retry.maxDelayMs));
      return 'backoff' as const;
    }).then((result) => {
      this.run = undefined;
      // Hits accepted while the loop was finishing found it still running and did not start a new one. So did
      // close() or flush() when they cancelled the retry wait this run had just set.
      const waitCancelled = result === 'backoff' && this.backoffTimer === undefined;
      if ((result === 'idle' || waitCancelled) && this.waiting.length > 0) {
        this.kick();
      }
      this.notifyIfDrained();
      return result;
    });
  }

  private async sendUntilIdle(): Promise<RunResult> {
    try {
      await this.ready;
    } catch {
      return 'idle';
    }
    // One turn of the event loop lets a burst of orders accepted together share the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));

    for (;;) {
      if (this.stopped) {
        return 'stopped';
      }
      await this.claimFromDisk();
      await this.waitForFullerBatch();
      if (this.stopped) {
        return 'stopped';
      }
      const batch = takeBatch(this.waiting, this.options.batch);
      if (batch.length === 0) {
        return 'idle';
      }
      if (await this.send(batch) === 'backoff') {
        return 'backoff';
      }
    }
  }

  /** Claim hits waiting on disk when fewer than a batch wait in memory, leaving the rest to other processes. */
  private async claimFromDisk(): Promise<void> {
    const { store, maxQueue, batch, logger } = this.options;
    if (!store.durable || this.waiting.length >= batch.maxBatchSize) {
      return;
    }
    const claimCount = Math.min(maxQueue - this.memoryCount(), batch.maxBatchSize - this.waiting.length);
    if (claimCount <= 0) {
      return;
    }

    this.reserved += claimCount;
    try {
      this.waiting.push(...await store.claimWaiting(claimCount));
    } catch (error) {
      logger.error({ err: error }, 'hits waiting in the spool could not be read; they are tried again later');
    } finally {
      this.reserved -= claimCount;
    }
  }

  /** Let more hits join the next batch, until BATCH_INTERVAL_MS after the last delivered request started. */
  private async waitForFullerBatch(): Promise<void> {
    const waitMs = this.lastDeliveredAt + BATCH_INTERVAL_MS - Date.now();
    const next = this.waiting[0];
    // A hit marked sendAlone cannot share its request, so waiting would only delay it.
    if (waitMs <= 0 || next === undefined || next.sendAlone || this.waiting.length >= this.options.batch.maxBatchSize
      || this.flushing > 0 || this.closing !== undefined) {
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.endBatchWait(), waitMs);
      timer.unref();
      this.batchWait = { timer, resolve };
    });
  }

  private endBatchWait(): void {
    const wait = this.batchWait;
    this.batchWait = undefined;
    if (wait !== undefined) {
      clearTimeout(wait.timer);
      wait.resolve();
    }
  }

  private async send(batch: PendingHit[]): Promise<'continue' | 'backoff'> {
    const startedAt = Date.now();
    this.inFlight = batch;
    for (const hit of batch) {
      hit.attempts += 1;
    }

    let result: TransportResult;
    try {
      result = await this.options.transport.send(batch.map((hit) => hit.line));
    } catch (error) {
      // The HTTP transport returns errors; a replaced transport may throw them.
      result = { error: error instanceof Error ? error : new Error(String(error)) };
    }

    const row = classifyResult(result);
    if (row.outcome === 'delivered') {
      this.lastDeliveredAt = startedAt;
      await this.settleDelivered(batch, result.status as number);
      return 'continue';
    }
    if (row.outcome === 'retry') {
      await this.settleRetry(batch, result, row);
      return 'backoff';
    }
    await this.settleRejected(batch, result);
    return 'continue';
  }

  private async settleDelivered(batch: PendingHit[], status: number): Promise<void> {
    const { store, logger, events } = this.options;
    this.failuresInARow = 0;
    try {
      await store.acknowledge(batch);
    } catch (error) {
      logger.error({ err: error, orderIds: orderIdsOf(batch) },
        'delivered hits could not be removed from the spool; they are sent again after a restart');
    }
    this.inFlight = [];
    this.counters.sent += batch.length;
    logger.debug({ orderIds: orderIdsOf(batch), status }, 'order hits delivered');
    events.emit('sent', { orderIds: orderIdsOf(batch), status });
  }

  private async settleRetry(batch: PendingHit[], result: TransportResult, row: PolicyRow): Promise<void> {
    const { retry, logger, events, random } = this.options;
    this.failuresInARow += 1;
    const now = Date.now();
    const expired = batch.filter((hit) => now - hit.enqueuedAt >= retry.maxAgeMs);
    const retained = batch.filter((hit) => now - hit.enqueuedAt < retry.maxAgeMs);

    this.inFlight = [];
    this.waiting.unshift(...retained);
    this.counters.retried += retained.length;
    for (const hit of expired) {
      await this.bury(hit, 'expired', result);
    }

    const delayMs = this.shortenWhileClosing(
      retryDelayMs(this.failuresInARow, row.honoursRetryAfter ? result.retryAfterMs : undefined, retry, random),
    );
    const failure = { status: result.status, error: result.error?.message };
    logger.warn({ orderIds: orderIdsOf(batch), ...failure, failures: this.failuresInARow, delayMs },
      `order hits not delivered (${row.response}); they stay queued and are tried again`);
    events.emit('retry', { orderIds: orderIdsOf(retained), failures: this.failuresInARow, delayMs, ...failure });
    this.scheduleRetry(delayMs);
  }

  private async settleRejected(batch: PendingHit[], result: TransportResult): Promise<void> {
    this.failuresInARow = 0;
    this.inFlight = [];
    if (batch.length > 1) {
      for (const hit of batch) {
        hit.sendAlone = true;
      }
      this.waiting.unshift(...batch);
      this.options.logger.warn({ orderIds: orderIdsOf(batch), status: result.status },
        'a batch of order hits was rejected; each hit is sent again alone, so only the hits the server rejects become dead letters');
      return;
    }
    await this.bury(batch[0], 'rejected', result);
  }

  private async bury(hit: PendingHit, reason: DeadLetterReason, result: TransportResult): Promise<void> {
    const { store, logger, events } = this.options;
    const deadLetter: DeadLetter = {
      hitId: hit.id,
      orderId: hit.orderId,
      line: hit.line,
      acceptedAt: hit.acceptedAt,
      rejectedAt: Date.now(),
      reason,
      ...(result.status === undefined ? {} : { status: result.status }),
      ...(result.error === undefined ? {} : { error: result.error.message }),
      attempts: hit.attempts,
    };

    let discarded: DeadLetter[] = [];
    try {
      discarded = await store.bury(deadLetter);
    } catch (error) {
      logger.error({ err: error, orderId: hit.orderId },
        'dead letter could not be written to the spool; the hit stays claimed and is queued again after a restart');
    }

    this.counters.rejected += 1;
    this.releases.start(hit.orderId, 'its hit was rejected');
    const fields = { orderId: hit.orderId, hitId: hit.id, status: deadLetter.status, error: deadLetter.error, attempts: hit.attempts };
    logger.error(fields, reason === 'rejected'
      ? 'the track server rejected the order hit; it is kept as a dead letter that tracker.retryDeadLetters() sends again'
      : 'the order hit was not delivered within retry.maxAgeMs; it is kept as a dead letter that tracker.retryDeadLetters() sends again');
    events.emit('rejected', { orderId: hit.orderId, hitId: hit.id, reason, status: deadLetter.status, error: deadLetter.error });

    for (const old of discarded) {
      this.drop({ orderId: old.orderId, id: old.hitId }, 'deadLetterLimit');
      logger.error({ orderId: old.orderId, hitId: old.hitId },
        'the oldest dead letter was discarded, because maxQueue dead letters are kept in memory without a spool');
    }
  }

  private drop(hit: { orderId: string | undefined; id: string }, reason: DropReason): void {
    this.counters.dropped += 1;
    this.options.events.emit('dropped', { orderId: hit.orderId, hitId: hit.id, reason });
  }

  /**
   * Count a hit lost to an unreadable spool file as dropped. A waiting hit whose order ID is still readable
   * releases its claim; a dead letter's claim was released when it became one.
   */
  private dropUnreadable(file: UnreadableFile): void {
    this.drop({ orderId: file.orderId, id: file.hitId }, 'corrupt');
    if (file.kind === 'hit' && file.orderId !== undefined) {
      this.releases.start(file.orderId, 'its spool file is unreadable');
    }
  }

  private scheduleRetry(delayMs: number): void {
    if (this.stopped) {
      return;
    }
    this.cancelBackoff();
    this.backoffTimer = setTimeout(() => {
      this.backoffTimer = undefined;
      this.kick();
    }, delayMs);
    this.backoffTimer.unref();
  }

  /** Cap a retry wait while close() runs, to CLOSE_RETRY_MAX_WAIT_MS and to the time close() has left. */
  private shortenWhileClosing(delayMs: number): number {
    if (this.closeDeadlineAt === undefined) {
      return delayMs;
    }
    return Math.max(0, Math.min(delayMs, CLOSE_RETRY_MAX_WAIT_MS, this.closeDeadlineAt - Date.now()));
  }

  private cancelBackoff(): void {
    clearTimeout(this.backoffTimer);
    this.backoffTimer = undefined;
  }

  private startPolling(): void {
    if (!this.options.store.durable || this.stopped) {
      this.kick();
      return;
    }
    this.pollTimer = setInterval(() => this.kick(), SPOOL_POLL_MS);
    this.pollTimer.unref();
    this.kick();
  }

  private async shutDown(timeoutMs: number): Promise<void> {
    const { store, logger, transport } = this.options;

    const deadline = startDeadline(timeoutMs);
    this.closeDeadlineAt = Date.now() + timeoutMs;
    // A hit waiting out a long backoff is tried now, then again after short waits until the deadline.
    this.cancelBackoff();
    this.endBatchWait();
    this.kick();
    await Promise.race([this.whenDrained(), deadline.reached]);
    deadline.cancel();

    this.stopped = true;
    this.cancelBackoff();
    clearInterval(this.pollTimer);
    // Destroying the connections ends a request still on the wire with an error, and its hits go back
    // into `waiting`. The server may have received that request, so those hits may arrive twice.
    transport.close();
    await this.run;
    await Promise.allSettled([...this.accepting]);

    const left = this.waiting.splice(0);
    if (left.length > 0 && store.durable) {
      try {
        await store.release(left);
      } catch (error) {
        logger.error({ err: error }, 'claimed hits could not be released at close; the next start queues them again');
      }
      logger.warn({ hits: left.length }, 'tracker closed with hits not yet delivered; they stay in the spool for the next start');
    } else if (left.length > 0) {
      for (const hit of left) {
        this.drop(hit, 'closed');
        this.releases.start(hit.orderId, 'its hit was dropped at close');
      }
      logger.error({ orderIds: orderIdsOf(left) },
        'tracker closed before these order hits were delivered; without spoolDir they are lost');
    }

    await this.releases.settled();
    try {
      await this.ready;
      await store.close();
    } catch (error) {
      logger.error({ err: error }, 'the spool could not be closed cleanly; the next start takes over its claims');
    }
  }

  private whenDrained(): Promise<void> {
    return new Promise((resolve) => {
      this.drainWaiters.push(resolve);
      this.notifyIfDrained();
    });
  }

  private notifyIfDrained(): void {
    if (this.drainWaiters.length === 0 || this.run !== undefined || this.accepting.size > 0 || !this.isEmpty()) {
      return;
    }
    for (const resolve of this.drainWaiters.splice(0)) {
      resolve();
    }
  }

  /** Check that no hit waits in memory, in flight or on disk, as far as this process has counted. */
  private isEmpty(): boolean {
    return this.waiting.length === 0 && this.inFlight.length === 0 && this.options.store.waitingOnDisk().count === 0;
  }

  private memoryCount(): number {
    return this.waiting.length + this.inFlight.length + this.reserved;
  }
}

function orderIdsOf(hits: readonly PendingHit[]): string[] {
  return hits.map((hit) => hit.orderId);
}

/**
 * Start the timer of close(). It is the one timer left referenced, because close() was asked to wait up
 * to `timeoutMs` and an unreferenced wait would let Node exit with hits in memory before close() resolves.
 */
function startDeadline(timeoutMs: number): { reached: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const reached = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  return { reached, cancel: () => clearTimeout(timer) };
}
