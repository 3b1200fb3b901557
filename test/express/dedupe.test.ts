import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import express, { type Express } from 'express';
import request from 'supertest';

import { FileClaimStore, FileVisitorStore, orderWebhook, type ClaimStore, type VisitorStore } from '../../src';
import type { CollectedHit } from '../../src/testing';
import { createExpressShop, SAMPLE_ORDER, type ShopOptions } from '../helpers/express-shop';
import { TRACK_ID, useTrackingEnv } from '../helpers/tracking-env';
import { delay, waitFor } from '../helpers/wait';

const EID = '2170000000000000001';
const SHOPPER_IP = '203.0.113.7';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0';
const PSP_IP = '198.51.100.20';
const PSP_AGENT = 'PSP-Notifier/1.0';
const MAPP_COOKIE = `wt3_eid=%3B${TRACK_ID}%7C${EID}%232170000000600000000`;

const QUEUED = 'order queued for Mapp';
const DUPLICATE = 'order already tracked, so this duplicate is not sent';
const STORED = 'captureEid: visitor stored under the order ID';

type Env = ReturnType<typeof useTrackingEnv>;

/** Resolve once the log shows more than `before` writes of the visitor of this order. */
async function visitorStored(env: Env, orderId: string, before = 0): Promise<void> {
  await waitFor(() => storedCount(env, orderId) > before, `the visitor of ${orderId} to be stored`);
}

function storedCount(env: Env, orderId: string): number {
  return env.logger.at('debug').filter((line) => line.message === STORED && line.fields.orderId === orderId).length;
}

interface StoreKind {
  name: string;
  create(dir: string): { claimStore?: ClaimStore; visitorStore?: VisitorStore; close(): Promise<void> };
}

const STORE_KINDS: StoreKind[] = [
  { name: 'memory stores', create: () => ({ close: async () => undefined }) },
  {
    name: 'file stores',
    create: (dir) => {
      const claimStore = new FileClaimStore({ dir });
      const visitorStore = new FileVisitorStore({ dir });
      return { claimStore, visitorStore, close: async () => { await claimStore.close(); await visitorStore.close(); } };
    },
  },
];

