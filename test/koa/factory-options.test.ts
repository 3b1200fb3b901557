import Koa from 'koa';

import { createTracker, InvalidOptionError } from '../../src';
import { captureEid, orderConfirmation, orderWebhook } from '../../src/koa';
import { silentLogger } from '../../src/logger';
import { listenOnLoopback } from '../behaviour/driver';

const tracker = createTracker({ trackId: '111111111111111', trackDomain: '127.0.0.1:9', logger: silentLogger });

describe('Koa middleware factories', () => {
  it('captureEid rejects a missing route', () => {
    expect(() => captureEid({ tracker } as never)).toThrow(InvalidOptionError);
  });

  it('captureEid names option and value', () => {
    expect(() => captureEid({ tracker, route: 'cart_checkout' }))
      .toThrow('captureEid() option "route" is invalid: received "cart_checkout"');
  });

  it('orderConfirmation shows ctx in usage', () => {
    expect(() => orderConfirmation({ tracker, order: 'A-1001' as never }))
      .toThrow('Expected a function (ctx) => order, such as (ctx) => ({ id, value, products })');
  });

  it('orderWebhook shows ctx.request.body in usage', () => {
    expect(() => orderWebhook({ tracker, order: 'A-1001' as never }))
      .toThrow('Expected a function (ctx) => order, such as (ctx) => ({ id: ctx.request.body.orderId, value })');
  });

  it('captureEid explains a missing call', async () => {
    const app = new Koa();
    app.silent = true;
    const errors: Error[] = [];
    app.on('error', (error: Error) => errors.push(error));
    app.use(captureEid as never);

    const shop = await listenOnLoopback(app.callback());
    try {
      expect((await shop.client().get('/')).status).toBe(500);
    } finally {
      await shop.close();
    }
    expect(errors.map((error) => error.message)).toEqual([
      "mapp-s2s: captureEid was mounted without being called. Use captureEid({ tracker, route: '/cart_checkout' }) instead of passing captureEid itself.",
    ]);
  });
});
