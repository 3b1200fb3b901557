const { findProduct } = require('./catalog');

// The cart lives in the session as { productId: quantity }.

function addToCart(session, productId) {
  const cart = { ...session.cart };
  cart[productId] = (cart[productId] ?? 0) + 1;
  session.cart = cart;
}

function clearCart(session) {
  delete session.cart;
}

/** Lists the cart's products with quantity and line total, in the order they were added. */
function cartLines(session) {
  return Object.entries(session.cart ?? {})
    .map(([productId, quantity]) => ({ product: findProduct(productId), quantity }))
    .filter((line) => line.product !== undefined)
    .map((line) => ({ ...line, totalCents: line.product.priceCents * line.quantity }));
}

function cartCount(session) {
  return cartLines(session).reduce((count, line) => count + line.quantity, 0);
}

function totalCents(lines) {
  return lines.reduce((sum, line) => sum + line.totalCents, 0);
}

module.exports = { addToCart, clearCart, cartLines, cartCount, totalCents };
