import { createTracker, type Tracker } from '../src';
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
