import Koa from 'koa';
import { version } from 'koa/package.json';
import session from 'koa-session';

import { captureEid, orderConfirmation } from '../../src/koa';
import { listenOnLoopback, SHOP_PATHS, type ShopDriver } from './driver';

// MAPP_S2S_KOA=2 maps `koa` to the koa2 alias in jest.config.ts.
const expectedMajorVersion = Number(process.env.MAPP_S2S_KOA ?? '3');

const PAGES: Readonly<Record<string, string>> = {
  [SHOP_PATHS.checkout]: 'checkout',
  [SHOP_PATHS.products]: 'products',
};

export const koaDriver: ShopDriver = {
  name: `Koa ${expectedMajorVersion}`,
  expectedMajorVersion,
  installedVersion: version,
  requestName: 'ctx',
  sessionMiddleware: 'koa-session',

  start(setup) {
    const app = new Koa();
    app.keys = ['test secret'];
    app.silent = true;
    if (setup.trustedProxies !== undefined && setup.trustedProxies > 0) {
      app.proxy = true;
      app.maxIpsCount = setup.trustedProxies;
    }
    if (setup.withSession !== false) {
      app.use(session({}, app));
    }

    app.use(captureEid({ tracker: setup.tracker, route: SHOP_PATHS.checkout }));
    const confirm = orderConfirmation({
      tracker: setup.tracker,
      order: (ctx) => setup.order({ query: ctx.query }),
    });
    app.use(async (ctx, next) => {
      if (ctx.method !== 'GET') {
        await next();
      } else if (ctx.path === SHOP_PATHS.confirmation) {
        await confirm(ctx, async () => {
          ctx.body = 'thanks';
        });
      } else if (PAGES[ctx.path] !== undefined) {
        ctx.body = PAGES[ctx.path];
      } else {
        await next();
      }
    });

    return listenOnLoopback(app.callback());
  },
};
