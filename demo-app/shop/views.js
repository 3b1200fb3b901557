const { html, renderPage } = require('../html');
const { CURRENCY, PRODUCTS, formatAmount } = require('./catalog');
const { totalCents } = require('./cart');
const { CHECKOUT_PATH } = require('./tracking');

const STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1d232a; background: #f6f7f9; }
  header { display: flex; gap: 24px; align-items: baseline; padding: 14px 32px; background: #1f4d3a; color: #fff; }
  header a { color: #fff; }
  header .brand { font-size: 20px; font-weight: 700; text-decoration: none; margin-right: auto; }
  main { max-width: 760px; margin: 24px auto; padding: 0 24px; }
  .products { display: grid; grid-template-columns: repeat(2, 1fr); gap: 16px; }
  .product { background: #fff; padding: 16px; border-radius: 6px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  .price { font-weight: 600; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid #e3e6ea; }
  td.amount, th.amount { text-align: right; font-variant-numeric: tabular-nums; }
  button, .button { font: inherit; padding: 8px 16px; border: 0; border-radius: 4px; background: #1f4d3a; color: #fff;
    cursor: pointer; text-decoration: none; display: inline-block; }
  .notice { background: #e6f4ea; padding: 8px 12px; border-radius: 4px; }
  .hint { color: #4a5560; font-size: 14px; }
`;

/**
 * Creates the shop's page renderers. Every page carries the pixel stand-in except the order confirmation,
 * because there the server sends the order and a pixel order hit would count it twice.
 */
function createViews({ trackId, collectorUrl }) {
  function layout({ title, cartCount, withPixel = true, body }) {
    return renderPage({
      title,
      siteName: 'Demo Shop',
      style: STYLE,
      head: withPixel && html`<script src="/pixel-stand-in.js" data-track-id="${trackId}"></script>`,
      header: html`
<a class="brand" href="/">Demo Shop</a>
<a href="/">Products</a>
<a href="/cart">Cart (${cartCount})</a>
${collectorUrl && html`<a href="${collectorUrl}/" target="_blank">Collector</a>`}`,
      body,
    });
  }

  function productsPage({ cartCount, added }) {
    return layout({
      title: 'Outdoor gear',
      cartCount,
      body: html`
${added && html`<p class="notice">${added.name} is in the cart. <a href="/cart">Go to the cart</a></p>`}
<div class="products">
${PRODUCTS.map((product) => html`
<form class="product" method="post" action="/cart/items">
  <h2>${product.name}</h2>
  <p class="price">${formatAmount(product.priceCents)} ${CURRENCY}</p>
  <input type="hidden" name="productId" value="${product.id}">
  <button type="submit" data-product-id="${product.id}">Add to cart</button>
</form>`)}
</div>`,
    });
  }

  function cartPage({ lines, cartCount }) {
    return layout({
      title: 'Cart',
      cartCount,
      body: lines.length === 0
        ? html`<p>The cart is empty. <a href="/">Browse the products</a></p>`
        : html`${linesTable(lines)}<p><a class="button" href="${CHECKOUT_PATH}">Go to checkout</a></p>`,
    });
  }

  function checkoutPage({ lines, cartCount }) {
    return layout({
      title: 'Checkout',
      cartCount,
      body: html`
${linesTable(lines)}
<form method="post" action="${CHECKOUT_PATH}">
  <p><button type="submit">Pay with DemoPay</button></p>
</form>
<p class="hint">This is the last page before the payment provider. The shop stores your Mapp Ever ID,
IP address and user agent in the session now, to send them with the order later.</p>`,
    });
  }

  function confirmationPage({ order, cartCount, mappTarget }) {
    const bodies = {
      paid: html`
<p class="notice">Thank you. Order <strong id="order-id">${order.id}</strong> is paid.</p>
${linesTable(order.lines)}
<p class="hint">This page carries no pixel. The shop's server sent the order to ${mappTarget}.</p>`,
      pending: html`
<p>The payment of order ${order.id} is not confirmed yet. <a href="">Reload this page</a> in a moment.</p>`,
      cancelled: html`
<p>The payment of order ${order.id} was cancelled. <a href="/cart">Back to the cart</a></p>`,
    };
    return layout({ title: 'Order confirmation', cartCount, withPixel: false, body: bodies[order.status] });
  }

  function notFoundPage({ cartCount, message }) {
    return layout({ title: 'Not found', cartCount, body: html`<p>${message} <a href="/">Back to the shop</a></p>` });
  }

  return { productsPage, cartPage, checkoutPage, confirmationPage, notFoundPage };
}

function linesTable(lines) {
  return html`
<table>
<thead><tr><th>Product</th><th class="amount">Quantity</th><th class="amount">Price</th><th class="amount">Total</th></tr></thead>
<tbody>
${lines.map((line) => html`<tr><td>${line.product.name}</td><td class="amount">${line.quantity}</td>
<td class="amount">${formatAmount(line.product.priceCents)}</td><td class="amount">${formatAmount(line.totalCents)}</td></tr>`)}
</tbody>
<tfoot><tr><th colspan="3">Total</th><th class="amount" id="order-total">${formatAmount(totalCents(lines))} ${CURRENCY}</th></tr></tfoot>
</table>`;
}

module.exports = { createViews };
