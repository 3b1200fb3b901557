import type { Logger } from '../../src';
import type { LogLine } from '../helpers/memory-logger';
import { SAMPLE_ORDER } from '../helpers/sample-order';
import { SHOP_PATHS } from './driver';
import { FIREFOX, MAPP_COOKIE, notify, type BehaviourCase, type World } from './world';

const { checkout, confirmation } = SHOP_PATHS;
const GROUP = 'logger that throws';

/** Replace the tracker with one whose logger records each line in world.logger, then throws at these levels. */
async function useThrowingLogger(world: World, levels: ReadonlyArray<LogLine['level']>): Promise<void> {
  const call = (level: LogLine['level']) => (fields: object, message?: string): void => {
    world.logger[level](fields, message);
    if (levels.includes(level)) {
      throw new Error(`logger ${level}() is down`);
    }
  };
  const logger: Logger = { debug: call('debug'), info: call('info'), warn: call('warn'), error: call('error') };
  await world.replaceTracker({ logger });
}

/** Run `action` and return the reasons of the unhandled rejections seen until the hits were flushed. */
async function unhandledRejectionsDuring(world: World, action: () => Promise<void>): Promise<unknown[]> {
  const reasons: unknown[] = [];
  const listener = (reason: unknown): void => {
    reasons.push(reason);
  };
  process.on('unhandledRejection', listener);
  try {
    await action();
    await world.tracker.flush();
    // Node reports an unhandled rejection after the microtasks of the tick that left it unhandled.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return reasons;
}

/** Cases of a shop's logger that throws: tracking goes on, and the shop's responses stay the same. */
export const LOGGER_CASES: readonly BehaviourCase[] = [
  {
    group: GROUP,
    name: 'serves checkout when error() throws',
    async run(world) {
      await useThrowingLogger(world, ['error']);
      const shop = await world.startShop({ checkoutOrderId: () => { throw new Error('order ID lookup failed'); } });
      const response = await shop.client().get(checkout, { Cookie: MAPP_COOKIE, 'User-Agent': FIREFOX });
      expect(response).toMatchObject({ status: 200, text: 'checkout' });
    },
  },
  {
    group: GROUP,
    name: 'serves confirmation when error() throws',
    async run(world) {
      await useThrowingLogger(world, ['error']);
      const shop = await world.startShop({ order: () => { throw new Error('database down'); } });
      const response = await shop.client().get(confirmation, { Cookie: MAPP_COOKIE });
      expect(response).toMatchObject({ status: 200, text: 'thanks' });
    },
  },
  {
    group: GROUP,
    name: 'answers the webhook when error() throws',
    async run(world) {
      await useThrowingLogger(world, ['error']);
      const shop = await world.startShop({ webhookOrder: () => ({ ...SAMPLE_ORDER, value: Number.NaN }) });
      const response = await notify(shop, { orderId: SAMPLE_ORDER.id });
      expect(response).toMatchObject({ status: 200, text: '{"received":true}' });
    },
  },
  {
    group: GROUP,
    name: 'leaves no unhandled rejection when info() and error() throw',
    async run(world) {
      await useThrowingLogger(world, ['info', 'error']);
      const shop = await world.startShop();
      const reasons = await unhandledRejectionsDuring(world, async () => {
        const response = await shop.client().get(confirmation, { Cookie: MAPP_COOKIE });
        expect(response).toMatchObject({ status: 200, text: 'thanks' });
        await world.collector.waitForHits(1);
      });
      expect(reasons).toEqual([]);
    },
  },
  {
    group: GROUP,
    name: 'logs no lost order when info() throws',
    async run(world) {
      await useThrowingLogger(world, ['info']);
      const shop = await world.startShop();
      await shop.client().get(confirmation, { Cookie: MAPP_COOKIE });
      const [hit] = await world.collector.waitForHits(1);
      expect(hit.order?.id).toBe(SAMPLE_ORDER.id);
      expect(world.logger.at('error').map((line) => line.message)).not.toContain('order was not tracked');
    },
  },
];
