// A small Koa shop that sends its orders to Mapp from the server, through the package's public entry points.
// Run from the repository root: npm run build && node demo-app/koa/shop.js
//
// Without MAPP_TRACK_ID and MAPP_TRACK_DOMAIN the orders go to a local collector on 127.0.0.1, whose
// /hits.json shows each order hit as Mapp would receive it.
const { randomBytes, randomInt } = require('node:crypto');

const Koa = require('koa');
const { createSession } = require('koa-session');
const { createTracker } = require('mapp-s2s');
const { captureEid, orderConfirmation } = require('mapp-s2s/koa');
const { startCollector } = require('mapp-s2s/testing');

const PRODUCTS = [
  { id: 'MUG-01', name: 'Coffee mug', price: 12.5 },
  { id: 'TEE-02', name: 'T-shirt', price: 19.9 },
];

function page(title, body) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
}

// Stands in for the Mapp pixel, which sets this cookie in a real shop: a 19-digit Ever ID.
function demoEverId() {
  return `2${String(randomInt(1e9)).padStart(9, '0')}${String(randomInt(1e9)).padStart(9, '0')}`;
}

async function start() {
  const collector = process.env.MAPP_TRACK_ID ? undefined : await startCollector();
  const tracker = createTracker(collector
    ? { trackId: '111111111111111', trackDomain: collector.trackDomain, secure: false }
    : { trackId: process.env.MAPP_TRACK_ID, trackDomain: process.env.MAPP_TRACK_DOMAIN });

  const app = new Koa();
  app.keys = [process.env.SESSION_SECRET ?? randomBytes(32).toString('hex')];
  app.use(createSession({ sameSite: 'lax' }, app));
  app.use(captureEid({ tracker, route: '/cart_checkout' }));

  const confirm = orderConfirmation({
    tracker,
    order: (ctx) => ctx.session.order,
  });

  app.use(async (ctx, next) => {
    if (ctx.method !== 'GET') {
      return next();
    }

    if (ctx.path === '/') {
      if (!ctx.cookies.get('wtstp_eid')) {
        ctx.cookies.set('wtstp_eid', demoEverId(), { httpOnly: false, signed: false });
      }
      const list = PRODUCTS.map((product) => `<li>${product.name}: ${product.price.toFixed(2)} EUR</li>`).join('');
      ctx.body = page('Koa demo shop', `<ul>${list}</ul><a href="/cart_checkout">Check out one of each</a>`);
    } else if (ctx.path === '/cart_checkout') {
      // The last page before the shopper leaves to pay: captureEid has just stored the visitor.
      ctx.session.order = {
        id: `K-${Date.now()}`,
        value: PRODUCTS.reduce((sum, product) => sum + product.price, 0),
        currency: 'EUR',
        products: PRODUCTS.map((product) => ({ id: product.id, price: product.price, quantity: 1 })),
      };
      ctx.body = page('Checkout', '<a href="/order/complete">Pay (the payment provider sends you back)</a>');
    } else if (ctx.path === '/order/complete') {
      await confirm(ctx, async () => {
        const orderId = ctx.session.order?.id;
        // Forget the order, so a reload of this page does not track it again.
        ctx.session.order = undefined;
        ctx.body = page('Thank you', orderId ? `<p>Order ${orderId} is confirmed.</p>` : '<p>No open order.</p>');
      });
    } else {
      await next();
    }
  });

  const host = process.env.HOST ?? '127.0.0.1';
  const server = app.listen(Number(process.env.PORT ?? 3100), host);
  await new Promise((resolve) => server.once('listening', resolve));
  console.log(`Koa shop on http://${host}:${server.address().port}`);
  if (collector) {
    console.log(`Order hits at ${collector.url}/hits.json`);
  }

  // Send what is still queued before the process ends.
  const stop = async () => {
    server.close();
    await tracker.close();
    await collector?.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

start().catch((error) => {
  console.error(error);
  process.exit(1);
});
