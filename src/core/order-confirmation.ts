import Joi from 'joi';

import { validateOptions } from '../options';
import type { Order } from '../protocol/order';
import type { Tracker } from '../tracker';
import { runInBackground } from './background';
import { readShopOrder, trackConfirmedOrder } from './confirm';
import type { FrameworkBinding } from './framework';
import { readOrderKey } from './order-key';
import { trackerOptionSchema } from './tracker-option';
import { resolveConfirmationVisitor } from './visitor-context';

/** Options of orderConfirmation; `Request` is the framework's request (Express `req`, Koa `ctx`). */
export interface OrderConfirmationOptionsFor<Request> {
  tracker: Tracker;
  /** Return the confirmed order of this request, or undefined when there is none to track. */
  order: (request: Request) => Order | undefined | null | Promise<Order | undefined | null>;
  /** The ID the checkout stored the visitor under, when it is not the order's own `id` (default: `order.id`). */
  orderId?: (request: Request) => string | number | undefined;
}

/**
 * Validate orderConfirmation's options and return the step it runs on each request: read the shop's
 * order, resolve the visitor and queue the order without waiting for the visitor store or delivery. The
 * returned promise never rejects; it settles once the shop's order callback has, and every failure is
 * logged.
 */
export function createOrderConfirmation<Request>(
  options: OrderConfirmationOptionsFor<Request>,
  binding: FrameworkBinding<Request>,
): (request: Request) => Promise<void> {
  const name = binding.requestName;
  const schema = Joi.object({
    tracker: trackerOptionSchema,
    order: Joi.function().required().description(`a function (${name}) => order, such as (${name}) => ({ id, value, products })`),
    orderId: Joi.function().description(`a function (${name}) => order ID, such as (${name}) => ${name}.query.orderId`),
  });
  const { tracker, order, orderId } = validateOptions<OrderConfirmationOptionsFor<Request>>('orderConfirmation', schema, options,
    `orderConfirmation({ tracker, order: (${name}) => ({ id, value, products }) })`);

  return async function confirmOrder(request: Request): Promise<void> {
    try {
      const shopOrder = await readShopOrder(order, request, tracker, 'orderConfirmation');
      if (shopOrder) {
        const fromRequest = resolveConfirmationVisitor(binding.session(request), binding.facts(request), tracker.settings);
        const lookupId = readOrderKey(orderId && (() => orderId(request)), tracker, 'orderConfirmation');
        runInBackground(trackConfirmedOrder(tracker, shopOrder, fromRequest, lookupId, 'orderConfirmation'));
      }
    } catch (error) {
      tracker.logger.error({ err: error }, 'orderConfirmation: tracking failed; the page is served untracked');
    }
  };
}
