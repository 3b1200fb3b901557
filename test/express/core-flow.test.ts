import request from 'supertest';

import { createTracker, type Tracker } from '../../src';
import { startCollector, type Collector } from '../../src/testing';
import { createExpressShop, SAMPLE_ORDER } from '../helpers/express-shop';
import { createMemoryLogger } from '../helpers/memory-logger';

const TRACK_ID = '111111111111111';
const EID = '2170000000000000001';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0';

let collector: Collector;
let tracker: Tracker;
let logger: ReturnType<typeof createMemoryLogger>;

beforeEach(async () => {
  collector = await startCollector();
  logger = createMemoryLogger();
  tracker = createTracker({ trackId: TRACK_ID, trackDomain: collector.trackDomain, secure: false, logger });
});

afterEach(async () => {
  await tracker.close({ timeoutMs: 1000 });
  await collector.close();
});

async function checkoutAndConfirm(cookie: string, options: { trustProxy?: number; withCookieParser?: boolean } = {}) {
  const shop = createExpressShop({ tracker, ...options });
  const agent = request.agent(shop);
  await agent.get('/cart_checkout').set('Cookie', cookie).set('User-Agent', FIREFOX).expect(200);
  await agent.get('/order/complete').expect(200, 'thanks');
  const [hit] = await collector.waitForHits(1);
  return hit;
}

describe('captureEid and orderConfirmation on Express', () => {
  it.each([
    ['encoded wt3_eid', `sid=s%3Aabc.def; wt3_eid=%3B${TRACK_ID}%7C${EID}%232170000000600000000; other=1`],
    ['wt3_eid with raw separators', `wt3_eid=%3B${TRACK_ID}|${EID}#2170000000600000000`],
    ['wt3_eid without leading separator', `wt3_eid=${TRACK_ID}|${EID}#2170000000600000000`],
    ['wt3_eid without # part', `wt3_eid=%3B${TRACK_ID}%7C${EID}`],
  ])('sends the EID of %s', async (_case, cookie) => {
    const hit = await checkoutAndConfirm(cookie);
    expect(hit.eid).toBe(EID);
  });

  it('sends the order and its products', async () => {
    const hit = await checkoutAndConfirm(`wt3_eid=%3B${TRACK_ID}%7C${EID}`);
    expect(hit.order).toEqual({ id: 'A-1001', value: '79.7', currency: 'EUR', parameters: {} });
    expect(hit.products).toEqual([
      { id: 'SKU-1', cost: '39.9', quantity: '1', status: 'conf', categories: {} },
      { id: 'SKU-2', cost: '39.8', quantity: '2', status: 'conf', categories: {} },
    ]);
    expect(hit.page.contentId).toBe('order.s2s.confirmation');
    expect(hit.problems).toEqual([]);
  });

  it('sends the entry of this track ID among several', async () => {
    const cookie = 'wt3_eid=%3B222222222222222%7C2170000000000000009%232170000000500000000'
      + `%3B${TRACK_ID}%7C${EID}%232170000000600000000`;
    expect((await checkoutAndConfirm(cookie)).eid).toBe(EID);
  });

  it('sends no EID for another track ID', async () => {
    await tracker.close();
    tracker = createTracker({ trackId: '333333333333333', trackDomain: collector.trackDomain, secure: false, logger });
    const cookie = `wt3_eid=%3B222222222222222%7C2170000000000000009%3B${TRACK_ID}%7C${EID}`;
    expect((await checkoutAndConfirm(cookie)).eid).toBeUndefined();
  });

  it.each([
    ['entry without EID', `wt3_eid=%3B${TRACK_ID}`],
    ['empty wt3_eid', 'wt3_eid='],
    ['broken escape', `wt3_eid=%3B${TRACK_ID}%7C${EID}%E0%A4%A`],
  ])('sends no broken EID for %s', async (_case, cookie) => {
    const hit = await checkoutAndConfirm(cookie);
    expect(hit.eid === undefined || hit.eid === EID).toBe(true);
    expect(hit.line).not.toMatch(/eid=[^&]*(%25|%3B|%7C|%23)/);
  });

  it('ignores a JSON cookie turned into an object by cookie-parser', async () => {
    const hit = await checkoutAndConfirm('wtstp_eid=j:{"$gt":""}', { withCookieParser: true });
    expect(hit.eid).toBeUndefined();
    expect(hit.line).not.toContain('object');
    expect(decodeURIComponent(hit.line)).not.toContain('$gt');
  });

  it('prefers wtstp_eid over wt3_eid', async () => {
    const hit = await checkoutAndConfirm(`wtstp_eid=2170000000000000005; wt3_eid=%3B${TRACK_ID}%7C${EID}`);
    expect(hit.eid).toBe('2170000000000000005');
  });

  it('falls back to wt3_eid when wtstp_eid is garbage', async () => {
    const hit = await checkoutAndConfirm(`wtstp_eid=garbage; wt3_eid=%3B${TRACK_ID}%7C${EID}`);
    expect(hit.eid).toBe(EID);
  });

  it('keeps the first EID captured in the session', async () => {
    const agent = request.agent(createExpressShop({ tracker }));
    await agent.get('/cart_checkout').set('Cookie', `wtstp_eid=${EID}`).expect(200);
    await agent.get('/cart_checkout').set('Cookie', 'wtstp_eid=2170000000000000005').expect(200);
    await agent.get('/order/complete').expect(200);
    expect((await collector.waitForHits(1))[0].eid).toBe(EID);
  });
});

