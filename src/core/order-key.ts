import type { Tracker } from '../tracker';

/**
 * Run the shop's `orderId` callback and return the order ID as a string, or undefined when the callback
 * is absent, returns nothing, throws or returns something that is not an ID. Every failure is logged.
 */
export function readOrderKey(read: (() => unknown) | undefined, tracker: Tracker, handler: string): string | undefined {
  if (read === undefined) {
    return undefined;
  }

  let value: unknown;
  try {
    value = read();
  } catch (error) {
    tracker.logger.error({ err: error }, `${handler}: the shop's orderId callback threw, so the visitor is not stored or looked up by order ID`);
    return undefined;
  }
  return toOrderKey(value, tracker, handler);
}

/** Convert an order ID to its store key, the same string that trackOrder sends as `oi`. */
export function toOrderKey(value: unknown, tracker: Tracker, handler: string): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  // A lone surrogate is stored as U+FFFD, so two such IDs would share one visitor; trackOrder rejects them too.
  if ((typeof value === 'string' && value.length > 0 && value.isWellFormed())
    || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)) {
    return String(value);
  }

  tracker.logger.warn({ type: typeof value },
    `${handler}: the orderId callback returned neither a non-empty, well-formed string nor a whole number, so it is ignored`);
  return undefined;
}
