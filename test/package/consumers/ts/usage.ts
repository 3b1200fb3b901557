// Type-checked twice per module setting: as CommonJS ("require" conditions) and as ESM ("import" conditions).
import type { Middleware } from 'koa';
import type { RequestHandler } from 'express';
import { createTracker, captureEid, type Order, type Tracker } from 'mapp-s2s';
import { captureEid as koaCaptureEid, orderConfirmation, orderWebhook, type CaptureEidOptions } from 'mapp-s2s/koa';
import { startCollector, type CollectedHit } from 'mapp-s2s/testing';

const tracker: Tracker = createTracker({ trackId: '111111111111111', trackDomain: '127.0.0.1:9' });
const expressHandler: RequestHandler = captureEid({ tracker, route: '/cart_checkout' });
const options: CaptureEidOptions = { tracker, route: (ctx) => ctx.path === '/cart_checkout' };
const koaMiddleware: Middleware = koaCaptureEid(options);
const order: Order = { id: 'A-1001', value: 79.7 };
const confirmation: Middleware = orderConfirmation({ tracker, order: () => order });
// orderWebhook's callbacks see the parsed body and its text, which Koa's own types do not declare.
const webhook: Middleware = orderWebhook({
  tracker,
  order: (ctx) => (ctx.request.body !== undefined && ctx.request.rawBody?.includes('paid') ? order : undefined),
  orderId: (ctx) => ctx.query.orderId as string | undefined,
});
const firstHit = async (): Promise<CollectedHit | undefined> => (await startCollector()).hits[0];

// @ts-expect-error trackId is a string of 15 digits, so a number must not type-check.
createTracker({ trackId: 111111111111111, trackDomain: '127.0.0.1:9' });

export { expressHandler, koaMiddleware, confirmation, webhook, firstHit };
