import Joi from 'joi';

import { validateOptions } from '../options';
import { maskEid } from '../protocol/eid';
import type { Visitor } from '../protocol/visitor';
import type { Tracker } from '../tracker';
import { runInBackground } from './background';
import type { FrameworkBinding } from './framework';
import { readOrderKey } from './order-key';
import { matchesRoute, routeSchema, type RouteMatcher } from './route';
import { trackerOptionSchema } from './tracker-option';
import { captureIntoSession, visitorFromRequest, type RequestFacts, type SessionData } from './visitor-context';

/** Options of captureEid; `Request` is the framework's request (Express `req`, Koa `ctx`). */
export interface CaptureEidOptionsFor<Request> {
  tracker: Tracker;
  /** The last checkout page(s) before the shopper leaves to pay. */
  route: RouteMatcher<Request>;
  /**
   * The ID of the order this checkout request creates, when the shop has it already. The visitor is then
   * also stored under that ID, for a payment webhook or a return without the session cookie.
   */
  orderId?: (request: Request) => string | number | undefined;
}

/**
 * Validate captureEid's options and return the step it runs on each request: on a checkout route, store
 * the visitor's Ever ID, IP, user agent and client hints in the session, and under the order ID when
 * `orderId` returns one. The step never throws.
 */
export function createCheckoutCapture<Request>(
  options: CaptureEidOptionsFor<Request>,
  binding: FrameworkBinding<Request>,
): (request: Request) => void {
  const name = binding.requestName;
  const schema = Joi.object({
    tracker: trackerOptionSchema,
    route: routeSchema,
    orderId: Joi.function().description(`a function (${name}) => order ID, such as (${name}) => ${name}.session.orderId`),
  });
  const { tracker, route, orderId } = validateOptions<CaptureEidOptionsFor<Request>>('captureEid', schema, options,
    "captureEid({ tracker, route: '/cart_checkout' })");
  const { logger } = tracker;
  let missingSessionLogged = false;

  return function captureCheckoutVisitor(request: Request): void {
    try {
      const path = binding.path(request);
      if (!matchesRoute(route, path, request)) {
        return;
      }

      const session = binding.session(request);
      // Without orderId the session is the only place the visitor can go.
      if (!session && !orderId && !missingSessionLogged) {
        missingSessionLogged = true;
        logger.error({ path }, `captureEid: ${name}.session is missing, so the Ever ID cannot be stored; `
          + `mount ${binding.sessionMiddleware} before captureEid`);
      }
      if (session || orderId) {
        captureCheckout(tracker, session, binding.facts(request), orderId && (() => orderId(request)));
      }
    } catch (error) {
      logger.error({ err: error }, 'captureEid: capturing the visitor failed; the request goes on untracked');
    }
  };
}

/**
 * Capture the checkout request's visitor: into the session when there is one, and under the order ID when
 * `readOrderId` returns one. The store write runs in the background, so the checkout response never waits
 * for it; a failed write is logged.
 */
function captureCheckout(
  tracker: Tracker,
  session: SessionData | undefined,
  facts: RequestFacts,
  readOrderId: (() => unknown) | undefined,
): void {
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
    runInBackground(tracker.saveVisitor(orderId, { ...visitor, capturedAt: Date.now() }).then(
      () => logger.debug({ orderId, eid: maskEid(visitor.eid) }, 'captureEid: visitor stored under the order ID'),
      (error: unknown) => logger.error({ err: error, orderId },
        'captureEid: storing the visitor under the order ID failed; a webhook for this order will send it without visitor data'),
    ));
  }
}
