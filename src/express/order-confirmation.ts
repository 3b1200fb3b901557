import type { NextFunction, Request, RequestHandler, Response } from 'express';
import Joi from 'joi';

import { readShopOrder, trackConfirmedOrder } from '../core/confirm';
import { readOrderKey } from '../core/order-key';
import { trackerOptionSchema } from '../core/tracker-option';
import { resolveConfirmationVisitor } from '../core/visitor-context';
import { validateOptions } from '../options';
import type { Order } from '../protocol/order';
import type { Tracker } from '../tracker';
import { expressRequestFacts, expressSession } from './request';

export interface OrderConfirmationOptions {
  tracker: Tracker;
  /** Return the confirmed order of this request, or undefined when there is none to track. */
  order: (req: Request) => Order | undefined | null | Promise<Order | undefined | null>;
  /** The ID the checkout stored the visitor under, when it is not the order's own `id` (default: `order.id`). */
  orderId?: (req: Request) => string | number | undefined;
}

const schema = Joi.object({
  tracker: trackerOptionSchema,
  order: Joi.function().required().description('a function (req) => order, such as (req) => ({ id, value, products })'),
  orderId: Joi.function().description('a function (req) => order ID, such as (req) => req.query.orderId'),
});

/**
 * Handler for the order confirmation page: queues the order with the visitor captured at checkout, then
 * calls next() so the shop renders its own page. The response never waits for Mapp or the visitor store.
 */
export function orderConfirmation(options: OrderConfirmationOptions): RequestHandler {
  const { tracker, order, orderId } = validateOptions<OrderConfirmationOptions>('orderConfirmation', schema, options,
    'orderConfirmation({ tracker, order: (req) => ({ id, value, products }) })');

  return async function orderConfirmationMiddleware(req: Request, _res: Response, next: NextFunction): Promise<void> {
    try {
      const shopOrder = await readShopOrder(order, req, tracker, 'orderConfirmation');
      if (shopOrder) {
        const fromRequest = resolveConfirmationVisitor(expressSession(req), expressRequestFacts(req), tracker.settings);
        const lookupId = readOrderKey(orderId && (() => orderId(req)), tracker, 'orderConfirmation');
        void trackConfirmedOrder(tracker, shopOrder, fromRequest, lookupId, 'orderConfirmation');
      }
    } catch (error) {
      tracker.logger.error({ err: error }, 'orderConfirmation: tracking failed; the page is served untracked');
    }

    next();
  };
}
