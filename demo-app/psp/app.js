const crypto = require('node:crypto');

const express = require('express');

const { html, renderPage } = require('../html');
const { SIGNATURE_HEADER, signWebhookBody } = require('../webhook-signature');

/** User agent of the webhook request, so that the shop's logs tell it apart from shoppers' browsers. */
const WEBHOOK_USER_AGENT = 'DemoPay-Webhook/1.0';
const WEBHOOK_TIMEOUT_MS = 5000;

/** The demo sends webhooks and shoppers only to servers on this machine. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #102a43; background: #eaf1fb; }
  header { padding: 14px 32px; background: #1b4fa0; color: #fff; font-size: 20px; font-weight: 700; }
  main { max-width: 420px; margin: 48px auto; padding: 24px; background: #fff; border-radius: 8px;
    box-shadow: 0 2px 6px rgba(0,0,0,.1); }
  .amount { font-size: 32px; font-weight: 700; margin: 8px 0; }
  button { font: inherit; padding: 10px 20px; border: 0; border-radius: 4px; cursor: pointer; }
  button[value="pay"] { background: #1b4fa0; color: #fff; }
  button[value="cancel"] { background: #d9e2ec; color: #102a43; margin-left: 8px; }
  .error { color: #b42318; }
`;

/**
 * Creates a stand-in for an external payment provider ("DemoPay"). The shop redirects the shopper to
 * `GET /pay` with the order ID, amount, currency, a return URL and a notification URL. On "Pay" or
 * "Cancel", DemoPay POSTs a signed webhook from its own server to the notification URL, then redirects the
 * shopper to the return URL.
 */
function createPaymentProviderApp({ webhookSecret, logger }) {
  const app = express();
  app.disable('x-powered-by');

  app.get('/', (_req, res) => {
    res.send(page('DemoPay', html`<p>A stand-in payment provider. The demo shop sends shoppers here to pay.</p>`));
  });

  app.get('/pay', (req, res) => {
    const { payment, error } = readPaymentRequest(req.query);
    if (error !== undefined) {
      res.status(400).send(page('Invalid payment request', html`<p class="error">${error}</p>`));
      return;
    }
    res.send(payPage(payment));
  });

  app.post('/pay', express.urlencoded({ extended: false, limit: '10kb' }), async (req, res) => {
    const { payment, error } = readPaymentRequest(req.body ?? {});
    if (error !== undefined) {
      res.status(400).send(page('Invalid payment request', html`<p class="error">${error}</p>`));
      return;
    }

    const status = req.body.action === 'pay' ? 'paid' : 'cancelled';
    // The shopper waits for the webhook, so the shop has recorded the outcome when the shopper comes back.
    // Real providers may notify later, which is why the shop's confirmation page handles a pending order too.
    await notifyShop(payment, status);
    res.redirect(303, payment.returnUrl);
  });

  /** POSTs the payment's outcome to the shop. Never throws: a failed notification is logged. */
  async function notifyShop(payment, status) {
    try {
      const body = JSON.stringify({
        payment_id: `PAY-${crypto.randomBytes(6).toString('hex')}`,
        order_id: payment.orderId,
        status,
        amount: payment.amount,
        currency: payment.currency,
      });

      // NOTE: one attempt only. Real providers retry a failed webhook for hours or days.
      const response = await fetch(payment.notifyUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': WEBHOOK_USER_AGENT,
          [SIGNATURE_HEADER]: signWebhookBody(body, webhookSecret),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      if (!response.ok) {
        logger.warn({ orderId: payment.orderId, status: response.status }, 'webhook failed: the shop responded with an error status');
      }
    } catch (error) {
      logger.error({ err: error, orderId: payment.orderId, url: payment.notifyUrl }, 'webhook failed: the shop could not be reached');
    }
  }

  return app;
}

/** Validates the fields of a payment request. Returns `{ payment }` or `{ error }`, a message for the page. */
function readPaymentRequest(fields) {
  const orderId = fields.order_id;
  if (typeof orderId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(orderId)) {
    return { error: `order_id is invalid: received ${JSON.stringify(orderId)}. Expected 1 to 64 letters, digits, "-" or "_".` };
  }
  const amount = fields.amount;
  if (typeof amount !== 'string' || !/^\d{1,9}\.\d{2}$/.test(amount)) {
    return { error: `amount is invalid: received ${JSON.stringify(amount)}. Expected a decimal with two places, such as "79.70".` };
  }
  const currency = fields.currency;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    return { error: `currency is invalid: received ${JSON.stringify(currency)}. Expected an ISO 4217 code such as "EUR".` };
  }

  const returnUrl = readLoopbackUrl(fields.return_url);
  if (returnUrl === undefined) {
    return { error: `return_url is invalid: received ${JSON.stringify(fields.return_url)}. Expected an http URL on 127.0.0.1 or localhost.` };
  }
  const notifyUrl = readLoopbackUrl(fields.notify_url);
  if (notifyUrl === undefined) {
    return { error: `notify_url is invalid: received ${JSON.stringify(fields.notify_url)}. Expected an http URL on 127.0.0.1 or localhost.` };
  }

  return { payment: { orderId, amount, currency, returnUrl, notifyUrl } };
}

function readLoopbackUrl(value) {
  if (typeof value !== 'string' || !URL.canParse(value)) {
    return undefined;
  }
  const url = new URL(value);
  const isHttp = url.protocol === 'http:' || url.protocol === 'https:';
  return isHttp && LOOPBACK_HOSTS.has(url.hostname) ? url.toString() : undefined;
}

function payPage(payment) {
  const hidden = {
    order_id: payment.orderId,
    amount: payment.amount,
    currency: payment.currency,
    return_url: payment.returnUrl,
    notify_url: payment.notifyUrl,
  };
  return page('Pay with DemoPay', html`
<p>Order <strong>${payment.orderId}</strong> at ${new URL(payment.returnUrl).host}</p>
<p class="amount">${payment.amount} ${payment.currency}</p>
<form method="post" action="/pay">
  ${Object.entries(hidden).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
  <button type="submit" name="action" value="pay">Pay</button>
  <button type="submit" name="action" value="cancel">Cancel</button>
</form>`);
}

function page(title, body) {
  return renderPage({ title, siteName: 'DemoPay', style: STYLE, header: 'DemoPay', body });
}

module.exports = { createPaymentProviderApp };