describe.each(STORE_KINDS)('orders tracked once with $name', (kind) => {
  let dir: string;
  let stores: ReturnType<StoreKind['create']>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mapp-s2s-dedupe-'));
    stores = kind.create(dir);
  });

  afterEach(async () => {
    await stores.close();
    await rm(dir, { recursive: true, force: true });
  });

  const env = useTrackingEnv(() => {
    const { close: _close, ...storeOptions } = stores;
    return storeOptions;
  });

  function shop(options: Partial<ShopOptions> = {}): Express {
    return createExpressShop({ tracker: env.tracker, trustProxy: 1, ...options });
  }

  /** Load the checkout page of order `orderId` from the shopper's browser and wait until the visitor is stored. */
  async function checkout(agent: request.Agent, orderId: string, cookie = MAPP_COOKIE): Promise<void> {
    const before = storedCount(env, orderId);
    await agent.get(`/cart_checkout?order=${orderId}`)
      .set('Cookie', cookie).set('X-Forwarded-For', SHOPPER_IP).set('User-Agent', FIREFOX).expect(200, 'checkout');
    await visitorStored(env, orderId, before);
  }

  function webhook(app: Express, orderId: string): request.Test {
    return request(app).post('/webhooks/psp')
      .set('X-Forwarded-For', PSP_IP).set('User-Agent', PSP_AGENT)
      .send({ orderId });
  }

  /** List the queued or duplicate decision of every trackOrder call for the order, oldest first. */
  function decisions(orderId: string): string[] {
    return env.logger.at('info')
      .filter((line) => (line.message === QUEUED || line.message === DUPLICATE) && line.fields.orderId === orderId)
      .map((line) => (line.message === QUEUED ? 'queued' : 'duplicate'));
  }

  function visitorSources(orderId: string): unknown[] {
    return env.logger.at('info')
      .filter((line) => (line.message === QUEUED || line.message === DUPLICATE) && line.fields.orderId === orderId)
      .map((line) => line.fields.visitorSource);
  }

  /** Wait until `count` triggers were decided, then for the hits, and return every hit of the order. */
  async function hitsAfter(orderId: string, count: number): Promise<CollectedHit[]> {
    await waitFor(() => decisions(orderId).length >= count, `${count} decisions on ${orderId}`);
    await env.collector.waitForHits(1);
    await env.tracker.flush();
    return env.collector.hits.filter((hit) => hit.order?.id === orderId);
  }

  function expectCheckoutVisitor(hit: CollectedHit): void {
    expect(hit.eid).toBe(EID);
    expect(hit.ip).toBe(SHOPPER_IP);
    expect(hit.userAgent).toBe(FIREFOX);
  }

  describe('payment webhook', () => {
    it('sends the checkout visitor, never the caller', async () => {
      const app = shop();
      await checkout(request.agent(app), 'A-1001');

      const response = await webhook(app, 'A-1001').expect(200);
      expect(response.body).toEqual({ received: true });

      const [hit] = await env.collector.waitForHits(1);
      expectCheckoutVisitor(hit);
      const everything = `${hit.line}\n${decodeURIComponent(hit.line)}\n${JSON.stringify(hit)}`;
      expect(everything).not.toContain(PSP_IP);
      expect(everything).not.toContain('PSP-Notifier');
      expect(visitorSources('A-1001')).toEqual(['orderStore']);
    });

    it('sends without visitor when nothing is stored', async () => {
      await webhook(shop(), 'A-2002').expect(200, { received: true });

      const [hit] = await env.collector.waitForHits(1);
      expect(hit.order?.id).toBe('A-2002');
      expect(hit.eid).toBeUndefined();
      expect(hit.ip).toBeUndefined();
      expect(hit.userAgent).toBeUndefined();
      expect(visitorSources('A-2002')).toEqual(['none']);
      expect(env.logger.at('warn').map((line) => line.message)).toEqual([
        'orderWebhook: no visitor data was found for the order, so it is sent without EID, IP and user agent; '
        + 'captureEid stores the visitor under the order ID at checkout when given its orderId option',
      ]);
    });
  });

  describe('webhook and return page', () => {
    it('send once when the webhook comes first', async () => {
      const app = shop();
      const agent = request.agent(app);
      await checkout(agent, 'A-1001');

      const webhookDone = webhook(app, 'A-1001').expect(200);
      await delay(50);
      await agent.get('/order/complete?id=A-1001').expect(200, 'thanks');
      await webhookDone;

      const hits = await hitsAfter('A-1001', 2);
      expect(hits).toHaveLength(1);
      expectCheckoutVisitor(hits[0]);
      expect(decisions('A-1001').sort()).toEqual(['duplicate', 'queued']);
    });

    it('send once when the return comes first', async () => {
      const app = shop();
      const agent = request.agent(app);
      await checkout(agent, 'A-1001');

      await agent.get('/order/complete?id=A-1001').expect(200, 'thanks');
      await waitFor(() => decisions('A-1001').length === 1, 'the return page to be tracked');
      await webhook(app, 'A-1001').expect(200);

      const hits = await hitsAfter('A-1001', 2);
      expect(hits).toHaveLength(1);
      expectCheckoutVisitor(hits[0]);
      expect(decisions('A-1001')).toEqual(['queued', 'duplicate']);
      expect(visitorSources('A-1001')).toEqual(['session', 'orderStore']);
    });

    it('send once when both arrive together', async () => {
      env.collector.respondWith({ delayMs: 500 });
      const app = shop();
      const agent = request.agent(app);
      await checkout(agent, 'A-1001');

      await Promise.all([
        webhook(app, 'A-1001').expect(200),
        agent.get('/order/complete?id=A-1001').expect(200, 'thanks'),
      ]);

      const hits = await hitsAfter('A-1001', 2);
      expect(hits).toHaveLength(1);
      expectCheckoutVisitor(hits[0]);
      expect(env.collector.requests).toHaveLength(1);
      expect(decisions('A-1001').sort()).toEqual(['duplicate', 'queued']);
    });

    it('send once for three reloads and two webhooks', async () => {
      const app = shop();
      const agent = request.agent(app);
      await checkout(agent, 'A-1001');

      for (let load = 0; load < 3; load += 1) {
        await agent.get('/order/complete?id=A-1001').expect(200, 'thanks');
      }
      await webhook(app, 'A-1001').expect(200);
      await webhook(app, 'A-1001').expect(200);

      const hits = await hitsAfter('A-1001', 5);
      expect(hits).toHaveLength(1);
      expectCheckoutVisitor(hits[0]);
      expect(decisions('A-1001').filter((decision) => decision === 'duplicate')).toHaveLength(4);
    });
  });

  describe('rejected hit', () => {
    it('is sent again on a webhook retry', async () => {
      await env.restartTracker({ retry: { minDelayMs: 5, maxDelayMs: 20, maxAgeMs: 150 } });
      env.collector.respondWith({ status: 503 });
      const app = shop();
      await checkout(request.agent(app), 'A-1001');

      await webhook(app, 'A-1001').expect(200);
      await waitFor(() => env.logger.at('info').some((line) => line.message.startsWith('order claim released (its hit was rejected)')),
        'the claim to be released after the retries gave up');
      env.collector.respondWith({});
      await webhook(app, 'A-1001').expect(200);

      const [hit] = await env.collector.waitForHits(1);
      expectCheckoutVisitor(hit);
      const statuses = env.collector.requests.map((received) => received.status);
      expect(statuses[statuses.length - 1]).toBe(200);
      expect(statuses.slice(0, -1).every((status) => status === 503)).toBe(true);
      expect(decisions('A-1001')).toEqual(['queued', 'queued']);
      expect(env.logger.at('error').map((line) => line.message)).toEqual([
        'the order hit was not delivered within retry.maxAgeMs; it is kept as a dead letter that tracker.retryDeadLetters() sends again',
      ]);
    });
  });

  describe('cross-site return without cookies', () => {
    it('finds the visitor by order ID', async () => {
      const app = shop({ saveUninitialized: false });
      await checkout(request.agent(app), 'A-1001');

      const response = await request(app).post('/order/return').type('form').send({ orderId: 'A-1001' })
        .set('X-Forwarded-For', PSP_IP).set('User-Agent', PSP_AGENT).expect(200, 'thanks');
      expect(response.headers['set-cookie']).toBeUndefined();

      const [hit] = await env.collector.waitForHits(1);
      expectCheckoutVisitor(hit);
      expect(visitorSources('A-1001')).toEqual(['orderStore']);
    });

    it('sends without eid when nothing is stored', async () => {
      const app = shop({ saveUninitialized: false });

      const response = await request(app).post('/order/return').type('form').send({ orderId: 'A-2002' })
        .set('User-Agent', FIREFOX).expect(200, 'thanks');
      expect(response.headers['set-cookie']).toBeUndefined();

      const [hit] = await env.collector.waitForHits(1);
      expect(hit.order?.id).toBe('A-2002');
      expect(hit.eid).toBeUndefined();
      expect(hit.userAgent).toBeUndefined();
      expect(visitorSources('A-2002')).toEqual(['none']);
    });
  });

  describe('opt-out cookie', () => {
    it('keeps the EID out of the confirmation hit', async () => {
      const agent = request.agent(shop());
      await checkout(agent, 'A-1001', `webtrekkOptOut=1; ${MAPP_COOKIE}`);
      await agent.get('/order/complete?id=A-1001').expect(200, 'thanks');

      const [hit] = await env.collector.waitForHits(1);
      expect(hit.eid).toBeUndefined();
      expect(hit.params.nc).toBe('1');
      expect(hit.order).toEqual({ id: 'A-1001', value: '79.7', currency: 'EUR', parameters: {} });
      expect(hit.line).not.toContain(EID);
    });

    it('keeps the EID out of the webhook hit', async () => {
      const app = shop();
      await checkout(request.agent(app), 'A-1001', `miCookieOptOut=1; ${MAPP_COOKIE}`);
      await webhook(app, 'A-1001').expect(200);

      const [hit] = await env.collector.waitForHits(1);
      expect(hit.eid).toBeUndefined();
      expect(hit.ip).toBeUndefined();
      expect(hit.userAgent).toBeUndefined();
      expect(hit.order?.value).toBe('79.7');
      expect(visitorSources('A-1001')).toEqual(['orderStore']);
      expect(env.logger.at('warn')).toHaveLength(0);
    });

    it('stores no EID for a later order', async () => {
      const app = shop();
      await checkout(request.agent(app), 'A-1001', `webtrekkOptOut=1; ${MAPP_COOKIE}`);

      const stored = await env.tracker.findVisitor('A-1001');
      expect(stored).toEqual({ optedOut: true, capturedAt: expect.any(Number) });
    });

    it('wins over an EID captured before', async () => {
      const agent = request.agent(shop());
      await checkout(agent, 'A-1001');
      await checkout(agent, 'A-1001', `webtrekkOptOut=1; ${MAPP_COOKIE}`);
      await agent.get('/order/complete?id=A-1001').expect(200, 'thanks');

      const [hit] = await env.collector.waitForHits(1);
      expect(hit.eid).toBeUndefined();
    });

    it('counts on the return request alone', async () => {
      const agent = request.agent(shop());
      await checkout(agent, 'A-1001');
      await agent.get('/order/complete?id=A-1001').set('Cookie', 'webtrekkOptOut=1').expect(200, 'thanks');

      const [hit] = await env.collector.waitForHits(1);
      expect(hit.eid).toBeUndefined();
      expect(visitorSources('A-1001')).toEqual(['request']);
    });

    it('follows the optOutCookies option', async () => {
      await env.restartTracker({ optOutCookies: ['shopOptOut'] });
      const app = shop();
      await checkout(request.agent(app), 'A-1001', `webtrekkOptOut=1; ${MAPP_COOKIE}`);
      await checkout(request.agent(app), 'A-1002', `shopOptOut=yes; ${MAPP_COOKIE}`);
      await webhook(app, 'A-1001').expect(200);
      await webhook(app, 'A-1002').expect(200);

      const hits = await env.collector.waitForHits(2);
      expect(hits.find((hit) => hit.order?.id === 'A-1001')?.eid).toBe(EID);
      expect(hits.find((hit) => hit.order?.id === 'A-1002')?.eid).toBeUndefined();
    });
  });
});

