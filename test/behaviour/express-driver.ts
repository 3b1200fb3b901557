import cookieParser from 'cookie-parser';
import express from 'express';
import session from 'express-session';
import { version } from 'express/package.json';

import { captureEid, orderConfirmation } from '../../src';
import { listenOnLoopback, SHOP_PATHS, type ShopDriver } from './driver';

// MAPP_S2S_EXPRESS=4 maps `express` to the express4 alias in jest.config.ts.
const expectedMajorVersion = Number(process.env.MAPP_S2S_EXPRESS ?? '5');

export const expressDriver: ShopDriver = {
  name: `Express ${expectedMajorVersion}`,
  expectedMajorVersion,
  installedVersion: version,
  requestName: 'req',
  sessionMiddleware: 'express-session',

  start(setup) {
    const app = express();
    if (setup.trustedProxies !== undefined) {
      app.set('trust proxy', setup.trustedProxies);
    }
    // cookie-parser turns `j:` cookies into objects; captureEid must read the raw header regardless.
    app.use(cookieParser());
    if (setup.withSession !== false) {
      app.use(session({ secret: 'test secret', resave: false, saveUninitialized: true }));
    }

    app.use(captureEid({ tracker: setup.tracker, route: SHOP_PATHS.checkout }));
    app.get(SHOP_PATHS.checkout, (_req, res) => {
      res.send('checkout');
    });
    app.get(SHOP_PATHS.products, (_req, res) => {
      res.send('products');
    });
    app.get(SHOP_PATHS.confirmation, orderConfirmation({
      tracker: setup.tracker,
      order: (req) => setup.order({ query: req.query }),
    }), (_req, res) => {
      res.send('thanks');
    });

    return listenOnLoopback(app);
  },
};
