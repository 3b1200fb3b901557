import http from 'node:http';
import type { AddressInfo } from 'node:net';

import request from 'supertest';

import { startCollector, type Collector } from '../../src/testing';
import { FREE_PORTS, startDemo, type RunningDemo } from '../helpers/demo';
import { checkOut } from '../helpers/demo-shopper';
import { createMemoryLogger } from '../helpers/memory-logger';
import { waitUntil } from '../helpers/wait-until';

describe('demo with the local collector', () => {
  let demo: RunningDemo;
  let logger: ReturnType<typeof createMemoryLogger>;

  beforeEach(async () => {
    logger = createMemoryLogger();
    demo = await startDemo({ ports: FREE_PORTS, logger });
  });

  afterEach(async () => {
    await demo.close();
  });

  async function orderHits() {
    await demo.tracker.flush();
    return (demo.collector?.hits ?? []).filter((hit) => hit.order !== undefined);
  }

  test('paid order tracked from return page', async () => {
    const { orderId, confirmation } = await checkOut(demo);

    expect(confirmation?.text).toContain(`Order <strong id="order-id">${orderId}</strong> is paid.`);
    expect((await orderHits()).map((hit) => hit.order?.id)).toEqual([orderId]);
  });

  test('confirmation reload not tracked again', async () => {
    const { shop, returnPath } = await checkOut(demo);

    await shop.get(returnPath).expect(200);

    expect(await orderHits()).toHaveLength(1);
  });

  test('webhook alone tracks the order', async () => {
    const { orderId } = await checkOut(demo, { skipReturn: true });

    const hits = await orderHits();
    expect(hits.map((hit) => hit.order?.id)).toEqual([orderId]);
    expect(hits[0].userAgent).not.toBe('DemoPay-Webhook/1.0');
  });

  test('webhook and return send one hit', async () => {
    const { shop, orderId, returnPath } = await checkOut(demo, { skipReturn: true });

    const confirmation = await shop.get(returnPath).expect(200);

    expect(confirmation.text).toContain('is paid.');
    expect((await orderHits()).map((hit) => hit.order?.id)).toEqual([orderId]);
  });

  test('webhook sent server to server', async () => {
    const received: http.IncomingHttpHeaders[] = [];
    const receiver = http.createServer((req, res) => {
      received.push(req.headers);
      req.resume();
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    try {
      await request(demo.pspUrl).post('/pay').type('form').set('Cookie', 'shop.sid=secret; wt3_eid=x')
        .send({ order_id: 'DEMO-1', amount: '1.00', currency: 'EUR', return_url: receiverUrl, notify_url: receiverUrl, action: 'pay' })
        .expect(303);
    } finally {
      receiver.close();
    }

    expect(received).toHaveLength(1);
    expect(received[0].cookie).toBeUndefined();
    expect(received[0]['user-agent']).toBe('DemoPay-Webhook/1.0');
    expect(received[0]['x-demopay-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  test('cancelled payment tracks nothing', async () => {
    const { confirmation } = await checkOut(demo, { action: 'cancel' });

    expect(confirmation?.text).toContain('was cancelled.');
    expect(await orderHits()).toHaveLength(0);
  });

  test('tampered amount leaves order pending', async () => {
    const { confirmation } = await checkOut(demo, { tamper: { amount: '1.00' } });

    expect(confirmation?.text).toContain('is not confirmed yet.');
    expect(await orderHits()).toHaveLength(0);
    expect(logger.at('warn').map((line) => line.message)).toContain('payment webhook rejected: amount differs from the order');
  });

  test('webhook with invalid signature rejected', async () => {
    const body = JSON.stringify({ order_id: 'DEMO-00000000', status: 'paid', amount: '1.00', currency: 'EUR' });

    await request(demo.shopUrl).post('/payment/webhook').set('Content-Type', 'application/json')
      .set('X-DemoPay-Signature', 'sha256=00').send(body)
      .expect(401);
  });

  test('order hidden from other browsers', async () => {
    const { returnPath } = await checkOut(demo, { skipReturn: true });

    await request(demo.shopUrl).get(returnPath).expect(404);
  });

  test('payment provider rejects foreign notify URL', async () => {
    const query = new URLSearchParams({
      order_id: 'DEMO-1', amount: '1.00', currency: 'EUR',
      return_url: `${demo.shopUrl}/checkout/return`, notify_url: 'http://192.0.2.1/hook',
    });

    const response = await request(demo.pspUrl).get(`/pay?${query.toString()}`).expect(400);

    expect(response.text).toContain('notify_url is invalid: received &quot;http://192.0.2.1/hook&quot;');
  });

  test('confirmation page carries no pixel', async () => {
    const { confirmation } = await checkOut(demo);

    expect(confirmation?.text).not.toContain('pixel-stand-in.js');
  });

  test('checkout page carries the pixel', async () => {
    const shop = request.agent(demo.shopUrl);
    await shop.post('/cart/items').type('form').send({ productId: 'MUG-TI' }).expect(303);

    const checkout = await shop.get('/cart_checkout').expect(200);

    expect(checkout.text).toContain('<script src="/pixel-stand-in.js" data-track-id="111111111111111"></script>');
  });
});

describe('demo with a Mapp account', () => {
  let account: Collector;
  let demo: RunningDemo;

  beforeEach(async () => {
    // A local collector takes the place of the Mapp account, so nothing leaves the machine.
    account = await startCollector();
    demo = await startDemo({
      ports: FREE_PORTS,
      mapp: { trackId: '222222222222222', trackDomain: account.trackDomain, secure: false },
      logger: createMemoryLogger(),
    });
  });

  afterEach(async () => {
    await demo.close();
    await account.close();
  });

  test('no local collector started', () => {
    expect(demo.collectorUrl).toBeUndefined();
  });

  test('order sent to the account', async () => {
    const { orderId } = await checkOut(demo);

    const [hit] = await account.waitForHits(1);

    expect(hit.trackId).toBe('222222222222222');
    expect(hit.order?.id).toBe(orderId);
  });

  test('close sends the order in flight', async () => {
    account.respondWith({ delayMs: 300 });
    await checkOut(demo);
    await waitUntil(() => account.requests.length === 1);

    await demo.close();

    expect(account.hits).toHaveLength(1);
  });
});
