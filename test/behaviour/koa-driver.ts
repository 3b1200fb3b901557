import { bodyParser } from '@koa/bodyparser';
import Koa, { type Context, type Next } from 'koa';
import { version } from 'koa/package.json';
import session from 'koa-session';

import { captureEid, orderConfirmation, orderWebhook } from '../../src/koa';
import { listenOnLoopback, SHOP_PATHS, type ShopDriver, type ShopRequest } from './driver';

// MAPP_S2S_KOA=2 maps `koa` to the koa2 alias in jest.config.ts.
const expectedMajorVersion = Number(process.env.MAPP_S2S_KOA ?? '3');

function shopRequest(ctx: Context): ShopRequest {
  return { query: ctx.query, body: (ctx.request as { body?: unknown }).body };
}

export const koaDriver: ShopDriver = {
  name: `Koa ${expectedMajorVersion}`,
  expectedMajorVersion,
  installedVersion: version,
  requestName: 'ctx',
  sessionMiddleware: 'koa-session',

  start(setup) {
    const { tracker, checkoutOrderId, webhookOrderId } = setup;
    const app = new Koa();
    app.keys = ['test secret'];
    app.silent = true;
    if (setup.trustedProxies !== undefined && setup.trustedProxies > 0) {
      app.proxy = true;
      app.maxIpsCount = setup.trustedProxies;
    }

    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        ctx.status = (error as { status?: number }).status ?? 500;
        ctx.body = (error as Error).message;
      }
    });
    if (setup.withSession !== false) {
      app.use(session({}, app));
    }
    app.use(captureEid({
      tracker,
      route: SHOP_PATHS.checkout,
      orderId: checkoutOrderId === false ? undefined : (ctx) => checkoutOrderId(shopRequest(ctx)),
    }));

    const thanks = (ctx: Context) => async (): Promise<void> => {
      ctx.body = 'thanks';
    };
    const confirm = orderConfirmation({
      tracker,
      order: (ctx) => setup.order(shopRequest(ctx)),
    });
    const parseForm = bodyParser({ enableTypes: ['form'] });
    const confirmReturn = orderConfirmation({
      tracker,
      order: (ctx) => setup.returnOrder(shopRequest(ctx)),
    });
    // No body parser runs before the webhook, so orderWebhook reads the JSON body itself.
    const webhook = orderWebhook({
      tracker,
      order: (ctx) => setup.webhookOrder(shopRequest(ctx)),
      orderId: webhookOrderId && ((ctx) => webhookOrderId(shopRequest(ctx))),
    });

    app.use(async (ctx: Context, next: Next) => {
      switch (`${ctx.method} ${ctx.path}`) {
        case `GET ${SHOP_PATHS.checkout}`:
          ctx.body = 'checkout';
          break;
        case `GET ${SHOP_PATHS.products}`:
          ctx.body = 'products';
          break;
        case `GET ${SHOP_PATHS.confirmation}`:
          await confirm(ctx, thanks(ctx));
          break;
        case `POST ${SHOP_PATHS.crossSiteReturn}`:
          await parseForm(ctx, () => confirmReturn(ctx, thanks(ctx)));
          break;
        case `POST ${SHOP_PATHS.webhook}`:
          await webhook(ctx, next);
          break;
        default:
          await next();
      }
    });

    return listenOnLoopback(app.callback());
  },
};
