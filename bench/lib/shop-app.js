const express = require('express');
const session = require('express-session');
const { captureEid, orderConfirmation } = require('mapp-s2s');

const { sampleOrder } = require('./orders');

const CHECKOUT_PATH = '/cart_checkout';

/**
 * Creates the shop the load runs against: express-session, a product page, the last checkout page and the order
 * confirmation page. With a `tracker`, captureEid is mounted as the README's quick start does and the
 * confirmation page tracks its order. Without one, the same routes do the same work untracked: the
 * checkout page still reserves an order ID in the session, and the confirmation page still builds its order.
 *
 * Every confirmation request builds a new order, `<orderPrefix>-1`, `<orderPrefix>-2` and so on;
 * `ordersBuilt()` returns how many.
 */
function createShopApp({ tracker, orderPrefix }) {
  let ordersBuilt = 0;
  let checkouts = 0;

  const app = express();
  app.use(session({ secret: 'benchmark session secret', resave: false, saveUninitialized: false, name: 'shop.sid' }));

  app.use(CHECKOUT_PATH, (req, _res, next) => {
    checkouts += 1;
    req.session.checkoutOrderId ??= `${orderPrefix}-checkout-${checkouts}`;
    next();
  });
  if (tracker !== undefined) {
    app.use(captureEid({ tracker, route: CHECKOUT_PATH, orderId: (req) => req.session.checkoutOrderId }));
  }

  app.get('/products/:id', (req, res) => {
    res.send(`<h1>Product ${escapeHtml(req.params.id)}</h1><p>In stock.</p>`);
  });
  app.get(CHECKOUT_PATH, (req, res) => {
    res.send(`<h1>Checkout</h1><p>Order ${req.session.checkoutOrderId}: pay with DemoPay.</p>`);
  });

  const buildOrder = (req) => {
    ordersBuilt += 1;
    req.confirmedOrder = sampleOrder(`${orderPrefix}-${ordersBuilt}`);
    return req.confirmedOrder;
  };
  const confirmation = tracker === undefined
    ? (req, _res, next) => {
      buildOrder(req);
      next();
    }
    : orderConfirmation({ tracker, order: buildOrder });
  app.get('/order/complete', confirmation, (req, res) => {
    res.send(`<h1>Thank you</h1><p>Order ${req.confirmedOrder.id} is confirmed.</p>`);
  });

  return { app, ordersBuilt: () => ordersBuilt };
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

module.exports = { CHECKOUT_PATH, createShopApp };
