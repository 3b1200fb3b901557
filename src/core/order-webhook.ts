import Joi from 'joi';

import { validateOptions } from '../options';
import type { Order } from '../protocol/order';
import type { Tracker } from '../tracker';
import { trackNotifiedOrder } from './confirm';
import type { FrameworkBinding } from './framework';
import { toOrderKey } from './order-key';
import { trackerOptionSchema } from './tracker-option';

/** Options of orderWebhook; `Request` is the framework's request (Express `req`, Koa `ctx`). */
export interface OrderWebhookOptionsFor<Request> {
  tracker: Tracker;
  /**
   * Return the order this notification confirms, or undefined when it confirms none (such as a failed
   * payment). May be async. When it throws, the provider gets no 2xx and delivers the notification again.
   */
  order: (request: Request) => Order | undefined | null | Promise<Order | undefined | null>;
  /** The ID the checkout stored the visitor under, when it is not the order's own `id` (default: `order.id`). */
  orderId?: (request: Request) => string | number | undefined;
}

/** The response every adapter sends the provider once the notification is handled, whether tracking succeeded or not. */
export const WEBHOOK_RESPONSE = { status: 200, body: { received: true } } as const;

/**
 * Validate orderWebhook's options and return the step it runs on each notification. The step reads the
 * shop's order and tracks it with the visitor stored at checkout under the order ID. It never uses the
 * caller's IP, user agent or cookies, because they belong to the provider. The returned promise settles
 * once the order is claimed and queued, never waiting for Mapp. It rejects only with an error of the
 * shop's `order` or `orderId` callback, so the adapter can hand that error to the shop's error handling.
 */
export function createOrderWebhook<Request>(
  options: OrderWebhookOptionsFor<Request>,
  binding: FrameworkBinding<Request>,
): (request: Request) => Promise<void> {
  const { requestName: name, bodyName: body } = binding;
  const schema = Joi.object({
    tracker: trackerOptionSchema,
    order: Joi.function().required().description(`a function (${name}) => order, such as (${name}) => ({ id: ${body}.orderId, value })`),
    orderId: Joi.function().description(`a function (${name}) => order ID, such as (${name}) => ${body}.orderId`),
  });
  const { tracker, order, orderId } = validateOptions<OrderWebhookOptionsFor<Request>>('orderWebhook', schema, options,
    `orderWebhook({ tracker, order: (${name}) => ({ id: ${body}.orderId, value }) })`);

  return async function handleNotification(request: Request): Promise<void> {
    const shopOrder = await order(request);
    const lookupId = orderId?.(request);

    if (shopOrder === undefined || shopOrder === null) {
      tracker.logger.debug({}, 'orderWebhook: the order callback returned no order, so nothing was tracked');
      return;
    }
    await trackNotifiedOrder(tracker, shopOrder, toOrderKey(lookupId, tracker, 'orderWebhook'), 'orderWebhook');
  };
}
