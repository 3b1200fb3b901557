/** The shop's products. Prices are in cents, so that sums stay exact. */
const PRODUCTS = Object.freeze([
  { id: 'TENT-2P', name: 'Two-person tent', priceCents: 18900 },
  { id: 'BAG-0C', name: 'Sleeping bag, comfort 0 °C', priceCents: 8950 },
  { id: 'LAMP-300', name: 'Head lamp, 300 lumen', priceCents: 3490 },
  { id: 'MUG-TI', name: 'Titanium mug, 450 ml', priceCents: 2490 },
]);

const CURRENCY = 'EUR';

function findProduct(id) {
  return PRODUCTS.find((product) => product.id === id);
}

/** Formats cents as a decimal amount with two places, such as `79.70`. */
function formatAmount(cents) {
  return (cents / 100).toFixed(2);
}

module.exports = { PRODUCTS, CURRENCY, findProduct, formatAmount };
