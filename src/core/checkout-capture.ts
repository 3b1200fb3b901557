import Joi from 'joi';

import { validateOptions } from '../options';
import { maskEid } from '../protocol/eid';
import type { Tracker } from '../tracker';
import type { FrameworkBinding } from './framework';
import { matchesRoute, routeSchema, type RouteMatcher } from './route';
import { trackerOptionSchema } from './tracker-option';
import { captureIntoSession } from './visitor-context';

/** Options of captureEid; `Request` is the framework's request (Express `req`, Koa `ctx`). */
export interface CaptureEidOptionsFor<Request> {
  tracker: Tracker;
  /** The last checkout page(s) before the shopper leaves to pay. */
  route: RouteMatcher<Request>;
}

const schema = Joi.object({
  tracker: trackerOptionSchema,
  route: routeSchema,
});

/**
 * Validate captureEid's options and return the step it runs on each request: on a checkout route, store
 * the visitor's Ever ID, IP, user agent and client hints in the session. The step never throws.
 */
export function createCheckoutCapture<Request>(
  options: CaptureEidOptionsFor<Request>,
  binding: FrameworkBinding<Request>,
): (request: Request) => void {
  const { tracker, route } = validateOptions<CaptureEidOptionsFor<Request>>('captureEid', schema, options,
    "captureEid({ tracker, route: '/cart_checkout' })");
  const { logger, settings } = tracker;
  let missingSessionLogged = false;

  return function captureCheckoutVisitor(request: Request): void {
    try {
      const path = binding.path(request);
      if (!matchesRoute(route, path, request)) {
        return;
      }

      const session = binding.session(request);
      if (session) {
        const { outcome, visitor } = captureIntoSession(session, binding.facts(request), settings);
        logger.debug({ outcome, eid: maskEid(visitor.eid) }, 'captureEid: checkout visitor captured');
      } else if (!missingSessionLogged) {
        missingSessionLogged = true;
        logger.error({ path }, `captureEid: ${binding.requestName}.session is missing, so the Ever ID cannot be stored; `
          + `mount ${binding.sessionMiddleware} before captureEid`);
      }
    } catch (error) {
      logger.error({ err: error }, 'captureEid: capturing the visitor failed; the request goes on untracked');
    }
  };
}
