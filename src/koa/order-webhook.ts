import type { Middleware } from 'koa';

import { assertMountedIn } from '../core/framework';
import { createOrderWebhook, WEBHOOK_RESPONSE, type OrderWebhookOptionsFor } from '../core/order-webhook';
import { koaBinding } from './context';
import { readJsonBody, type WebhookContext } from './request-body';

export type { WebhookContext } from './request-body';
export type OrderWebhookOptions = OrderWebhookOptionsFor<WebhookContext>;

/**
 * Koa middleware for a payment provider's server-to-server notification. It tracks the order with the
 * visitor stored at checkout under the order ID, never with the caller's IP, user agent or cookies, and
 * responds with `200 {"received":true}` whether tracking succeeded or not. It waits for the order to be
 * claimed and queued, never for Mapp. An error of the shop's `order` or `orderId` callback is thrown on to
 * the shop's error handling.
 *
 * The shop's callbacks read the notification from `ctx.request.body`: set by a body parser mounted before,
 * or else read here from a JSON request (see readJsonBody).
 */
export function orderWebhook(options: OrderWebhookOptions): Middleware {
  const handleNotification = createOrderWebhook(options, koaBinding);

  // Koa passes next although this handler ends the request, so a missing next means a mount in Express.
  // Not async, so that check throws synchronously: Express 4 ignores a rejected promise.
  return function orderWebhookMiddleware(ctx: WebhookContext, next?: unknown): Promise<void> {
    assertMountedIn('Koa', 'orderWebhook', next);
    return respond(ctx);
  };

  async function respond(ctx: WebhookContext): Promise<void> {
    await readJsonBody(ctx);
    await handleNotification(ctx);

    ctx.status = WEBHOOK_RESPONSE.status;
    ctx.body = { ...WEBHOOK_RESPONSE.body };
  }
}
