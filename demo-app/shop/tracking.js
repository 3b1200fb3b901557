const { captureEid, orderConfirmation, orderWebhook } = require('mapp-s2s');

/** The last checkout page before the shopper leaves for the payment provider. */
const CHECKOUT_PATH = '/cart_checkout';

/**
 * Creates the middleware through which the shop hands orders to Mapp:
 * - `checkoutCapture` stores the visitor's Ever ID, IP and user agent in the session on the last checkout
 *   page, and under the order ID that the checkout page reserved.
 * - `confirmationPage` tracks a paid order when the payment provider sends the shopper back.
 * - `paymentWebhook` tracks a paid order when the payment provider's webhook reports it, with the visitor
 *   stored under its order ID, and responds to the provider.
 *
 * Both paths may fire for one order, and the provider may repeat its webhook: mapp-s2s claims each order ID
 * once, so Mapp receives one hit per order whichever comes first.
 *
 * `findPaidOrder(req)` returns the paid order of the confirmation request, or undefined.
 */
function createOrderTracking({ tracker, findPaidOrder }) {
  const checkoutCapture = captureEid({
    tracker,
    route: CHECKOUT_PATH,
    orderId: (req) => req.session?.checkoutOrderId,
  });

  const confirmationPage = orderConfirmation({
    tracker,
    order: (req) => {
      const order = findPaidOrder(req);
      return order === undefined ? undefined : toMappOrder(order);
    },
  });

  // settlePayment has checked the signature and put the settled order on the request.
  const paymentWebhook = orderWebhook({
    tracker,
    order: (req) => (req.settledOrder?.status === 'paid' ? toMappOrder(req.settledOrder) : undefined),
  });

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
