import type { NextFunction, Request, RequestHandler, Response } from 'express';

import { assertMountedIn } from '../core/framework';
import { createOrderConfirmation, type OrderConfirmationOptionsFor } from '../core/order-confirmation';
import { expressBinding } from './request';

export type OrderConfirmationOptions = OrderConfirmationOptionsFor<Request>;

/**
 * Handler for the order confirmation page: queues the order with the visitor captured at checkout, then
 * calls next() so the shop renders its own page. The response never waits for Mapp or the visitor store.
 */
export function orderConfirmation(options: OrderConfirmationOptions): RequestHandler {
  const confirm = createOrderConfirmation(options, expressBinding);

  return async function orderConfirmationMiddleware(req: Request, _res: Response, next: NextFunction): Promise<void> {
    assertMountedIn('Express', 'orderConfirmation', next);
    await confirm(req);
    next();
  };
}
