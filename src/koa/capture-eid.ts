import type { Context, Middleware, Next } from 'koa';

import { assertMountedIn } from '../core/framework';
import { createCheckoutCapture, type CaptureEidOptionsFor } from '../core/checkout-capture';
import { koaBinding } from './context';

export type CaptureEidOptions = CaptureEidOptionsFor<Context>;

/**
 * Koa middleware for the last checkout page: stores the visitor's Ever ID, IP, user agent and client hints
 * in the session (koa-session), and under the order ID when `orderId` returns one. Other requests pass
 * straight through. Tracking errors are logged, never thrown.
 */
export function captureEid(options: CaptureEidOptions): Middleware {
  const capture = createCheckoutCapture(options, koaBinding);

  // Not async, so the framework check throws synchronously: Express 4 ignores a rejected promise.
  return function captureEidMiddleware(ctx: Context, next: Next): Promise<void> {
    assertMountedIn('Koa', 'captureEid', next);
    capture(ctx);
    return next();
  };
}
