export { captureEid } from './capture-eid';
export type { CaptureEidOptions } from './capture-eid';
export { orderConfirmation } from './order-confirmation';
export type { OrderConfirmationOptions } from './order-confirmation';
export { orderWebhook } from './order-webhook';
export type { OrderWebhookOptions, WebhookContext } from './order-webhook';
