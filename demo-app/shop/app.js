const path = require('node:path');

const cookieParser = require('cookie-parser');
const express = require('express');
const session = require('express-session');

const { SIGNATURE_HEADER, isValidWebhookSignature } = require('../webhook-signature');
const { addToCart, cartCount, cartLines, clearCart } = require('./cart');
const { findProduct, formatAmount } = require('./catalog');
const { createOrderBook } = require('./orders');
const { CHECKOUT_PATH, createOrderTracking } = require('./tracking');
const { createViews } = require('./views');

/** Path that the payment provider sends the shopper back to after paying or cancelling. */
const RETURN_PATH = '/checkout/return';
/** Path of the payment provider's server-to-server notification. */
const WEBHOOK_PATH = '/payment/webhook';

/**
 * Creates the demo shop: products, cart, checkout, redirect to the payment provider, its webhook and the
 * confirmation page the shopper returns to.
 *
 * Options: `tracker` from createTracker, `pspUrl` the payment provider's base URL, `webhookSecret` shared
 * with the payment provider, `sessionSecret`, `logger`, and `collectorUrl` of the local collector when
 * orders go there (undefined when they go to a real Mapp account).
 */
function createShopApp({ tracker, pspUrl, webhookSecret, sessionSecret, logger, collectorUrl }) {
  const orders = createOrderBook();
  const views = createViews({ trackId: tracker.settings.trackId, collectorUrl });
  const tracking = createOrderTracking({ tracker, findPaidOrder: (req) => findOwnOrder(req, 'paid') });
  const mappTarget = collectorUrl === undefined
    ? `Mapp account ${tracker.settings.trackId}`
    : 'the local collector';

  /** Returns the order named by `?order_id=` when this session placed it and, if `status` is given, it has that status. */
  function findOwnOrder(req, status) {
    const order = orders.find(req.query.order_id);
    const placedHere = order !== undefined && (req.session.orderIds ?? []).includes(order.id);
    return placedHere && (status === undefined || order.status === status) ? order : undefined;
  }

  const app = express();
  app.disable('x-powered-by');

  // The payment provider calls the webhook from its server, without the shopper's cookies, so the route
  // comes before the session and reads the raw body to check its signature.
  app.post(WEBHOOK_PATH, express.raw({ type: 'application/json', limit: '10kb' }), settlePayment, tracking.paymentWebhook);

  app.use(cookieParser());
  app.use(session({
    name: 'shop.sid',
    secret: sessionSecret,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax' },
  }));
  // The order ID is fixed when the checkout page is first shown, so captureEid can store the visitor under
  // it before the shopper leaves, and the payment webhook finds that visitor later.
  app.use(CHECKOUT_PATH, (req, _res, next) => {
    req.session.checkoutOrderId ??= orders.newId();
    next();
  });
  app.use(tracking.checkoutCapture);
  app.use(express.urlencoded({ extended: false, limit: '10kb' }));

  app.get('/pixel-stand-in.js', (_req, res) => {
    res.sendFile(path.join(__dirname, 'public', 'pixel-stand-in.js'));
  });

  app.get('/', (req, res) => {
    const added = findProduct(req.query.added);
    res.send(views.productsPage({ cartCount: cartCount(req.session), added }));
  });

  app.post('/cart/items', (req, res) => {
    const productId = req.body?.productId;
    if (findProduct(productId) === undefined) {
      res.status(400).send(views.notFoundPage({ cartCount: cartCount(req.session), message: 'This product does not exist.' }));
      return;
    }
    addToCart(req.session, productId);
    res.redirect(303, `/?added=${encodeURIComponent(productId)}`);
  });

  app.get('/cart', (req, res) => {
    res.send(views.cartPage({ lines: cartLines(req.session), cartCount: cartCount(req.session) }));
  });

  app.get(CHECKOUT_PATH, (req, res) => {
    const lines = cartLines(req.session);
    if (lines.length === 0) {
      res.redirect(303, '/cart');
      return;
    }
    res.send(views.checkoutPage({ lines, cartCount: cartCount(req.session) }));
  });

  app.post(CHECKOUT_PATH, (req, res) => {
    const lines = cartLines(req.session);
    if (lines.length === 0) {
      res.redirect(303, '/cart');
      return;
    }

    const order = orders.place(lines, req.session.checkoutOrderId);
    delete req.session.checkoutOrderId;
    req.session.orderIds = [...(req.session.orderIds ?? []), order.id];
    logger.info({ orderId: order.id, amount: formatAmount(order.totalCents) }, 'order placed, shopper sent to the payment provider');

    const shopUrl = `${req.protocol}://${req.get('host')}`;
    const payment = new URL('/pay', pspUrl);
    payment.search = new URLSearchParams({
      order_id: order.id,
      amount: formatAmount(order.totalCents),
      currency: order.currency,
      return_url: `${shopUrl}${RETURN_PATH}?order_id=${encodeURIComponent(order.id)}`,
      notify_url: `${shopUrl}${WEBHOOK_PATH}`,
    }).toString();
    res.redirect(303, payment.toString());
  });

  app.get(RETURN_PATH, tracking.confirmationPage, (req, res) => {
    const order = findOwnOrder(req);
    if (order === undefined) {
      res.status(404).send(views.notFoundPage({ cartCount: cartCount(req.session), message: 'This order was not placed in this browser.' }));
      return;
    }
    if (order.status === 'paid') {
      clearCart(req.session);
    }
    res.send(views.confirmationPage({ order, cartCount: cartCount(req.session), mappTarget }));
  });

  /** Checks the webhook's signature and amount, then marks its order paid or cancelled. */
  function settlePayment(req, res, next) {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!isValidWebhookSignature(body, req.get(SIGNATURE_HEADER), webhookSecret)) {
      logger.warn({ path: req.path }, 'payment webhook rejected: invalid signature');
      res.status(401).send('invalid signature');
      return;
    }

    let notification;
    try {
      notification = JSON.parse(body.toString('utf8'));
    } catch (error) {
      logger.warn({ err: error }, 'payment webhook rejected: body is not JSON');
      res.status(400).send('body is not JSON');
      return;
    }

    const order = orders.find(notification.order_id);
    if (order === undefined) {
      logger.warn({ orderId: notification.order_id }, 'payment webhook rejected: order not found');
      res.status(404).send('order not found');
      return;
    }
    const amountMatches = notification.amount === formatAmount(order.totalCents) && notification.currency === order.currency;
    if (notification.status === 'paid' && !amountMatches) {
      logger.warn({ orderId: order.id, amount: notification.amount, currency: notification.currency },
        'payment webhook rejected: amount differs from the order');
      res.status(422).send('amount differs from the order');
      return;
    }
    if (notification.status !== 'paid' && notification.status !== 'cancelled') {
      logger.warn({ orderId: order.id, status: notification.status }, 'payment webhook rejected: unknown status');
      res.status(400).send('status must be "paid" or "cancelled"');
      return;
    }

    orders.settle(order, notification.status);
    logger.info({ orderId: order.id, status: order.status, paymentId: notification.payment_id }, 'payment webhook received');
    req.settledOrder = order;
    next();
  }

  return app;
}

module.exports = { createShopApp };
