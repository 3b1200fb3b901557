import { SAMPLE_ORDER } from '../helpers/sample-order';
import { SHOP_PATHS, type ShopSetup } from './driver';
import { EID, FIREFOX, TRACK_ID, type BehaviourCase, type World } from './world';

const { checkout, products, confirmation } = SHOP_PATHS;

async function checkoutAndConfirm(world: World, cookie: string, setup: Partial<ShopSetup> = {}) {
  const browser = (await world.startShop(setup)).client();
  await browser.get(checkout, { Cookie: cookie, 'User-Agent': FIREFOX });
  expect(await browser.get(confirmation)).toMatchObject({ status: 200, text: 'thanks' });
  const [hit] = await world.collector.waitForHits(1);
  return hit;
}

const eidCookieCases: BehaviourCase[] = [
  ['encoded wt3_eid', `sid=s%3Aabc.def; wt3_eid=%3B${TRACK_ID}%7C${EID}%232170000000600000000; other=1`],
  ['wt3_eid with raw separators', `wt3_eid=%3B${TRACK_ID}|${EID}#2170000000600000000`],
  ['wt3_eid without leading separator', `wt3_eid=${TRACK_ID}|${EID}#2170000000600000000`],
  ['wt3_eid without # part', `wt3_eid=%3B${TRACK_ID}%7C${EID}`],
].map(([label, cookie]) => ({
  group: 'EID from the checkout cookie',
  name: `sends the EID of ${label}`,
  async run(world) {
    expect((await checkoutAndConfirm(world, cookie)).eid).toBe(EID);
  },
}));

const brokenEidCases: BehaviourCase[] = [
  ['entry without EID', `wt3_eid=%3B${TRACK_ID}`],
  ['empty wt3_eid', 'wt3_eid='],
  ['broken escape', `wt3_eid=%3B${TRACK_ID}%7C${EID}%E0%A4%A`],
].map(([label, cookie]) => ({
  group: 'EID from the checkout cookie',
  name: `sends no broken EID for ${label}`,
  async run(world) {
    const hit = await checkoutAndConfirm(world, cookie);
    expect(hit.eid === undefined || hit.eid === EID).toBe(true);
    expect(hit.line).not.toMatch(/eid=[^&]*(%25|%3B|%7C|%23)/);
  },
}));