describe('visitor IP and user agent on Express', () => {
  it('uses the last proxy hop with trust proxy 1', async () => {
    const agent = request.agent(createExpressShop({ tracker, trustProxy: 1 }));
    await agent.get('/cart_checkout').set('X-Forwarded-For', '192.0.2.66, 203.0.113.7').expect(200);
    await agent.get('/order/complete').expect(200);
    expect((await collector.waitForHits(1))[0].ip).toBe('203.0.113.7');
  });

  it('ignores X-Forwarded-For without trust proxy', async () => {
    const agent = request.agent(createExpressShop({ tracker }));
    await agent.get('/cart_checkout').set('X-Forwarded-For', '192.0.2.66, 203.0.113.7').expect(200);
    await agent.get('/order/complete').expect(200);
    const [hit] = await collector.waitForHits(1);
    expect(hit.ip).toBe('127.0.0.1');
    expect(hit.line).not.toContain('203.0.113.7');
  });

  it('sends the checkout visitor, not the confirming client', async () => {
    const agent = request.agent(createExpressShop({ tracker, trustProxy: 1 }));
    await agent.get('/cart_checkout').set('X-Forwarded-For', '203.0.113.7').set('User-Agent', FIREFOX)
      .set('Sec-CH-UA-Platform', '"Linux"').expect(200);
    await agent.get('/order/complete').set('X-Forwarded-For', '198.51.100.20').set('User-Agent', 'PSP-Notifier/1.0').expect(200);
    const [hit] = await collector.waitForHits(1);
    expect(hit.ip).toBe('203.0.113.7');
    expect(hit.userAgent).toBe(FIREFOX);
    expect(hit.clientHints).toEqual({ 'X-WT-SEC-CH-UA-PLATFORM': '"Linux"' });
    expect(hit.line).not.toContain('198.51.100.20');
    expect(hit.line).not.toContain('PSP-Notifier');
  });

  it('falls back to the confirming request without checkout', async () => {
    const agent = request.agent(createExpressShop({ tracker }));
    await agent.get('/order/complete').set('User-Agent', FIREFOX).set('Cookie', `wtstp_eid=${EID}`).expect(200);
    const [hit] = await collector.waitForHits(1);
    expect(hit.userAgent).toBe(FIREFOX);
    expect(hit.eid).toBe(EID);
  });
});

describe('orderConfirmation never holds up the shop', () => {
  it('answers before a slow collector does', async () => {
    collector.respondWith({ delayMs: 5000 });
    const agent = request.agent(createExpressShop({ tracker }));
    await agent.get('/cart_checkout').expect(200);
    await agent.get('/order/complete').expect(200, 'thanks');
    const answeredAt = Date.now();

    expect(collector.hits).toHaveLength(0);
    const [hit] = await collector.waitForHits(1, { timeoutMs: 10_000 });
    expect(hit.receivedAt).toBeGreaterThanOrEqual(answeredAt);
  });

  it('serves the page when the order callback throws', async () => {
    const shop = createExpressShop({ tracker, order: () => { throw new Error('database down'); } });
    await request(shop).get('/order/complete').expect(200, 'thanks');
    expect(logger.at('error').map((line) => line.message)).toEqual([
      "orderConfirmation: the shop's order callback threw, so no order was tracked",
    ]);
  });

  it('serves the page and logs an invalid order', async () => {
    const shop = createExpressShop({ tracker, order: () => ({ ...SAMPLE_ORDER, value: Number.NaN }) });
    await request(shop).get('/order/complete').expect(200, 'thanks');
    await new Promise((resolve) => setImmediate(resolve));
    expect(logger.at('error')).toHaveLength(1);
    expect(logger.at('error')[0].message).toBe('order was not tracked');
  });

  it('sends nothing when the callback returns no order', async () => {
    const shop = createExpressShop({ tracker, order: () => undefined });
    await request(shop).get('/order/complete').expect(200, 'thanks');
    await tracker.flush();
    expect(collector.requests).toHaveLength(0);
  });
});

describe('captureEid without express-session', () => {
  it('logs one error and passes every request on', async () => {
    const shop = createExpressShop({ tracker, withSession: false, checkoutOrderId: false });
    await request(shop).get('/cart_checkout').set('Cookie', `wtstp_eid=${EID}`).expect(200, 'checkout');
    await request(shop).get('/cart_checkout').expect(200, 'checkout');
    expect(logger.at('error')).toHaveLength(1);
    expect(logger.at('error')[0].message).toContain('mount express-session before captureEid');
  });

  it('leaves other routes alone', async () => {
    const shop = createExpressShop({ tracker, withSession: false });
    const linesBefore = logger.lines.length;
    await request(shop).get('/products').expect(200, 'products');
    expect(logger.lines.slice(linesBefore)).toEqual([]);
  });
});

describe('info logs', () => {
  it('never contain the full EID or IP', async () => {
    await checkoutAndConfirm(`wtstp_eid=${EID}`);
    const infoText = JSON.stringify(logger.at('info'));
    expect(infoText).not.toContain(EID);
    expect(infoText).not.toContain('127.0.0.1');
  });
});
