import cookieParser from 'cookie-parser';
import express, { type Express, type Request } from 'express';
import session from 'express-session';

import { captureEid, orderConfirmation, orderWebhook, type Order, type Tracker } from '../../src';

export interface ShopOptions {
  tracker: Tracker;
  trustProxy?: number;
  withCookieParser?: boolean;
  withSession?: boolean;
  /** express-session's saveUninitialized; true unless set. */
  saveUninitialized?: boolean;
  order?: (req: Request) => Order | undefined;
  /** The order ID captureEid stores the visitor under; default: the `order` query parameter; false: none. */
  checkoutOrderId?: ((req: Request) => string | undefined) | false;
  /** The order callback of the webhook; default: SAMPLE_ORDER with the ID from the JSON body. */
  webhookOrder?: (req: Request) => Order | undefined;
}

export const SAMPLE_ORDER: Order = {
  id: 'A-1001', value: 79.7, currency: 'EUR',
  products: [{ id: 'SKU-1', price: 39.9, quantity: 1 }, { id: 'SKU-2', price: 19.9, quantity: 2 }],
};

function sampleOrderWithId(id: unknown): Order | undefined {
  return typeof id === 'string' ? { ...SAMPLE_ORDER, id } : undefined;
}

/**
 * A small Express shop with a real express-session: a checkout page, a confirmation page (GET), a return
 * page for cross-site POSTs and a payment provider webhook.
 */
export function createExpressShop(options: ShopOptions): Express {
  const app = express();
  if (options.trustProxy !== undefined) {
    app.set('trust proxy', options.trustProxy);
  }
  if (options.withCookieParser) {
    app.use(cookieParser());
  }
  if (options.withSession !== false) {
    app.use(session({ secret: 'test secret', resave: false, saveUninitialized: options.saveUninitialized ?? true }));
  }

  const orderFromQuery = (req: Request): string | undefined => (typeof req.query.order === 'string' ? req.query.order : undefined);
  app.use(captureEid({
    tracker: options.tracker,
    route: '/cart_checkout',
    orderId: options.checkoutOrderId === false ? undefined : options.checkoutOrderId ?? orderFromQuery,
  }));
  app.get('/cart_checkout', (_req, res) => {
    res.send('checkout');
  });
  app.get('/products', (_req, res) => {
    res.send('products');
  });
  app.get('/order/complete', orderConfirmation({
    tracker: options.tracker,
    order: options.order ?? ((req) => ({ ...SAMPLE_ORDER, id: String(req.query.id ?? SAMPLE_ORDER.id) })),
  }), (_req, res) => {
    res.send('thanks');
  });
  app.post('/order/return', express.urlencoded({ extended: false }), orderConfirmation({
    tracker: options.tracker,
    order: (req) => sampleOrderWithId(req.body?.orderId),
  }), (_req, res) => {
    res.send('thanks');
  });
  app.post('/webhooks/psp', express.json(), orderWebhook({
    tracker: options.tracker,
    order: options.webhookOrder ?? ((req) => sampleOrderWithId(req.body?.orderId)),
  }));

  return app;
}
