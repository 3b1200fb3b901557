import { createTracker, InvalidOptionError, type Tracker } from '../src';
import { startCollector, type Collector } from '../src/testing';
import { SAMPLE_ORDER } from './helpers/sample-order';
import { createMemoryLogger } from './helpers/memory-logger';
import { waitUntil } from './helpers/wait-until';

const TRACK_ID = '111111111111111';

let collector: Collector;
let tracker: Tracker;

beforeEach(async () => {
  collector = await startCollector();
  tracker = createTracker({ trackId: TRACK_ID, trackDomain: collector.trackDomain, secure: false, logger: createMemoryLogger() });
});

afterEach(async () => {
  await tracker.close({ timeoutMs: 1000 });
  await collector.close();
});

/** Queues one order and resolves once its request is sent, while the collector delays the response. */
async function trackWithResponsePending(): Promise<void> {
  collector.respondWith({ delayMs: 300 });
  await tracker.trackOrder(SAMPLE_ORDER);
  await waitUntil(() => collector.requests.length === 1);
}

describe('tracker with a request in flight', () => {
  test('flush waits for the response', async () => {
    await trackWithResponsePending();

    await tracker.flush();

    expect(collector.hits).toHaveLength(1);
  });

  test('close waits for the response', async () => {
    await trackWithResponsePending();

    await tracker.close();

    expect(collector.hits).toHaveLength(1);
  });
});

describe('tracker close with a retry pending', () => {
  test('close retries a hit waiting for Retry-After', async () => {
    collector.respondWith({ status: 503, retryAfter: '30', times: 1 });
    const dropped: string[] = [];
    tracker.on('dropped', (event) => dropped.push(`${event.orderId} ${event.reason}`));
    const retried = new Promise((resolve) => tracker.once('retry', resolve));
    await tracker.trackOrder(SAMPLE_ORDER);
    await retried;

    await tracker.close({ timeoutMs: 3000 });

    expect(collector.hits.map((hit) => hit.order?.id)).toEqual([SAMPLE_ORDER.id]);
    expect(dropped).toEqual([]);
  });
});

describe('tracker close options', () => {
  test.each([Infinity, 3e9, 2_147_483_648, NaN, -5, 1.5, '5000', null])('close rejects timeoutMs %p', async (timeoutMs) => {
    const closing = tracker.close({ timeoutMs: timeoutMs as number });

    await expect(closing).rejects.toThrow(InvalidOptionError);
    await expect(closing).rejects.toMatchObject({ option: 'timeoutMs' });
  });

  test('close names the allowed range', async () => {
    await expect(tracker.close({ timeoutMs: 3e9 })).rejects.toThrow(
      'mapp-s2s: tracker.close() option "timeoutMs" is invalid: received 3000000000. '
      + 'Expected a whole number of milliseconds from 0 to 2147483647.',
    );
  });

  test('close takes undefined timeoutMs as default', async () => {
    await trackWithResponsePending();

    await tracker.close({ timeoutMs: undefined });

    expect(collector.hits).toHaveLength(1);
  });

  test('close accepts 0 and the largest timer', async () => {
    await expect(tracker.close({ timeoutMs: 2_147_483_647 })).resolves.toBeUndefined();
    await expect(tracker.close({ timeoutMs: 0 })).resolves.toBeUndefined();
  });
});