/** Cases of captureEid and the confirmation page: the EID, the visitor's IP and user agent, and logs. */
export const CAPTURE_CASES: readonly BehaviourCase[] = [
  ...eidCookieCases,
  ...brokenEidCases,
  {
    group: 'EID from the checkout cookie',
    name: 'sends the order and its products',
    async run(world) {
      const hit = await checkoutAndConfirm(world, `wt3_eid=%3B${TRACK_ID}%7C${EID}`);
      expect(hit.order).toEqual({ id: 'A-1001', value: '79.7', currency: 'EUR', parameters: {} });
      expect(hit.products).toEqual([
        { id: 'SKU-1', cost: '39.9', quantity: '1', status: 'conf', categories: {} },
        { id: 'SKU-2', cost: '39.8', quantity: '2', status: 'conf', categories: {} },
      ]);
      expect(hit.page.contentId).toBe('order.s2s.confirmation');
      expect(hit.problems).toEqual([]);
    },
  },
  {
    group: 'EID from the checkout cookie',
    name: 'sends the entry of this track ID',
    async run(world) {
      const cookie = 'wt3_eid=%3B222222222222222%7C2170000000000000009%232170000000500000000'
        + `%3B${TRACK_ID}%7C${EID}%232170000000600000000`;
      expect((await checkoutAndConfirm(world, cookie)).eid).toBe(EID);
    },
  },
  {
    group: 'EID from the checkout cookie',
    name: 'sends no EID for another track ID',
    async run(world) {
      await world.replaceTracker({ trackId: '333333333333333' });
      const cookie = `wt3_eid=%3B222222222222222%7C2170000000000000009%3B${TRACK_ID}%7C${EID}`;
      expect((await checkoutAndConfirm(world, cookie)).eid).toBeUndefined();
    },
  },
  {
    group: 'EID from the checkout cookie',
    name: 'ignores a JSON cookie value',
    async run(world) {
      const hit = await checkoutAndConfirm(world, 'wtstp_eid=j:{"$gt":""}');
      expect(hit.eid).toBeUndefined();
      expect(hit.line).not.toContain('object');
      expect(decodeURIComponent(hit.line)).not.toContain('$gt');
    },
  },
  {
    group: 'EID from the checkout cookie',
    name: 'prefers wtstp_eid over wt3_eid',
    async run(world) {
      const hit = await checkoutAndConfirm(world, `wtstp_eid=2170000000000000005; wt3_eid=%3B${TRACK_ID}%7C${EID}`);
      expect(hit.eid).toBe('2170000000000000005');
    },
  },
  {
    group: 'EID from the checkout cookie',
    name: 'falls back from garbage wtstp_eid',
    async run(world) {
      const hit = await checkoutAndConfirm(world, `wtstp_eid=garbage; wt3_eid=%3B${TRACK_ID}%7C${EID}`);
      expect(hit.eid).toBe(EID);
    },
  },
  {
    group: 'EID from the checkout cookie',
    name: 'keeps the first EID captured',
    async run(world) {
      const browser = (await world.startShop()).client();
      await browser.get(checkout, { Cookie: `wtstp_eid=${EID}` });
      await browser.get(checkout, { Cookie: 'wtstp_eid=2170000000000000005' });
      await browser.get(confirmation);
      expect((await world.collector.waitForHits(1))[0].eid).toBe(EID);
    },
  },
  {
    group: 'visitor IP and user agent',
    name: 'uses the last hop behind one proxy',
    async run(world) {
      const browser = (await world.startShop({ trustedProxies: 1 })).client();
      await browser.get(checkout, { 'X-Forwarded-For': '192.0.2.66, 203.0.113.7' });
      await browser.get(confirmation);
      expect((await world.collector.waitForHits(1))[0].ip).toBe('203.0.113.7');
    },
  },
  {
    group: 'visitor IP and user agent',
    name: 'ignores X-Forwarded-For without proxy',
    async run(world) {
      const browser = (await world.startShop()).client();
      await browser.get(checkout, { 'X-Forwarded-For': '192.0.2.66, 203.0.113.7' });
      await browser.get(confirmation);
      const [hit] = await world.collector.waitForHits(1);
      expect(hit.ip).toBe('127.0.0.1');
      expect(hit.line).not.toContain('203.0.113.7');
    },
  },
  {
    group: 'visitor IP and user agent',
    name: 'sends the checkout visitor',
    async run(world) {
      const browser = (await world.startShop({ trustedProxies: 1 })).client();
      await browser.get(checkout, { 'X-Forwarded-For': '203.0.113.7', 'User-Agent': FIREFOX, 'Sec-CH-UA-Platform': '"Linux"' });
      await browser.get(confirmation, { 'X-Forwarded-For': '198.51.100.20', 'User-Agent': 'PSP-Notifier/1.0' });
      const [hit] = await world.collector.waitForHits(1);
      expect(hit.ip).toBe('203.0.113.7');
      expect(hit.userAgent).toBe(FIREFOX);
      expect(hit.clientHints).toEqual({ 'X-WT-SEC-CH-UA-PLATFORM': '"Linux"' });
      expect(hit.line).not.toContain('198.51.100.20');
      expect(hit.line).not.toContain('PSP-Notifier');
    },
  },
  {
    group: 'visitor IP and user agent',
    name: 'falls back to the confirming request',
    async run(world) {
      const browser = (await world.startShop()).client();
      await browser.get(confirmation, { 'User-Agent': FIREFOX, Cookie: `wtstp_eid=${EID}` });
      const [hit] = await world.collector.waitForHits(1);
      expect(hit.userAgent).toBe(FIREFOX);
      expect(hit.eid).toBe(EID);
    },
  },
  {
    group: 'response never waits for tracking',
    name: 'answers before a slow collector',
    async run(world) {
      world.collector.respondWith({ delayMs: 5000 });
      const browser = (await world.startShop()).client();
      await browser.get(checkout);
      expect(await browser.get(confirmation)).toMatchObject({ status: 200, text: 'thanks' });
      const answeredAt = Date.now();

      expect(world.collector.hits).toHaveLength(0);
      const [hit] = await world.collector.waitForHits(1, { timeoutMs: 10_000 });
      expect(hit.receivedAt).toBeGreaterThanOrEqual(answeredAt);
    },
  },
  {
    group: 'response never waits for tracking',
    name: 'serves the page when the callback throws',
    async run(world) {
      const browser = (await world.startShop({ order: () => { throw new Error('database down'); } })).client();
      expect(await browser.get(confirmation)).toMatchObject({ status: 200, text: 'thanks' });
      expect(world.logger.at('error').map((line) => line.message)).toEqual([
        "orderConfirmation: the shop's order callback threw, so no order was tracked",
      ]);
    },
  },
  {
    group: 'response never waits for tracking',
    name: 'serves the page for an invalid order',
    async run(world) {
      const browser = (await world.startShop({ order: () => ({ ...SAMPLE_ORDER, value: Number.NaN }) })).client();
      expect(await browser.get(confirmation)).toMatchObject({ status: 200, text: 'thanks' });
      await new Promise((resolve) => setImmediate(resolve));
      expect(world.logger.at('error').map((line) => line.message)).toEqual(['order was not tracked']);
    },
  },
  {
    group: 'response never waits for tracking',
    name: 'sends nothing without an order',
    async run(world) {
      const browser = (await world.startShop({ order: () => undefined })).client();
      expect(await browser.get(confirmation)).toMatchObject({ status: 200, text: 'thanks' });
      await world.tracker.flush();
      expect(world.collector.requests).toHaveLength(0);
    },
  },
  {
    group: 'captureEid without a session',
    name: 'logs one error and serves pages',
    async run(world) {
      const shop = await world.startShop({ withSession: false, checkoutOrderId: false });
      expect(await shop.client().get(checkout, { Cookie: `wtstp_eid=${EID}` })).toMatchObject({ status: 200, text: 'checkout' });
      expect(await shop.client().get(checkout)).toMatchObject({ status: 200, text: 'checkout' });
      const { requestName, sessionMiddleware } = world.driver;
      expect(world.logger.at('error').map((line) => line.message)).toEqual([
        `captureEid: ${requestName}.session is missing, so the Ever ID cannot be stored; mount ${sessionMiddleware} before captureEid`,
      ]);
    },
  },
  {
    group: 'captureEid without a session',
    name: 'leaves other routes alone',
    async run(world) {
      const shop = await world.startShop({ withSession: false });
      expect(await shop.client().get(products)).toMatchObject({ status: 200, text: 'products' });
      expect(world.logger.lines).toHaveLength(0);
    },
  },
  {
    group: 'log lines',
    name: 'are the same for one order',
    async run(world) {
      await checkoutAndConfirm(world, `wtstp_eid=${EID}`);
      expect(world.logger.lines.map((line) => `${line.level}: ${line.message}`)).toEqual([
        'debug: captureEid: checkout visitor captured',
        'info: order queued for Mapp',
      ]);
      expect(world.logger.at('info')[0].fields).toEqual({ orderId: 'A-1001', visitorSource: 'session', hasEid: true, optedOut: false, onDiskOnly: false });
    },
  },
  {
    group: 'log lines',
    name: 'never show the full EID or IP at info',
    async run(world) {
      await checkoutAndConfirm(world, `wtstp_eid=${EID}`);
      const infoText = JSON.stringify(world.logger.at('info'));
      expect(infoText).not.toContain(EID);
      expect(infoText).not.toContain('127.0.0.1');
    },
  },
];
