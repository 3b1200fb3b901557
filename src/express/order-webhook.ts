import type { NextFunction, Request, RequestHandler, Response } from 'express';

import { assertMountedIn } from '../core/framework';
import { createOrderWebhook, WEBHOOK_RESPONSE, type OrderWebhookOptionsFor } from '../core/order-webhook';
import { expressBinding } from './request';

export type OrderWebhookOptions = OrderWebhookOptionsFor<Request>;

/**
 * Handler for a payment provider's server-to-server notification. It tracks the order with the visitor
 * stored at checkout under the order ID, never with the caller's IP, user agent or cookies, and responds
 * with `200 {"received":true}` whether tracking succeeded or not. It waits for the order to be claimed and
 * queued, never for Mapp. An error of the shop's `order` or `orderId` callback goes to next(err).
 */
export function orderWebhook(options: OrderWebhookOptions): RequestHandler {
  const handleNotification = createOrderWebhook(options, expressBinding);
  let missingBodyLogged = false;

  return async function orderWebhookMiddleware(req: Request, res: Response, next: NextFunction): Promise<void> {
    assertMountedIn('Express', 'orderWebhook', next);
    if (req.body === undefined && !missingBodyLogged) {
      missingBodyLogged = true;
      options.tracker.logger.warn({ path: req.path },
        'orderWebhook: req.body is undefined, so the order callback cannot read the notification; mount express.json() before orderWebhook');
    }
    try {
      await handleNotification(req);
    } catch (error) {
      next(error);
      return;
    }

    res.status(WEBHOOK_RESPONSE.status).json(WEBHOOK_RESPONSE.body);
  };
}
