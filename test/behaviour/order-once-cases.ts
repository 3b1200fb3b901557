import { delay, waitFor } from '../helpers/wait';
import { SHOP_PATHS } from './driver';
import {
  checkout, decisions, EID, expectCheckoutVisitor, FIREFOX, hitsAfter, MAPP_COOKIE, notify, PSP_AGENT, PSP_IP, visitorSources,
  type BehaviourCase,
} from './world';

const { confirmation, crossSiteReturn } = SHOP_PATHS;
const thanks = { status: 200, text: 'thanks' };

const cases: BehaviourCase[] = [
  {
    group: 'payment webhook',
    name: 'sends the checkout visitor, never the caller',
    async run(world) {
      const shop = await world.startShop({ trustedProxies: 1 });
      await checkout(world, shop.client(), 'A-1001');

      const response = await notify(shop, { orderId: 'A-1001' });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toEqual({ received: true });

      const [hit] = await world.collector.waitForHits(1);
      expectCheckoutVisitor(hit);
      const everything = `${hit.line}\n${decodeURIComponent(hit.line)}\n${JSON.stringify(hit)}`;
      expect(everything).not.toContain(PSP_IP);
      expect(everything).not.toContain('PSP-Notifier');
      expect(visitorSources(world, 'A-1001')).toEqual(['orderStore']);
    },
  },
  {
    group: 'payment webhook',
    name: 'sends without visitor when nothing is stored',
    async run(world) {
      const response = await notify(await world.startShop({ trustedProxies: 1 }), { orderId: 'A-2002' });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toEqual({ received: true });

      const [hit] = await world.collector.waitForHits(1);
      expect(hit.order?.id).toBe('A-2002');
      expect(hit.eid).toBeUndefined();
      expect(hit.ip).toBeUndefined();
      expect(hit.userAgent).toBeUndefined();
      expect(visitorSources(world, 'A-2002')).toEqual(['none']);
      expect(world.logger.at('warn').map((line) => line.message)).toEqual([
        'orderWebhook: no visitor data was found for the order, so it is sent without EID, IP and user agent; '
        + 'captureEid stores the visitor under the order ID at checkout when given its orderId option',
      ]);
    },
  },
  {
    group: 'webhook and return page',
    name: 'send once when the webhook comes first',
    async run(world) {
      const shop = await world.startShop({ trustedProxies: 1 });
      const browser = shop.client();
      await checkout(world, browser, 'A-1001');

      const webhookDone = notify(shop, { orderId: 'A-1001' });
      await delay(50);
      expect(await browser.get(`${confirmation}?id=A-1001`)).toMatchObject(thanks);
      expect((await webhookDone).status).toBe(200);

      const hits = await hitsAfter(world, 'A-1001', 2);
      expect(hits).toHaveLength(1);
      expectCheckoutVisitor(hits[0]);
      expect(decisions(world, 'A-1001').sort()).toEqual(['duplicate', 'queued']);
    },
  },
  {
    group: 'webhook and return page',
    name: 'send once when the return comes first',
    async run(world) {
      const shop = await world.startShop({ trustedProxies: 1 });
      const browser = shop.client();
      await checkout(world, browser, 'A-1001');

      expect(await browser.get(`${confirmation}?id=A-1001`)).toMatchObject(thanks);
      await waitFor(() => decisions(world, 'A-1001').length === 1, 'the return page to be tracked');
      expect((await notify(shop, { orderId: 'A-1001' })).status).toBe(200);

      const hits = await hitsAfter(world, 'A-1001', 2);
      expect(hits).toHaveLength(1);
      expectCheckoutVisitor(hits[0]);
      expect(decisions(world, 'A-1001')).toEqual(['queued', 'duplicate']);
      expect(visitorSources(world, 'A-1001')).toEqual(['session', 'orderStore']);
    },
  },
  {
    group: 'webhook and return page',
    name: 'send once when both arrive together',
    async run(world) {
      world.collector.respondWith({ delayMs: 500 });
      const shop = await world.startShop({ trustedProxies: 1 });
      const browser = shop.client();
      await checkout(world, browser, 'A-1001');

      const [webhookResponse, returnResponse] = await Promise.all([
        notify(shop, { orderId: 'A-1001' }),
        browser.get(`${confirmation}?id=A-1001`),
      ]);
      expect(webhookResponse.status).toBe(200);
      expect(returnResponse).toMatchObject(thanks);

      const hits = await hitsAfter(world, 'A-1001', 2);
      expect(hits).toHaveLength(1);
      expectCheckoutVisitor(hits[0]);
      expect(world.collector.requests).toHaveLength(1);
      expect(decisions(world, 'A-1001').sort()).toEqual(['duplicate', 'queued']);
    },
  },
  {
    group: 'webhook and return page',
    name: 'send once for three reloads and two webhooks',
    async run(world) {
      const shop = await world.startShop({ trustedProxies: 1 });
      const browser = shop.client();
      await checkout(world, browser, 'A-1001');

      for (let load = 0; load < 3; load += 1) {
        expect(await browser.get(`${confirmation}?id=A-1001`)).toMatchObject(thanks);
      }
      expect((await notify(shop, { orderId: 'A-1001' })).status).toBe(200);
      expect((await notify(shop, { orderId: 'A-1001' })).status).toBe(200);

      const hits = await hitsAfter(world, 'A-1001', 5);
      expect(hits).toHaveLength(1);
      expectCheckoutVisitor(hits[0]);
      expect(decisions(world, 'A-1001').filter((decision) => decision === 'duplicate')).toHaveLength(4);
    },
  },
  {
    group: 'rejected hit',
    name: 'is sent again on a webhook retry',
    async run(world) {
      await world.replaceTracker({ retry: { minDelayMs: 5, maxDelayMs: 20, maxAgeMs: 150 } });
      world.collector.respondWith({ status: 503 });
      const shop = await world.startShop({ trustedProxies: 1 });
      await checkout(world, shop.client(), 'A-1001');

      expect((await notify(shop, { orderId: 'A-1001' })).status).toBe(200);
      await waitFor(() => world.logger.at('info').some((line) => line.message.startsWith('order claim released (its hit was rejected)')),
        'the claim to be released after the retries gave up');
      world.collector.respondWith({});
      expect((await notify(shop, { orderId: 'A-1001' })).status).toBe(200);

      const [hit] = await world.collector.waitForHits(1);
      expectCheckoutVisitor(hit);
      const statuses = world.collector.requests.map((received) => received.status);
      expect(statuses[statuses.length - 1]).toBe(200);
      expect(statuses.slice(0, -1).every((status) => status === 503)).toBe(true);
      expect(decisions(world, 'A-1001')).toEqual(['queued', 'queued']);
      expect(world.logger.at('error').map((line) => line.message)).toEqual([
        'the order hit was not delivered within retry.maxAgeMs; it is kept as a dead letter that tracker.retryDeadLetters() sends again',
      ]);
    },
  },
  {
    group: 'cross-site return without cookies',
    name: 'finds the visitor by order ID',
    async run(world) {
      const shop = await world.startShop({ trustedProxies: 1 });
      await checkout(world, shop.client(), 'A-1001');

      const response = await shop.client().postForm(crossSiteReturn, { orderId: 'A-1001' },
        { 'X-Forwarded-For': PSP_IP, 'User-Agent': PSP_AGENT });
      expect(response).toMatchObject(thanks);
      expect(response.setCookie).toEqual([]);

      const [hit] = await world.collector.waitForHits(1);
      expectCheckoutVisitor(hit);
      expect(visitorSources(world, 'A-1001')).toEqual(['orderStore']);
    },
  },
  {
    group: 'cross-site return without cookies',
    name: 'sends without eid when nothing is stored',
    async run(world) {
      const shop = await world.startShop({ trustedProxies: 1 });

      const response = await shop.client().postForm(crossSiteReturn, { orderId: 'A-2002' }, { 'User-Agent': FIREFOX });
      expect(response).toMatchObject(thanks);
      expect(response.setCookie).toEqual([]);

      const [hit] = await world.collector.waitForHits(1);
      expect(hit.order?.id).toBe('A-2002');
      expect(hit.eid).toBeUndefined();
      expect(hit.userAgent).toBeUndefined();
      expect(visitorSources(world, 'A-2002')).toEqual(['none']);
    },
  },
  {
    group: 'opt-out cookie',
    name: 'keeps the EID out of the confirmation hit',
    async run(world) {
      const browser = (await world.startShop({ trustedProxies: 1 })).client();
      await checkout(world, browser, 'A-1001', `webtrekkOptOut=1; ${MAPP_COOKIE}`);
      expect(await browser.get(`${confirmation}?id=A-1001`)).toMatchObject(thanks);

      const [hit] = await world.collector.waitForHits(1);
      expect(hit.eid).toBeUndefined();
      expect(hit.params.nc).toBe('1');
      expect(hit.order).toEqual({ id: 'A-1001', value: '79.7', currency: 'EUR', parameters: {} });
      expect(hit.line).not.toContain(EID);
    },
  },
  {
    group: 'opt-out cookie',
    name: 'keeps the EID out of the webhook hit',
    async run(world) {
      const shop = await world.startShop({ trustedProxies: 1 });
      await checkout(world, shop.client(), 'A-1001', `miCookieOptOut=1; ${MAPP_COOKIE}`);
      expect((await notify(shop, { orderId: 'A-1001' })).status).toBe(200);

      const [hit] = await world.collector.waitForHits(1);
      expect(hit.eid).toBeUndefined();
      expect(hit.ip).toBeUndefined();
      expect(hit.userAgent).toBeUndefined();
      expect(hit.order?.value).toBe('79.7');
      expect(visitorSources(world, 'A-1001')).toEqual(['orderStore']);
      expect(world.logger.at('warn')).toHaveLength(0);
    },
  },
  {
    group: 'opt-out cookie',
    name: 'stores no EID for a later order',
    async run(world) {
      const shop = await world.startShop({ trustedProxies: 1 });
      await checkout(world, shop.client(), 'A-1001', `webtrekkOptOut=1; ${MAPP_COOKIE}`);

      expect(await world.tracker.findVisitor('A-1001')).toEqual({ optedOut: true, capturedAt: expect.any(Number) });
    },
  },
  {
    group: 'opt-out cookie',
    name: 'wins over an EID captured before',
    async run(world) {
      const browser = (await world.startShop({ trustedProxies: 1 })).client();
      await checkout(world, browser, 'A-1001');
      await checkout(world, browser, 'A-1001', `webtrekkOptOut=1; ${MAPP_COOKIE}`);
      expect(await browser.get(`${confirmation}?id=A-1001`)).toMatchObject(thanks);

      const [hit] = await world.collector.waitForHits(1);
      expect(hit.eid).toBeUndefined();
    },
  },
  {
    group: 'opt-out cookie',
    name: 'counts on the return request alone',
    async run(world) {
      const browser = (await world.startShop({ trustedProxies: 1 })).client();
      await checkout(world, browser, 'A-1001');
      expect(await browser.get(`${confirmation}?id=A-1001`, { Cookie: 'webtrekkOptOut=1' })).toMatchObject(thanks);

      const [hit] = await world.collector.waitForHits(1);
      expect(hit.eid).toBeUndefined();
      expect(visitorSources(world, 'A-1001')).toEqual(['request']);
    },
  },
  {
    group: 'opt-out cookie',
    name: 'counts a bare name at checkout',
    async run(world) {
      const browser = (await world.startShop({ trustedProxies: 1 })).client();
      await checkout(world, browser, 'A-1001', `webtrekkOptOut; ${MAPP_COOKIE}`);
      expect(await browser.get(`${confirmation}?id=A-1001`)).toMatchObject(thanks);

      const [hit] = await world.collector.waitForHits(1);
      expect(hit.eid).toBeUndefined();
      expect(hit.params.nc).toBe('1');
    },
  },
  {
    group: 'opt-out cookie',
    name: 'counts a bare name on return',
    async run(world) {
      // A client without cookies of its own sends the header as written; a cookie jar would drop the bare name.
      const browser = (await world.startShop()).client();
      expect(await browser.get(`${confirmation}?id=A-1001`, { Cookie: `${MAPP_COOKIE}; miCookieOptOut` })).toMatchObject(thanks);

      const [hit] = await world.collector.waitForHits(1);
      expect(hit.eid).toBeUndefined();
      expect(hit.params.nc).toBe('1');
    },
  },
  {
    group: 'opt-out cookie',
    name: 'follows the optOutCookies option',
    async run(world) {
      await world.replaceTracker({ optOutCookies: ['shopOptOut'] });
      const shop = await world.startShop({ trustedProxies: 1 });
      await checkout(world, shop.client(), 'A-1001', `webtrekkOptOut=1; ${MAPP_COOKIE}`);
      await checkout(world, shop.client(), 'A-1002', `shopOptOut=yes; ${MAPP_COOKIE}`);
      expect((await notify(shop, { orderId: 'A-1001' })).status).toBe(200);
      expect((await notify(shop, { orderId: 'A-1002' })).status).toBe(200);

      const hits = await world.collector.waitForHits(2);
      expect(hits.find((hit) => hit.order?.id === 'A-1001')?.eid).toBe(EID);
      expect(hits.find((hit) => hit.order?.id === 'A-1002')?.eid).toBeUndefined();
    },
  },
];

/**
 * Cases of one order confirmed by several paths (return page, webhook, cross-site return), and of the
 * opt-out cookie. Each runs on the memory stores and on the file stores.
 */
export const ORDER_ONCE_CASES: readonly BehaviourCase[] = cases.map((behaviourCase) => ({ ...behaviourCase, everyStoreKind: true }));
