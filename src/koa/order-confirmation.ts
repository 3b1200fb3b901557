import type { Context, Middleware, Next } from 'koa';

import { assertMountedIn } from '../core/framework';
import { createOrderConfirmation, type OrderConfirmationOptionsFor } from '../core/order-confirmation';
import { koaBinding } from './context';

export type OrderConfirmationOptions = OrderConfirmationOptionsFor<Context>;

/**
 * Koa middleware for the order confirmation page: queues the order with the visitor captured at checkout,
 * then hands on to the next middleware, which renders the shop's page. The response never waits for Mapp or
 * the visitor store.
 */
export function orderConfirmation(options: OrderConfirmationOptions): Middleware {
  const confirm = createOrderConfirmation(options, koaBinding);

  // Not async, so the framework check throws synchronously: Express 4 ignores a rejected promise.
  return function orderConfirmationMiddleware(ctx: Context, next: Next): Promise<void> {
    assertMountedIn('Koa', 'orderConfirmation', next);
    return confirm(ctx).then(() => next());
  };
}
