import { SHOP_PATHS } from './driver';
import { bodyField, EID, FIREFOX, MAPP_COOKIE, notify, visitorStored, type BehaviourCase } from './world';

const { checkout, confirmation } = SHOP_PATHS;
const QUEUED = 'order queued for Mapp';

/** Cases of orderWebhook's responses, and of captureEid's orderId option on its own. */
export const WEBHOOK_CASES: readonly BehaviourCase[] = [
  {
    group: 'orderWebhook answers',
    name: '200 when the order is invalid',
    async run(world) {
      const shop = await world.startShop({ webhookOrder: () => ({ id: 'A-1001', value: Number.NaN }) });
      const response = await notify(shop, { orderId: 'A-1001' });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toEqual({ received: true });
      expect(world.logger.at('error').map((line) => line.message)).toEqual(['order was not tracked']);
    },
  },
  {
    group: 'orderWebhook answers',
    name: '200 without an order to track',
    async run(world) {
      const response = await notify(await world.startShop(), { event: 'payment.failed' });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toEqual({ received: true });
      await world.tracker.flush();
      expect(world.collector.requests).toHaveLength(0);
    },
  },
  {
    group: 'orderWebhook answers',
    name: '500 when the order callback throws',
    async run(world) {
      const shop = await world.startShop({ webhookOrder: () => { throw new Error('database down'); } });
      expect(await notify(shop, { orderId: 'A-1001' })).toMatchObject({ status: 500, text: 'database down' });
      expect(world.logger.at('error')).toHaveLength(0);
    },
  },
  {
    group: 'orderWebhook answers',
    name: 'before Mapp answers',
    async run(world) {
      world.collector.respondWith({ delayMs: 5000 });
      const response = await notify(await world.startShop(), { orderId: 'A-1001' });
      expect(response.status).toBe(200);
      expect(world.collector.hits).toHaveLength(0);
      expect(world.logger.at('info').map((line) => line.message)).toContain(QUEUED);
      // Closing the collector first ends the pending request, so closing the tracker need not wait for it.
      await world.collector.close();
    },
  },
  {
    group: 'orderWebhook answers',
    name: '200 when the visitor store fails',
    async run(world) {
      await world.replaceTracker({
        visitorStore: { set: async () => undefined, get: async () => { throw new Error('store down'); } },
      });
      const response = await notify(await world.startShop(), { orderId: 'A-1001' });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toEqual({ received: true });

      const [hit] = await world.collector.waitForHits(1);
      expect(hit.order?.id).toBe('A-1001');
      expect(world.logger.at('error').map((line) => line.message)).toEqual([
        'orderWebhook: looking up the visitor by order ID failed; the order is sent without it',
      ]);
    },
  },
  {
    group: 'orderWebhook answers',
    name: 'looks up by its orderId option',
    async run(world) {
      const shop = await world.startShop({ webhookOrderId: (request) => bodyField(request, 'reference') });
      expect((await shop.client().get(`${checkout}?order=REF-77`, { Cookie: MAPP_COOKIE })).status).toBe(200);
      await visitorStored(world, 'REF-77');

      expect((await notify(shop, { orderId: 'A-1001', reference: 'REF-77' })).status).toBe(200);
      const [hit] = await world.collector.waitForHits(1);
      expect(hit.order?.id).toBe('A-1001');
      expect(hit.eid).toBe(EID);
    },
  },
  {
    group: 'captureEid with orderId',
    name: 'stores the visitor without a session',
    async run(world) {
      const shop = await world.startShop({ withSession: false });
      const response = await shop.client().get(`${checkout}?order=A-1001`, { Cookie: `wtstp_eid=${EID}`, 'User-Agent': FIREFOX });
      expect(response).toMatchObject({ status: 200, text: 'checkout' });

      await visitorStored(world, 'A-1001');
      expect(await world.tracker.findVisitor('A-1001')).toEqual({
        eid: EID, ip: '127.0.0.1', userAgent: FIREFOX, capturedAt: expect.any(Number),
      });
      expect(world.logger.at('error')).toHaveLength(0);
    },
  },
  {
    group: 'captureEid with orderId',
    name: 'passes on when orderId throws',
    async run(world) {
      const browser = (await world.startShop({ checkoutOrderId: () => { throw new Error('no cart'); } })).client();
      expect(await browser.get(checkout, { Cookie: `wtstp_eid=${EID}` })).toMatchObject({ status: 200, text: 'checkout' });
      expect(await browser.get(`${confirmation}?id=A-1001`)).toMatchObject({ status: 200, text: 'thanks' });

      const [hit] = await world.collector.waitForHits(1);
      expect(hit.eid).toBe(EID);
      expect(world.logger.at('error').map((line) => line.message)).toEqual([
        "captureEid: the shop's orderId callback threw, so the visitor is not stored or looked up by order ID",
      ]);
    },
  },
  {
    group: 'captureEid with orderId',
    name: 'ignores an ID with a lone surrogate',
    async run(world) {
      const browser = (await world.startShop({ checkoutOrderId: () => 'A\ud800' })).client();
      expect(await browser.get(checkout, { Cookie: `wtstp_eid=${EID}` })).toMatchObject({ status: 200, text: 'checkout' });

      expect(world.logger.at('warn').map((line) => line.message)).toEqual([
        'captureEid: the orderId callback returned neither a non-empty, well-formed string nor a whole number, so it is ignored',
      ]);
    },
  },
];