describe('orderWebhook answers', () => {
  const env = useTrackingEnv();

  it('200 when the order is invalid', async () => {
    const app = createExpressShop({ tracker: env.tracker, webhookOrder: () => ({ id: 'A-1001', value: Number.NaN }) });
    await request(app).post('/webhooks/psp').send({ orderId: 'A-1001' }).expect(200, { received: true });
    expect(env.logger.at('error').map((line) => line.message)).toEqual(['order was not tracked']);
  });

  it('200 without an order to track', async () => {
    const app = createExpressShop({ tracker: env.tracker });
    await request(app).post('/webhooks/psp').send({ event: 'payment.failed' }).expect(200, { received: true });
    await env.tracker.flush();
    expect(env.collector.requests).toHaveLength(0);
  });

  it('500 when the order callback throws', async () => {
    const app = createExpressShop({ tracker: env.tracker, webhookOrder: () => { throw new Error('database down'); } });
    app.use((error: Error, _req: unknown, res: { status(code: number): { send(body: string): void } }, _next: unknown) => {
      res.status(500).send(error.message);
    });
    await request(app).post('/webhooks/psp').send({ orderId: 'A-1001' }).expect(500, 'database down');
    expect(env.logger.at('error')).toHaveLength(0);
  });

  it('before Mapp answers', async () => {
    env.collector.respondWith({ delayMs: 5000 });
    const app = createExpressShop({ tracker: env.tracker });
    await request(app).post('/webhooks/psp').send({ orderId: 'A-1001' }).expect(200);
    expect(env.collector.hits).toHaveLength(0);
    expect(env.logger.at('info').map((line) => line.message)).toContain(QUEUED);
    // Closing the collector first ends the pending request, so closing the tracker need not wait for it.
    await env.collector.close();
  });

  it('200 when the visitor store fails', async () => {
    await env.restartTracker({
      visitorStore: { set: async () => undefined, get: async () => { throw new Error('store down'); } },
    });
    await request(createExpressShop({ tracker: env.tracker })).post('/webhooks/psp').send({ orderId: 'A-1001' }).expect(200, { received: true });

    const [hit] = await env.collector.waitForHits(1);
    expect(hit.order?.id).toBe('A-1001');
    expect(env.logger.at('error').map((line) => line.message)).toEqual([
      'orderWebhook: looking up the visitor by order ID failed; the order is sent without it',
    ]);
  });

  it('looks up by its orderId option', async () => {
    const app = createExpressShop({ tracker: env.tracker });
    app.post('/webhooks/by-reference', express.json(), orderWebhook({
      tracker: env.tracker,
      order: (req) => ({ ...SAMPLE_ORDER, id: String(req.body.orderId) }),
      orderId: (req) => req.body.reference,
    }));
    await request(app).get('/cart_checkout?order=REF-77').set('Cookie', MAPP_COOKIE).expect(200);
    await visitorStored(env, 'REF-77');

    await request(app).post('/webhooks/by-reference').send({ orderId: 'A-1001', reference: 'REF-77' }).expect(200);
    const [hit] = await env.collector.waitForHits(1);
    expect(hit.order?.id).toBe('A-1001');
    expect(hit.eid).toBe(EID);
  });
});

