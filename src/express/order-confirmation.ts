import type { NextFunction, Request, RequestHandler, Response } from 'express';
import Joi from 'joi';

import { readShopOrder, trackInBackground } from '../core/confirm';
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
}

const schema = Joi.object({
  tracker: trackerOptionSchema,
  order: Joi.function().required().description('a function (req) => order, such as (req) => ({ id, value, products })'),
});

/**
 * Handler for the order confirmation page: queues the order with the visitor captured at checkout, then
 * calls next() so the shop renders its own page. The response never waits for Mapp.
 */
export function orderConfirmation(options: OrderConfirmationOptions): RequestHandler {
  const { tracker, order } = validateOptions<OrderConfirmationOptions>('orderConfirmation', schema, options,
    'orderConfirmation({ tracker, order: (req) => ({ id, value, products }) })');

  return async function orderConfirmationMiddleware(req: Request, _res: Response, next: NextFunction): Promise<void> {
    try {
      const shopOrder = await readShopOrder(order, req, tracker, 'orderConfirmation');
      if (shopOrder) {
        const { visitor, source } = resolveConfirmationVisitor(expressSession(req), expressRequestFacts(req), tracker.settings);
        void trackInBackground(tracker, shopOrder, visitor, source);
      }
    } catch (error) {
      tracker.logger.error({ err: error }, 'orderConfirmation: tracking failed; the page is served untracked');
    }

    next();
  };
}
