import { readdirSync } from 'node:fs';
import path from 'node:path';

import { createTracker, QueueFullError, type Order, type Tracker, type TrackerOptions } from '../../src';
import { startCollector, type Collector } from '../../src/testing';
import { createMemoryLogger } from '../helpers/memory-logger';
import { makeSpoolDir, removeSpoolDirs } from '../helpers/spool-dirs';

const TRACK_ID = '111111111111111';
const FAST_RETRY = { minDelayMs: 20, maxDelayMs: 200 };

let collector: Collector;
let tracker: Tracker | undefined;
let logger: ReturnType<typeof createMemoryLogger>;

beforeEach(async () => {
  collector = await startCollector();
  logger = createMemoryLogger();
});

afterEach(async () => {
  await tracker?.close({ timeoutMs: 1000 });
  tracker = undefined;
  await collector.close();
  removeSpoolDirs();
});

function makeTracker(options: Partial<TrackerOptions> = {}): Tracker {
  tracker = createTracker({
    trackId: TRACK_ID, trackDomain: collector.trackDomain, secure: false, logger, retry: FAST_RETRY, ...options,
  });
  return tracker;
}

function orders(count: number, prefix = 'A'): Order[] {
  return Array.from({ length: count }, (_, index) => ({ id: `${prefix}-${index}`, value: 10 + index }));
}

function idsOf(list: ReadonlyArray<{ id: string | number }>): string[] {
  return list.map((order) => String(order.id)).sort();
}

function deliveredIds(): string[] {
  return collector.hits.map((hit) => hit.order?.id ?? '').sort();
}

/** Let delivery settle, so a duplicate sent late would still be counted. */
async function settle(tracker: Tracker, ms = 300): Promise<void> {
  await tracker.flush();
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Restart the collector on the same port after `downMs`, as a track server coming back from an outage. */
async function bringBack(port: number, downMs: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, downMs));
  collector = await startCollector({ port });
}

