import { maskEid } from '../protocol/eid';
import type { Visitor } from '../protocol/visitor';
import type { Tracker } from '../tracker';
import { readOrderKey } from './order-key';
import { captureIntoSession, visitorFromRequest, type RequestFacts, type SessionData } from './visitor-context';

/**
 * Capture the checkout request's visitor: into the session when there is one, and under the order ID when
 * `readOrderId` returns one. The store write runs in the background, so the checkout response never waits
 * for it; a failed write is logged.
 */
export function captureCheckout(
  tracker: Tracker,
  session: SessionData | undefined,
  facts: RequestFacts,
  readOrderId: (() => unknown) | undefined,
): Visitor {
  const { logger, settings } = tracker;
  let visitor: Visitor;
  if (session) {
    const captured = captureIntoSession(session, facts, settings);
    visitor = captured.visitor;
    logger.debug({ outcome: captured.outcome, eid: maskEid(visitor.eid), optedOut: visitor.optedOut === true },
      'captureEid: checkout visitor captured');
  } else {
    visitor = visitorFromRequest(facts, settings);
  }

  const orderId = readOrderKey(readOrderId, tracker, 'captureEid');
  if (orderId !== undefined) {
    tracker.saveVisitor(orderId, { ...visitor, capturedAt: Date.now() }).then(
      () => logger.debug({ orderId, eid: maskEid(visitor.eid) }, 'captureEid: visitor stored under the order ID'),
      (error: unknown) => logger.error({ err: error, orderId },
        'captureEid: storing the visitor under the order ID failed; a webhook for this order will send it without visitor data'),
    );
  }

  return visitor;
}
