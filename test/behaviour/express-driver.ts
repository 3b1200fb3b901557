import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import { version } from 'express/package.json';

import { captureEid, orderConfirmation, orderWebhook } from '../../src';
import { listenOnLoopback, SHOP_PATHS, type ShopDriver, type ShopRequest } from './driver';

// MAPP_S2S_EXPRESS=4 maps `express` to the express4 alias in jest.config.ts.
const expectedMajorVersion = Number(process.env.MAPP_S2S_EXPRESS ?? '5');

function shopRequest(req: Request): ShopRequest {
  return { query: req.query, body: req.body };
}

export const expressDriver: ShopDriver = {
  name: `Express ${expectedMajorVersion}`,
  expectedMajorVersion,
  installedVersion: version,
  requestName: 'req',
  sessionMiddleware: 'express-session',

  start(setup) {
    const { tracker, checkoutOrderId, webhookOrderId } = setup;
    const app = express();
    if (setup.trustedProxies !== undefined) {
      app.set('trust proxy', setup.trustedProxies);
    }
    // cookie-parser turns `j:` cookies into objects; captureEid must read the raw header regardless.
    app.use(cookieParser());
    if (setup.withSession !== false) {
      // saveUninitialized: false, so a response sets a session cookie only when something was stored.
      app.use(session({ secret: 'test secret', resave: false, saveUninitialized: false }));
    }

    app.use(captureEid({
      tracker,
      route: SHOP_PATHS.checkout,
      orderId: checkoutOrderId === false ? undefined : (req) => checkoutOrderId(shopRequest(req)),
    }));
    app.get(SHOP_PATHS.checkout, (_req, res) => {
      res.send('checkout');
    });
    app.get(SHOP_PATHS.products, (_req, res) => {
      res.send('products');
    });

    const thanks = (_req: Request, res: Response): void => {
      res.send('thanks');
    };
    app.get(SHOP_PATHS.confirmation, orderConfirmation({
      tracker,
      order: (req) => setup.order(shopRequest(req)),
    }), thanks);
    app.post(SHOP_PATHS.crossSiteReturn, express.urlencoded({ extended: false }), orderConfirmation({
      tracker,
      order: (req) => setup.returnOrder(shopRequest(req)),
    }), thanks);
    app.post(SHOP_PATHS.webhook, express.json(), orderWebhook({
      tracker,
      order: (req) => setup.webhookOrder(shopRequest(req)),
      orderId: webhookOrderId && ((req) => webhookOrderId(shopRequest(req))),
    }));

    app.use((error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
      res.status(error.status ?? 500).send(error.message);
    });

    return listenOnLoopback(app);
  },
};
