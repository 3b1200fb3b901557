import type { Tracker, TrackerOptions } from '../../src';
import type { CollectedHit, Collector } from '../../src/testing';
import type { createMemoryLogger } from '../helpers/memory-logger';
import { waitFor } from '../helpers/wait';
import { SHOP_PATHS, type Shop, type ShopClient, type ShopDriver, type ShopRequest, type ShopResponse, type ShopSetup } from './driver';

export const TRACK_ID = '111111111111111';
export const EID = '2170000000000000001';
export const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0';
export const SHOPPER_IP = '203.0.113.7';
export const PSP_IP = '198.51.100.20';
export const PSP_AGENT = 'PSP-Notifier/1.0';
export const MAPP_COOKIE = `wt3_eid=%3B${TRACK_ID}%7C${EID}%232170000000600000000`;

const QUEUED = 'order queued for Mapp';
const DUPLICATE = 'order already tracked, so this duplicate is not sent';
const STORED = 'captureEid: visitor stored under the order ID';

/** What one case gets: a collector, a tracker sending to it, the tracker's log and the driver's shops. */
export interface World {
  readonly driver: ShopDriver;
  readonly collector: Collector;
  readonly logger: ReturnType<typeof createMemoryLogger>;
  /** The current tracker; replaceTracker swaps it. */
  tracker: Tracker;
  /**
   * Start a shop on the current tracker. By default the confirmation page confirms the order of `?id=`,
   * captureEid stores the visitor under `?order=`, and the cross-site return and the webhook confirm the
   * order whose ID is in the body's `orderId`.
   */
  startShop(setup?: Partial<Omit<ShopSetup, 'tracker'>>): Promise<Shop>;
  /** Close the current tracker and send through a new one with these options, on the same stores. */
  replaceTracker(options: Partial<TrackerOptions>): Promise<void>;
}

export interface BehaviourCase {
  group: string;
  name: string;
  /** Run the case once on the memory stores and once on the file stores, rather than on the default stores only. */
  everyStoreKind?: boolean;
  run(world: World): Promise<void>;
}

/** Read a string field of the request body, as the shop's callbacks do. */
export function bodyField(request: ShopRequest, field: string): string | undefined {
  const value = typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** POST the payment provider's notification for the order, from the provider's IP and user agent, without cookies. */
export function notify(shop: Shop, body: Readonly<Record<string, unknown>>): Promise<ShopResponse> {
  return shop.client().post(SHOP_PATHS.webhook, JSON.stringify(body), 'application/json',
    { 'X-Forwarded-For': PSP_IP, 'User-Agent': PSP_AGENT });
}

/** Count the visitors of this order that captureEid has written to the visitor store so far. */
export function storedCount(world: World, orderId: string): number {
  return world.logger.at('debug').filter((line) => line.message === STORED && line.fields.orderId === orderId).length;
}

/** Resolve once the log shows more than `before` writes of the visitor of this order. */
export async function visitorStored(world: World, orderId: string, before = 0): Promise<void> {
  await waitFor(() => storedCount(world, orderId) > before, `the visitor of ${orderId} to be stored`);
}

/**
 * Load the checkout page of order `orderId` from the shopper's browser, behind one proxy at SHOPPER_IP,
 * and wait until the visitor is stored under the order ID.
 */
export async function checkout(world: World, browser: ShopClient, orderId: string, cookie = MAPP_COOKIE): Promise<void> {
  const before = storedCount(world, orderId);
  const response = await browser.get(`${SHOP_PATHS.checkout}?order=${orderId}`,
    { Cookie: cookie, 'X-Forwarded-For': SHOPPER_IP, 'User-Agent': FIREFOX });
  expect(response).toMatchObject({ status: 200, text: 'checkout' });
  await visitorStored(world, orderId, before);
}

function trackLines(world: World, orderId: string) {
  return world.logger.at('info')
    .filter((line) => (line.message === QUEUED || line.message === DUPLICATE) && line.fields.orderId === orderId);
}

/** List the queued or duplicate decision of every trackOrder call for the order, oldest first. */
export function decisions(world: World, orderId: string): string[] {
  return trackLines(world, orderId).map((line) => (line.message === QUEUED ? 'queued' : 'duplicate'));
}

/** List the visitorSource of every trackOrder call for the order, oldest first. */
export function visitorSources(world: World, orderId: string): unknown[] {
  return trackLines(world, orderId).map((line) => line.fields.visitorSource);
}

/** Wait until `count` triggers were decided, then for the hits, and return every hit of the order. */
export async function hitsAfter(world: World, orderId: string, count: number): Promise<CollectedHit[]> {
  await waitFor(() => decisions(world, orderId).length >= count, `${count} decisions on ${orderId}`);
  await world.collector.waitForHits(1);
  await world.tracker.flush();
  return world.collector.hits.filter((hit) => hit.order?.id === orderId);
}

/** Check that the hit carries the visitor of `checkout`. */
export function expectCheckoutVisitor(hit: CollectedHit): void {
  expect(hit.eid).toBe(EID);
  expect(hit.ip).toBe(SHOPPER_IP);
  expect(hit.userAgent).toBe(FIREFOX);
}
