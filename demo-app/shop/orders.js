const crypto = require('node:crypto');

const { CURRENCY } = require('./catalog');
const { totalCents } = require('./cart');

/**
 * Creates the shop's order book. Orders start as `pending` and become `paid` or `cancelled` when the
 * payment provider's webhook reports the outcome.
 * NOTE: kept in memory, so orders are lost when the demo stops.
 */
function createOrderBook() {
  const orders = new Map();

  return {
    /** Returns a new order ID. Random IDs stay unique across restarts, which matters when orders go to a real Mapp account. */
    newId() {
      return `DEMO-${crypto.randomBytes(4).toString('hex').toUpperCase()}`;
    },

    /** Creates a pending order from cart lines under `id` (a new one when undefined) and returns it. */
    place(lines, id = this.newId()) {
      const order = {
        id,
        lines: lines.map((line) => ({ ...line })),
        totalCents: totalCents(lines),
        currency: CURRENCY,
        status: 'pending',
      };
      orders.set(id, order);
      return order;
    },

    find(id) {
      return typeof id === 'string' ? orders.get(id) : undefined;
    },

    /** Settles a pending order as `paid` or `cancelled`. A settled order keeps its status, because webhooks may be repeated. */
    settle(order, status) {
      if (order.status === 'pending') {
        order.status = status;
      }
    },
  };
}

module.exports = { createOrderBook };
