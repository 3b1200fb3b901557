import request from 'supertest';

import type { RunningDemo } from './demo';

export interface CheckoutOptions {
  /** Button pressed on the payment page. Default `'pay'`. */
  action?: 'pay' | 'cancel';
  /** Replaces fields of the payment request on its way to the payment provider, as a tampering shopper could. */
  tamper?: Record<string, string>;
  /** Stop after the payment provider's redirect, like a shopper who closes the tab while paying. */
  skipReturn?: boolean;
}

/**
 * Buys one tent in the demo over plain HTTP, without a browser: cart, checkout, payment page, and back to
 * the shop's confirmation page. Returns the shop's cookie-keeping agent, the order ID and the return path.
 */
export async function checkOut(demo: RunningDemo, options: CheckoutOptions = {}) {
  const shop = request.agent(demo.shopUrl);
  await shop.post('/cart/items').type('form').send({ productId: 'TENT-2P' }).expect(303);
  await shop.get('/cart_checkout').expect(200);
  const toPaymentProvider = await shop.post('/cart_checkout').expect(303);

  const payment = new URL(toPaymentProvider.headers.location);
  const fields = { ...Object.fromEntries(payment.searchParams), ...options.tamper };
  const backToShop = await request(demo.pspUrl).post('/pay').type('form')
    .send({ ...fields, action: options.action ?? 'pay' })
    .expect(303);

  const returnUrl = new URL(backToShop.headers.location);
  const returnPath = `${returnUrl.pathname}${returnUrl.search}`;
  const confirmation = options.skipReturn === true ? undefined : await shop.get(returnPath);
  return { shop, orderId: fields.order_id, returnPath, confirmation };
}
