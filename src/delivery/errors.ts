/** Thrown by trackOrder without a spool when `maxQueue` hits already wait in memory; the order is not tracked. */
export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
  readonly orderId: string;
  readonly maxQueue: number;

  constructor(orderId: string, maxQueue: number) {
    super(`mapp-s2s: order ${JSON.stringify(orderId)} was not queued: ${maxQueue} hits (maxQueue) already wait in memory `
      + 'for the track server. Set spoolDir to keep more hits on disk, or raise maxQueue.');
    this.orderId = orderId;
    this.maxQueue = maxQueue;
  }
}

/** Thrown by trackOrder and retryDeadLetters after `tracker.close()`. */
export class TrackerClosedError extends Error {
  override readonly name = 'TrackerClosedError';

  constructor(method: string) {
    super(`mapp-s2s: ${method}() was called after tracker.close(); create a new tracker to track more orders`);
  }
}