describe('delivery through track server failures', () => {
  it('keeps the order time through two 503s', async () => {
    collector.respondWith({ status: 503, times: 2 });
    const acceptedAt = new Map<string, number>();
    makeTracker().on('queued', (event) => acceptedAt.set(event.orderId, event.acceptedAt));
    const sent = orders(3);

    for (const order of sent) {
      await tracker!.trackOrder(order);
    }
    await collector.waitForHits(3, { timeoutMs: 10_000 });
    await settle(tracker!);

    expect(deliveredIds()).toEqual(idsOf(sent));
    expect(collector.requests.filter((request) => request.status === 503)).toHaveLength(2);
    for (const hit of collector.hits) {
      expect(hit.page.clientTimeMs).toBe(acceptedAt.get(hit.order?.id ?? ''));
    }
  });

  it('retries a request that hangs past timeoutMs', async () => {
    collector.respondWith({ delayMs: 3000, times: 1 });
    makeTracker({ timeoutMs: 300 });
    const sent = orders(4);

    await Promise.all(sent.map((order) => tracker!.trackOrder(order)));
    await collector.waitForHits(4, { timeoutMs: 10_000 });
    await settle(tracker!);

    expect(deliveredIds()).toEqual(idsOf(sent));
    expect(tracker!.stats().retried).toBeGreaterThan(0);
  });

  it('retries after connection resets', async () => {
    collector.respondWith({ destroy: true, times: 3 });
    makeTracker();
    const sent = orders(4);

    await Promise.all(sent.map((order) => tracker!.trackOrder(order)));
    await collector.waitForHits(4, { timeoutMs: 10_000 });
    await settle(tracker!);

    expect(deliveredIds()).toEqual(idsOf(sent));
    expect(collector.requests.filter((request) => request.status === undefined)).toHaveLength(3);
  });

  it('spools 1,000 orders through an outage', async () => {
    const maxQueue = 100;
    const port = collector.port;
    makeTracker({ spoolDir: makeSpoolDir(), maxQueue, retry: { minDelayMs: 50, maxDelayMs: 500 } });
    let peakInMemory = 0;
    const sample = (): void => {
      const stats = tracker!.stats();
      peakInMemory = Math.max(peakInMemory, stats.queued + stats.inFlight);
    };
    for (const event of ['queued', 'sent', 'retry'] as const) {
      tracker!.on(event, sample);
    }
    const sampler = setInterval(sample, 5);
    await collector.close();

    const sent = orders(1000);
    try {
      for (let start = 0; start < sent.length; start += 50) {
        await Promise.all(sent.slice(start, start + 50).map((order) => tracker!.trackOrder(order)));
      }
      expect(tracker!.stats().onDisk).toBeGreaterThanOrEqual(1000 - maxQueue);
      await bringBack(port, 2000);
      await collector.waitForHits(1000, { timeoutMs: 30_000 });
      await settle(tracker!);
    } finally {
      clearInterval(sampler);
    }

    expect(deliveredIds()).toEqual(idsOf(sent));
    expect(peakInMemory).toBeGreaterThan(0);
    expect(peakInMemory).toBeLessThanOrEqual(maxQueue);
    expect(tracker!.stats()).toMatchObject({ sent: 1000, queued: 0, inFlight: 0, onDisk: 0 });
  });

  it('keeps a 400 as a dead letter until retried', async () => {
    collector.respondWith({ status: 400 });
    makeTracker();
    const rejected: string[] = [];
    tracker!.on('rejected', (event) => rejected.push(event.orderId));
    const sent = orders(3);

    await Promise.all(sent.map((order) => tracker!.trackOrder(order)));
    await settle(tracker!, 500);

    expect(collector.hits).toHaveLength(0);
    // At most one batch plus one request per hit sent alone: no retry storm.
    expect(collector.requests.length).toBeLessThanOrEqual(sent.length + 1);
    expect(rejected.sort()).toEqual(idsOf(sent));
    const errorLines = logger.at('error');
    expect(errorLines.map((line) => line.fields.orderId).sort()).toEqual(idsOf(sent));
    expect((await tracker!.deadLetters()).map((deadLetter) => deadLetter.orderId).sort()).toEqual(idsOf(sent));

    collector.respondWith({ status: 200 });
    expect(await tracker!.retryDeadLetters()).toBe(3);
    await collector.waitForHits(3);
    await settle(tracker!);

    expect(deliveredIds()).toEqual(idsOf(sent));
    expect(await tracker!.deadLetters()).toEqual([]);
  });

  it('rejects orders beyond maxQueue without a spool', async () => {
    const port = collector.port;
    await collector.close();
    makeTracker({ maxQueue: 5 });
    const dropped: Array<string | undefined> = [];
    tracker!.on('dropped', (event) => dropped.push(event.orderId));
    const sent = orders(7);

    const results = await Promise.allSettled(sent.map((order) => tracker!.trackOrder(order)));

    const failedCalls = results.filter((result) => result.status === 'rejected');
    expect(failedCalls).toHaveLength(2);
    expect((failedCalls[0] as PromiseRejectedResult).reason).toBeInstanceOf(QueueFullError);
    expect(dropped).toEqual(['A-5', 'A-6']);
    expect(tracker!.stats().dropped).toBe(2);

    await bringBack(port, 0);
    await collector.waitForHits(5, { timeoutMs: 10_000 });
    await settle(tracker!);
    expect(deliveredIds()).toEqual(idsOf(sent.slice(0, 5)));
  });

  it('warns once about memory-only delivery', () => {
    makeTracker();
    expect(logger.at('warn').map((line) => line.message)).toEqual([
      'no spoolDir set: order hits wait in memory only and are lost if the process stops before the track server accepts them',
    ]);
  });

  it('removes delivered hits from the spool', async () => {
    const spoolDir = makeSpoolDir();
    makeTracker({ spoolDir });

    await tracker!.trackOrder(orders(1)[0]);
    await collector.waitForHits(1);
    await settle(tracker!, 50);

    expect(readdirSync(path.join(spoolDir, 'claimed'))).toEqual([]);
    expect(readdirSync(path.join(spoolDir, 'pending'))).toEqual([]);
  });

  it('leaves undelivered hits in the spool at close', async () => {
    const spoolDir = makeSpoolDir();
    await collector.close();
    makeTracker({ spoolDir });

    await tracker!.trackOrder(orders(1)[0]);
    await tracker!.close({ timeoutMs: 200 });

    expect(readdirSync(path.join(spoolDir, 'pending'))).toHaveLength(1);
    expect(readdirSync(path.join(spoolDir, 'claimed'))).toEqual([]);
  });
});
