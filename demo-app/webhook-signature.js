const crypto = require('node:crypto');

/** Header that carries the payment provider's signature of a webhook body. */
const SIGNATURE_HEADER = 'X-DemoPay-Signature';

/** Signs a webhook body with the secret that the shop and the payment provider share. */
function signWebhookBody(body, secret) {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Checks a signature header against the body, in constant time so that the signature cannot be guessed byte by byte. */
function isValidWebhookSignature(body, signature, secret) {
  if (typeof signature !== 'string') {
    return false;
  }
  const expected = Buffer.from(signWebhookBody(body, secret));
  const received = Buffer.from(signature);
  return expected.length === received.length && crypto.timingSafeEqual(expected, received);
}

module.exports = { SIGNATURE_HEADER, signWebhookBody, isValidWebhookSignature };
