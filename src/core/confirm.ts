import type { Order } from '../protocol/order';
import { maskEid } from '../protocol/eid';
import type { Visitor } from '../protocol/visitor';
import type { Tracker, TrackResult, VisitorSource } from '../tracker';

/**
 * Hand one confirmed order to the tracker without letting tracking touch the shop's response: the returned
 * promise never rejects, and every failure is logged.
 */
export function trackInBackground(
  tracker: Tracker,
  order: Order,
  visitor: Visitor,
  visitorSource: VisitorSource,
): Promise<TrackResult | undefined> {
  const { logger } = tracker;

  let pending: Promise<TrackResult>;
  try {
    pending = tracker.trackOrder(order, visitor, { visitorSource });
  } catch (error) {
    pending = Promise.reject(error);
  }

  return pending.catch((error: unknown) => {
    logger.error({ err: error, orderId: orderIdOf(order), eid: maskEid(visitor.eid) }, 'order was not tracked');
    return undefined;
  });
}

function orderIdOf(order: unknown): unknown {
  return typeof order === 'object' && order !== null ? (order as { id?: unknown }).id : undefined;
}

/** Run the shop's `order` callback. Returns undefined (and logs) when it throws or returns nothing. */
export async function readShopOrder<Request>(
  callback: (request: Request) => Order | undefined | null | Promise<Order | undefined | null>,
  request: Request,
  tracker: Tracker,
  handler: string,
): Promise<Order | undefined> {
  let order: Order | undefined | null;
  try {
    order = await callback(request);
  } catch (error) {
    tracker.logger.error({ err: error }, `${handler}: the shop's order callback threw, so no order was tracked`);
    return undefined;
  }

  if (order === undefined || order === null) {
    tracker.logger.debug({}, `${handler}: the order callback returned no order, so nothing was tracked`);
    return undefined;
  }
  return order;
}