describe('captureEid with orderId', () => {
  const env = useTrackingEnv();

  it('stores the visitor without a session', async () => {
    const app = createExpressShop({ tracker: env.tracker, withSession: false });
    await request(app).get('/cart_checkout?order=A-1001').set('Cookie', `wtstp_eid=${EID}`).set('User-Agent', FIREFOX)
      .expect(200, 'checkout');

    await visitorStored(env, 'A-1001');
    expect(await env.tracker.findVisitor('A-1001')).toEqual({
      eid: EID, ip: '127.0.0.1', userAgent: FIREFOX, capturedAt: expect.any(Number),
    });
    expect(env.logger.at('error')).toHaveLength(0);
  });

  it('passes on when orderId throws', async () => {
    const app = createExpressShop({ tracker: env.tracker, checkoutOrderId: () => { throw new Error('no cart'); } });
    const agent = request.agent(app);
    await agent.get('/cart_checkout').set('Cookie', `wtstp_eid=${EID}`).expect(200, 'checkout');
    await agent.get('/order/complete?id=A-1001').expect(200, 'thanks');

    const [hit] = await env.collector.waitForHits(1);
    expect(hit.eid).toBe(EID);
    expect(env.logger.at('error').map((line) => line.message)).toEqual([
      "captureEid: the shop's orderId callback threw, so the visitor is not stored or looked up by order ID",
    ]);
  });
});
