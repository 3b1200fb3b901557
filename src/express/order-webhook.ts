import type { NextFunction, Request, RequestHandler, Response } from 'express';
import Joi from 'joi';

import { trackNotifiedOrder } from '../core/confirm';
import { toOrderKey } from '../core/order-key';
import { trackerOptionSchema } from '../core/tracker-option';
import { validateOptions } from '../options';
import type { Order } from '../protocol/order';
import type { Tracker } from '../tracker';

export interface OrderWebhookOptions {
  tracker: Tracker;
  /**
   * Return the order this notification confirms, or undefined when it confirms none (such as a failed
   * payment). May be async; when it throws, the error goes to next(err) and the provider gets no 2xx.
   */
  order: (req: Request) => Order | undefined | null | Promise<Order | undefined | null>;
  /** The ID the checkout stored the visitor under, when it is not the order's own `id` (default: `order.id`). */
  orderId?: (req: Request) => string | number | undefined;
}

const schema = Joi.object({
  tracker: trackerOptionSchema,
  order: Joi.function().required().description('a function (req) => order, such as (req) => ({ id: req.body.orderId, value })'),
  orderId: Joi.function().description('a function (req) => order ID, such as (req) => req.body.orderId'),
});

/**
 * Handler for a payment provider's server-to-server notification. It tracks the order with the visitor
 * stored at checkout under the order ID, never with the caller's IP, user agent or cookies, and responds
 * with `200 {"received":true}` whether tracking succeeded or not. It waits for the order to be claimed and
 * queued, never for Mapp.
 */
export function orderWebhook(options: OrderWebhookOptions): RequestHandler {
  const { tracker, order, orderId } = validateOptions<OrderWebhookOptions>('orderWebhook', schema, options,
    'orderWebhook({ tracker, order: (req) => ({ id: req.body.orderId, value }) })');

  return async function orderWebhookMiddleware(req: Request, res: Response, next: NextFunction): Promise<void> {
    let shopOrder: Order | undefined | null;
    let lookupId: unknown;
    try {
      shopOrder = await order(req);
      lookupId = orderId?.(req);
    } catch (error) {
      next(error);
      return;
    }

    if (shopOrder !== undefined && shopOrder !== null) {
      await trackNotifiedOrder(tracker, shopOrder, toOrderKey(lookupId, tracker, 'orderWebhook'), 'orderWebhook');
    } else {
      tracker.logger.debug({}, 'orderWebhook: the order callback returned no order, so nothing was tracked');
    }

    res.status(200).json({ received: true });
  };
}
