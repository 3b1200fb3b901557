import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createTracker, FileClaimStore, FileVisitorStore, type Order, type TrackerOptions } from '../../src';
import { startCollector } from '../../src/testing';
import { createMemoryLogger } from '../helpers/memory-logger';
import { SAMPLE_ORDER } from '../helpers/sample-order';
import { CAPTURE_CASES } from './capture-cases';
import type { Shop, ShopDriver, ShopRequest, ShopSetup } from './driver';
import { LOGGER_CASES } from './logger-cases';
import { ORDER_ONCE_CASES } from './order-once-cases';
import { WEBHOOK_CASES } from './webhook-cases';
import { bodyField, TRACK_ID, type BehaviourCase, type World } from './world';

/** The behaviour every adapter must show; each driver runs the whole table. */
export const BEHAVIOUR_CASES: readonly BehaviourCase[] = [
  ...CAPTURE_CASES, ...ORDER_ONCE_CASES, ...WEBHOOK_CASES, ...LOGGER_CASES,
];

interface StoreKind {
  name: string;
  /** Create the stores and return the tracker options that use them, with a function that removes them. */
  create(): Promise<{ options: Partial<TrackerOptions>; remove(): Promise<void> }>;
}

const STORE_KINDS: readonly StoreKind[] = [
  { name: 'memory stores', create: async () => ({ options: {}, remove: async () => undefined }) },
  {
    name: 'file stores',
    async create() {
      const dir = await mkdtemp(join(tmpdir(), 'mapp-s2s-behaviour-'));
      const claimStore = new FileClaimStore({ dir });
      const visitorStore = new FileVisitorStore({ dir });
      return {
        options: { claimStore, visitorStore },
        async remove() {
          await claimStore.close();
          await visitorStore.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

function orderWithId(id: string | undefined): Order | undefined {
  return id === undefined ? undefined : { ...SAMPLE_ORDER, id };
}

const DEFAULT_SETUP: Omit<ShopSetup, 'tracker'> = {
  checkoutOrderId: (request: ShopRequest) => (typeof request.query.order === 'string' ? request.query.order : undefined),
  order: (request: ShopRequest) => orderWithId(String(request.query.id ?? SAMPLE_ORDER.id)),
  returnOrder: (request: ShopRequest) => orderWithId(bodyField(request, 'orderId')),
  webhookOrder: (request: ShopRequest) => orderWithId(bodyField(request, 'orderId')),
};

/**
 * Run every behaviour case against one driver, each with a fresh collector, tracker and shops. A case
 * marked `everyStoreKind` runs once per store kind; the others run on the tracker's default stores.
 */
export function runBehaviourCases(driver: ShopDriver): void {
  describe(`adapter behaviour on ${driver.name}`, () => {
    let world: World;
    let storeOptions: Partial<TrackerOptions>;
    let shops: Shop[];
    let cleanups: Array<() => Promise<void>>;

    beforeEach(async () => {
      const collector = await startCollector();
      const logger = createMemoryLogger();
      // Cases assert the lines their requests log, so the start-up line about running without a spool is cleared.
      const trackerFor = (options: Partial<TrackerOptions>) => {
        const tracker = createTracker({
          trackId: TRACK_ID, trackDomain: collector.trackDomain, secure: false, logger, ...storeOptions, ...options,
        });
        logger.lines.length = 0;
        return tracker;
      };
      storeOptions = {};
      shops = [];
      cleanups = [];
      world = {
        driver,
        collector,
        logger,
        tracker: trackerFor({}),
        async startShop(setup = {}) {
          const shop = await driver.start({ ...DEFAULT_SETUP, ...setup, tracker: world.tracker });
          shops.push(shop);
          return shop;
        },
        async replaceTracker(options) {
          await world.tracker.close({ timeoutMs: 1000 });
          world.tracker = trackerFor(options);
        },
      };
    });

    afterEach(async () => {
      await Promise.all(shops.map((shop) => shop.close()));
      await world.tracker.close({ timeoutMs: 1000 });
      await world.collector.close();
      for (const cleanup of cleanups) {
        await cleanup();
      }
    });

    async function useStores(kind: StoreKind): Promise<void> {
      const stores = await kind.create();
      cleanups.push(stores.remove);
      storeOptions = stores.options;
      await world.replaceTracker({});
    }

    it(`loads ${driver.name}`, () => {
      expect(Number(driver.installedVersion.split('.')[0])).toBe(driver.expectedMajorVersion);
    });

    const groups = [...new Set(BEHAVIOUR_CASES.map((behaviourCase) => behaviourCase.group))];
    for (const group of groups) {
      describe(group, () => {
        for (const behaviourCase of BEHAVIOUR_CASES.filter((candidate) => candidate.group === group)) {
          if (!behaviourCase.everyStoreKind) {
            it(behaviourCase.name, () => behaviourCase.run(world));
            continue;
          }
          for (const kind of STORE_KINDS) {
            it(`${behaviourCase.name}, ${kind.name}`, async () => {
              await useStores(kind);
              await behaviourCase.run(world);
            });
          }
        }
      });
    }
  });
}
