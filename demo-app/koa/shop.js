// A small Koa shop that sends its orders to Mapp from the server, through the package's public entry points.
// Run from the repository root: npm run build && node demo-app/koa/shop.js
//
// Without MAPP_TRACK_ID and MAPP_TRACK_DOMAIN the orders go to a local collector on 127.0.0.1, whose
// /hits.json shows each order hit as Mapp would receive it.
const { randomBytes, randomInt } = require('node:crypto');

const Koa = require('koa');
const { createSession } = require('koa-session');
const { createTracker } = require('mapp-s2s');
const { captureEid, orderConfirmation, orderWebhook } = require('mapp-s2s/koa');
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

function newOrder() {
  return {
    id: `K-${Date.now()}-${randomInt(1000)}`,
    value: PRODUCTS.reduce((sum, product) => sum + product.price, 0),
    currency: 'EUR',
    products: PRODUCTS.map((product) => ({ id: product.id, price: product.price, quantity: 1 })),
  };
}

async function start() {
  const collector = process.env.MAPP_TRACK_ID ? undefined : await startCollector();
  const tracker = createTracker(collector
    ? { trackId: '111111111111111', trackDomain: collector.trackDomain, secure: false }
    : { trackId: process.env.MAPP_TRACK_ID, trackDomain: process.env.MAPP_TRACK_DOMAIN });

  // Orders by ID, for the webhook, which arrives without the shopper's session. A real shop has a database.
  const orders = new Map();
  let shopUrl;

  const app = new Koa();
  app.keys = [process.env.SESSION_SECRET ?? randomBytes(32).toString('hex')];
  app.use(createSession({ sameSite: 'lax' }, app));

  // The checkout creates the order before captureEid runs, so captureEid can store the visitor under its ID.
  app.use(async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === '/cart_checkout' && !ctx.session.orderId) {
      const order = newOrder();
      orders.set(order.id, order);
      ctx.session.orderId = order.id;
    }
    await next();
  });
  app.use(captureEid({ tracker, route: '/cart_checkout', orderId: (ctx) => ctx.session.orderId }));

  // The shopper's return and the provider's webhook both confirm the order; only the first one sends it.
  const confirm = orderConfirmation({
    tracker,
    order: (ctx) => orders.get(ctx.query.orderId),
  });
  // No body parser is mounted, so orderWebhook reads the JSON body into ctx.request.body itself.
  const webhook = orderWebhook({
    tracker,
    order: (ctx) => (ctx.request.body?.status === 'paid' ? orders.get(ctx.request.body.orderId) : undefined),
  });

  app.use(async (ctx, next) => {
    const route = `${ctx.method} ${ctx.path}`;
    if (route === 'GET /') {
      if (!ctx.cookies.get('wtstp_eid')) {
        ctx.cookies.set('wtstp_eid', demoEverId(), { httpOnly: false, signed: false });
      }
      const list = PRODUCTS.map((product) => `<li>${product.name}: ${product.price.toFixed(2)} EUR</li>`).join('');
      ctx.body = page('Koa demo shop', `<ul>${list}</ul><a href="/cart_checkout">Check out one of each</a>`);
    } else if (route === 'GET /cart_checkout') {
      // The last page before the shopper leaves to pay: captureEid has just stored the visitor.
      ctx.body = page('Checkout', '<form method="post" action="/pay"><button>Pay</button></form>');
    } else if (route === 'POST /pay') {
      // Stands in for the payment provider: it notifies the shop from its server, then sends the shopper back.
      const orderId = ctx.session.orderId;
      ctx.session.orderId = undefined;
      await fetch(`${shopUrl}/webhooks/psp`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'DemoPay-Notifier/1.0' },
        body: JSON.stringify({ orderId, status: 'paid' }),
      });
      ctx.redirect(`/order/complete?orderId=${encodeURIComponent(orderId ?? '')}`);
    } else if (route === 'POST /webhooks/psp') {
      await webhook(ctx, next);
    } else if (route === 'GET /order/complete') {
      await confirm(ctx, async () => {
        const order = orders.get(ctx.query.orderId);
        ctx.body = page('Thank you', order ? `<p>Order ${order.id} is confirmed.</p>` : '<p>No such order.</p>');
      });
    } else {
      await next();
    }
  });

  const host = process.env.HOST ?? '127.0.0.1';
  const server = app.listen(Number(process.env.PORT ?? 3100), host);
  await new Promise((resolve) => server.once('listening', resolve));
  shopUrl = `http://${host}:${server.address().port}`;
  console.log(`Koa shop on ${shopUrl}`);
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
