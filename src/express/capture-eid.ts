import type { NextFunction, Request, RequestHandler, Response } from 'express';

import { assertMountedIn } from '../core/framework';
import { createCheckoutCapture, type CaptureEidOptionsFor } from '../core/checkout-capture';
import { expressBinding } from './request';

export type CaptureEidOptions = CaptureEidOptionsFor<Request>;

/**
 * Middleware for the last checkout page: stores the visitor's Ever ID, IP, user agent and client hints in
 * the session, and under the order ID when `orderId` returns one. Other requests pass straight through.
 * Tracking errors are logged, never passed to next().
 */
export function captureEid(options: CaptureEidOptions): RequestHandler {
  const capture = createCheckoutCapture(options, expressBinding);

  return function captureEidMiddleware(req: Request, _res: Response, next: NextFunction): void {
    assertMountedIn('Express', 'captureEid', next);
    capture(req);
    next();
  };
}
