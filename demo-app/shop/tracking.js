const { captureEid, orderConfirmation } = require('mapp-s2s');

/** The last checkout page before the shopper leaves for the payment provider. */
const CHECKOUT_PATH = '/cart_checkout';

/**
 * Creates the middleware through which the shop hands orders to Mapp:
 * - `checkoutCapture` stores the visitor's Ever ID, IP and user agent in the session on the last checkout page.
 * - `confirmationPage` tracks a paid order when the payment provider sends the shopper back.
 * - `paymentWebhook` runs after the payment provider's webhook marked an order paid, and tracks nothing yet.
 *
 * `findPaidOrder(req)` returns the paid order of the confirmation request, or undefined.
 *
 * TODO: once mapp-s2s deduplicates orders by ID, track from the webhook as well, so that orders of shoppers
 * who never come back from the payment page are counted too. Then `paymentWebhook` becomes the package's
 * webhook middleware, and `trackedOrderIds` goes away.
 */
function createOrderTracking({ tracker, findPaidOrder }) {
  // A reload of the confirmation page must not send the order a second time.
  const trackedOrderIds = new Set();

  const checkoutCapture = captureEid({ tracker, route: CHECKOUT_PATH });

  const confirmationPage = orderConfirmation({
    tracker,
    order: (req) => {
      const order = findPaidOrder(req);
      if (order === undefined || trackedOrderIds.has(order.id)) {
        return undefined;
      }
      trackedOrderIds.add(order.id);
      return toMappOrder(order);
    },
  });

  function paymentWebhook(_req, _res, next) {
    next();
  }

  return { checkoutCapture, confirmationPage, paymentWebhook };
}

/** Converts a shop order into the order that mapp-s2s sends: values in the currency's unit, not in cents. */
function toMappOrder(order) {
  return {
    id: order.id,
    value: order.totalCents / 100,
    currency: order.currency,
    products: order.lines.map((line) => ({
      id: line.product.id,
      price: line.product.priceCents / 100,
      quantity: line.quantity,
    })),
  };
}

module.exports = { CHECKOUT_PATH, createOrderTracking, toMappOrder };
