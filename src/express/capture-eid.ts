import type { NextFunction, Request, RequestHandler, Response } from 'express';
import Joi from 'joi';

import { captureCheckout } from '../core/capture';
import { matchesRoute, routeSchema, type RouteMatcher } from '../core/route';
import { trackerOptionSchema } from '../core/tracker-option';
import { validateOptions } from '../options';
import type { Tracker } from '../tracker';
import { expressRequestFacts, expressSession } from './request';

export interface CaptureEidOptions {
  tracker: Tracker;
  /** The last checkout page(s) before the shopper leaves to pay. */
  route: RouteMatcher<Request>;
  /**
   * The ID of the order this checkout request creates, when the shop has it already. The visitor is then
   * also stored under that ID, for a payment webhook or a return without the session cookie.
   */
  orderId?: (req: Request) => string | number | undefined;
}

const schema = Joi.object({
  tracker: trackerOptionSchema,
  route: routeSchema,
  orderId: Joi.function().description('a function (req) => order ID, such as (req) => req.session.orderId'),
});

/**
 * Middleware for the last checkout page: stores the visitor's Ever ID, IP, user agent and client hints in
 * the session, and under the order ID when `orderId` returns one. Other requests pass straight through.
 * Never fails the request.
 */
export function captureEid(options: CaptureEidOptions): RequestHandler {
  const { tracker, route, orderId } = validateOptions<CaptureEidOptions>('captureEid', schema, options,
    "captureEid({ tracker, route: '/cart_checkout' })");
  const { logger } = tracker;
  let missingSessionLogged = false;

  return function captureEidMiddleware(req: Request, _res: Response, next: NextFunction): void {
    try {
      if (matchesRoute(route, req.path, req)) {
        const session = expressSession(req);
        // Without orderId the session is the only place the visitor can go.
        if (!session && !orderId && !missingSessionLogged) {
          missingSessionLogged = true;
          logger.error({ path: req.path },
            'captureEid: req.session is missing, so the Ever ID cannot be stored; mount express-session before captureEid');
        }
        if (session || orderId) {
          captureCheckout(tracker, session, expressRequestFacts(req), orderId && (() => orderId(req)));
        }
      }
    } catch (error) {
      logger.error({ err: error }, 'captureEid: capturing the visitor failed; the request goes on untracked');
    }

    next();
  };
}
