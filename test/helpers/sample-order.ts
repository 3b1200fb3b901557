import type { Order } from '../../src';

/** An order of two products, 79.70 EUR in all, as the shop's order callbacks return it. */
export const SAMPLE_ORDER: Order = {
  id: 'A-1001', value: 79.7, currency: 'EUR',
  products: [{ id: 'SKU-1', price: 39.9, quantity: 1 }, { id: 'SKU-2', price: 19.9, quantity: 2 }],
};
