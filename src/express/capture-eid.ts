import type { NextFunction, Request, RequestHandler, Response } from 'express';
import Joi from 'joi';

import { matchesRoute, routeSchema, type RouteMatcher } from '../core/route';
import { trackerOptionSchema } from '../core/tracker-option';
import { captureIntoSession } from '../core/visitor-context';
import { validateOptions } from '../options';
import { maskEid } from '../protocol/eid';
import type { Tracker } from '../tracker';
import { expressRequestFacts, expressSession } from './request';

export interface CaptureEidOptions {
  tracker: Tracker;
  /** The last checkout page(s) before the shopper leaves to pay. */
  route: RouteMatcher<Request>;
}

const schema = Joi.object({
  tracker: trackerOptionSchema,
  route: routeSchema,
});

/**
 * Middleware for the last checkout page: stores the visitor's Ever ID, IP, user agent and client hints in
 * the session. Other requests pass straight through. Never fails the request.
 */
export function captureEid(options: CaptureEidOptions): RequestHandler {
  const { tracker, route } = validateOptions<CaptureEidOptions>('captureEid', schema, options,
    "captureEid({ tracker, route: '/cart_checkout' })");
  const { logger, settings } = tracker;
  let missingSessionLogged = false;

  return function captureEidMiddleware(req: Request, _res: Response, next: NextFunction): void {
    try {
      if (matchesRoute(route, req.path, req)) {
        const session = expressSession(req);
        if (session) {
          const { outcome, visitor } = captureIntoSession(session, expressRequestFacts(req), settings);
          logger.debug({ outcome, eid: maskEid(visitor.eid) }, 'captureEid: checkout visitor captured');
        } else if (!missingSessionLogged) {
          missingSessionLogged = true;
          logger.error({ path: req.path },
            'captureEid: req.session is missing, so the Ever ID cannot be stored; mount express-session before captureEid');
        }
      }
    } catch (error) {
      logger.error({ err: error }, 'captureEid: capturing the visitor failed; the request goes on untracked');
    }

    next();
  };
}
