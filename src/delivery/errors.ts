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

/** Thrown by trackOrder and retryDeadLetters after `tracker.close()`, and by a trackOrder call that close() overtook. */
export class TrackerClosedError extends Error {
  override readonly name = 'TrackerClosedError';

  /** `overtaken`: the call started before tracker.close() but had not queued its hit when close() ran. */
  constructor(method: string, overtaken = false) {
    super(overtaken
      ? `mapp-s2s: tracker.close() ran while ${method}() was still running, so nothing was queued; create a new tracker to track more orders`
      : `mapp-s2s: ${method}() was called after tracker.close(); create a new tracker to track more orders`);
  }
}
