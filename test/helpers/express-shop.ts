import cookieParser from 'cookie-parser';
import express, { type Express, type Request } from 'express';
import session from 'express-session';

import { captureEid, orderConfirmation, type Order, type Tracker } from '../../src';

export interface ShopOptions {
  tracker: Tracker;
  trustProxy?: number;
  withCookieParser?: boolean;
  withSession?: boolean;
  order?: (req: Request) => Order | undefined;
}

export const SAMPLE_ORDER: Order = {
  id: 'A-1001', value: 79.7, currency: 'EUR',
  products: [{ id: 'SKU-1', price: 39.9, quantity: 1 }, { id: 'SKU-2', price: 19.9, quantity: 2 }],
};

/** A small Express shop with a real express-session: a checkout page and a confirmation page. */
export function createExpressShop(options: ShopOptions): Express {
  const app = express();
  if (options.trustProxy !== undefined) {
    app.set('trust proxy', options.trustProxy);
  }
  if (options.withCookieParser) {
    app.use(cookieParser());
  }
  if (options.withSession !== false) {
    app.use(session({ secret: 'test secret', resave: false, saveUninitialized: true }));
  }

  app.use(captureEid({ tracker: options.tracker, route: '/cart_checkout' }));
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

  return app;
}
