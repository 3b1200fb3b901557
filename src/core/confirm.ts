import type { Order } from '../protocol/order';
import { maskEid } from '../protocol/eid';
import type { Visitor } from '../protocol/visitor';
import type { Tracker, TrackResult, VisitorSource } from '../tracker';
import { identifiesVisitor, type ResolvedVisitor } from './visitor-context';

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

/**
 * Track an order confirmed by the shopper's own request, such as the return page. The visitor resolved
 * from the request wins when it has an EID from the session or an opt-out. Otherwise the visitor stored at
 * checkout under the order ID comes first. Never rejects.
 */
export async function trackConfirmedOrder(
  tracker: Tracker,
  order: Order,
  fromRequest: ResolvedVisitor,
  lookupId: string | undefined,
  handler: string,
): Promise<TrackResult | undefined> {
  const resolved = identifiesVisitor(fromRequest)
    ? fromRequest
    : (await findOrderVisitor(tracker, lookupId ?? orderKeyOf(order), handler)) ?? fromRequest;
  return trackResolved(tracker, order, resolved, handler);
}

/**
 * Track an order confirmed by a server-to-server notification. Only the visitor stored at checkout under
 * the order ID is used: the request comes from the provider, so its IP, user agent and cookies are not the
 * shopper's. Never rejects.
 */
export async function trackNotifiedOrder(
  tracker: Tracker,
  order: Order,
  lookupId: string | undefined,
  handler: string,
): Promise<TrackResult | undefined> {
  const resolved = (await findOrderVisitor(tracker, lookupId ?? orderKeyOf(order), handler)) ?? { visitor: {}, source: 'none' };
  return trackResolved(tracker, order, resolved, handler);
}

async function findOrderVisitor(tracker: Tracker, orderId: string | undefined, handler: string): Promise<ResolvedVisitor | undefined> {
  if (orderId === undefined) {
    return undefined;
  }

  try {
    const context = await tracker.findVisitor(orderId);
    if (!context) {
      return undefined;
    }
    const { capturedAt: _capturedAt, ...visitor } = context;
    return { visitor, source: 'orderStore' };
  } catch (error) {
    tracker.logger.error({ err: error, orderId }, `${handler}: looking up the visitor by order ID failed; the order is sent without it`);
    return undefined;
  }
}

async function trackResolved(tracker: Tracker, order: Order, resolved: ResolvedVisitor, handler: string): Promise<TrackResult | undefined> {
  const result = await trackInBackground(tracker, order, resolved.visitor, resolved.source);
  if (result?.status === 'queued' && result.visitorSource === 'none') {
    tracker.logger.warn({ orderId: result.orderId },
      `${handler}: no visitor data was found for the order, so it is sent without EID, IP and user agent; `
      + 'captureEid stores the visitor under the order ID at checkout when given its orderId option');
  }
  return result;
}

function orderKeyOf(order: Order): string | undefined {
  const id = orderIdOf(order);
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}
