import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import {
  createTracker, MemoryClaimStore, QueueFullError, type DroppedEvent, type Tracker, type TrackerOptions,
} from '../../src';
import { hitFileName, serializeHit } from '../../src/delivery/spool/hit-file';
import { startCollector, type Collector } from '../../src/testing';
import { createMemoryLogger } from '../helpers/memory-logger';
import { makeSpoolDir, removeSpoolDirs } from '../helpers/spool-dirs';
import { waitUntil } from '../helpers/wait-until';

const TRACK_ID = '111111111111111';

/** A MemoryClaimStore that records the order ID of every release. */
class RecordingClaimStore extends MemoryClaimStore {
  readonly released: string[] = [];

  override async release(orderId: string): Promise<void> {
    this.released.push(orderId);
    await super.release(orderId);
  }
}

let collector: Collector;
let tracker: Tracker | undefined;
let logger: ReturnType<typeof createMemoryLogger>;
let claimStore: RecordingClaimStore;

beforeEach(async () => {
  collector = await startCollector();
  logger = createMemoryLogger();
  claimStore = new RecordingClaimStore();
});

afterEach(async () => {
  await tracker?.close({ timeoutMs: 500 });
  tracker = undefined;
  await collector.close();
  removeSpoolDirs();
});

function makeTracker(options: Partial<TrackerOptions> = {}): Tracker {
  tracker = createTracker({
    trackId: TRACK_ID, trackDomain: collector.trackDomain, secure: false, logger, claimStore, ...options,
  });
  return tracker;
}

function hitsFor(orderId: string): number {
  return collector.hits.filter((hit) => hit.order?.id === orderId).length;
}

/** Queue an order that the collector rejects with 400, and wait until it is a dead letter. */
async function makeDeadLetter(orderId: string): Promise<void> {
  collector.respondWith({ status: 400, times: 1 });
  await tracker!.trackOrder({ id: orderId, value: 5 });
  await tracker!.flush();
}

describe.each([
  ['memory', () => ({})],
  ['spool', () => ({ spoolDir: makeSpoolDir() })],
])('retryDeadLetters with %s store', (_store, storeOptions) => {
  it('discards a dead letter a later trigger sent', async () => {
    makeTracker(storeOptions());
    await makeDeadLetter('D-1');
    expect(await tracker!.trackOrder({ id: 'D-1', value: 5 })).toMatchObject({ status: 'queued' });
    await tracker!.flush();

    const queued = await tracker!.retryDeadLetters();
    await tracker!.flush();

    expect(queued).toBe(0);
    expect(hitsFor('D-1')).toBe(1);
    expect(await tracker!.deadLetters()).toEqual([]);
    expect(logger.at('info').filter((line) => line.message.startsWith('dead letter discarded')).map((line) => line.fields.orderId))
      .toEqual(['D-1']);
  });

  it('claims the order of a dead letter again', async () => {
    makeTracker(storeOptions());
    await makeDeadLetter('D-2');

    const queued = await tracker!.retryDeadLetters();
    await tracker!.flush();

    expect(queued).toBe(1);
    expect(hitsFor('D-2')).toBe(1);
    expect(await tracker!.trackOrder({ id: 'D-2', value: 5 })).toMatchObject({ status: 'duplicate' });
  });

  it('counts only the dead letters it queued', async () => {
    makeTracker(storeOptions());
    for (const orderId of ['D-3', 'D-4', 'D-5']) {
      await makeDeadLetter(orderId);
    }
    await tracker!.trackOrder({ id: 'D-4', value: 5 });
    await tracker!.flush();

    const queued = await tracker!.retryDeadLetters();
    await tracker!.flush();

    expect(queued).toBe(2);
    expect(['D-3', 'D-4', 'D-5'].map(hitsFor)).toEqual([1, 1, 1]);
    expect(logger.at('info').find((line) => line.message.startsWith('dead letters queued again'))?.fields)
      .toEqual({ queued: 2, superseded: 1 });
  });
});

describe('retryDeadLetters spool files', () => {
  it('removes a superseded dead letter from the spool', async () => {
    const spoolDir = makeSpoolDir();
    makeTracker({ spoolDir });
    await makeDeadLetter('D-6');
    await tracker!.trackOrder({ id: 'D-6', value: 5 });
    await tracker!.flush();

    await tracker!.retryDeadLetters();

    for (const folder of ['dead', 'claimed', 'pending']) {
      expect(readdirSync(path.join(spoolDir, folder))).toEqual([]);
    }
  });
});

describe('order claim release', () => {
  it('releases once for a full queue', async () => {
    collector.respondWith({ delayMs: 500, times: 1 });
    makeTracker({ maxQueue: 1 });
    await tracker!.trackOrder({ id: 'Q-1', value: 1 });
    await waitUntil(() => collector.requests.length === 1);

    await expect(tracker!.trackOrder({ id: 'Q-2', value: 1 })).rejects.toThrow(QueueFullError);

    expect(claimStore.released).toEqual(['Q-2']);
  });

  it('releases once for a failed spool write', async () => {
    const spoolDir = makeSpoolDir();
    makeTracker({ spoolDir });
    await tracker!.deadLetters();
    // A file in place of the tmp folder makes every spool write fail, even for root.
    rmSync(path.join(spoolDir, 'tmp'), { recursive: true });
    writeFileSync(path.join(spoolDir, 'tmp'), '');

    try {
      await expect(tracker!.trackOrder({ id: 'W-1', value: 1 })).rejects.toThrow();
    } finally {
      rmSync(path.join(spoolDir, 'tmp'));
      mkdirSync(path.join(spoolDir, 'tmp'));
    }

    expect(claimStore.released).toEqual(['W-1']);
  });

  it('releases a hit dropped at close', async () => {
    collector.respondWith({ status: 503 });
    makeTracker({ retry: { minDelayMs: 10, maxDelayMs: 20 } });
    await tracker!.trackOrder({ id: 'C-1', value: 1 });

    await tracker!.close({ timeoutMs: 100 });

    expect(claimStore.released).toEqual(['C-1']);
  });

  it('keeps a later claim past the dead letter limit', async () => {
    makeTracker({ maxQueue: 1 });
    await makeDeadLetter('L-1');
    await tracker!.trackOrder({ id: 'L-1', value: 5 });
    await tracker!.flush();

    await makeDeadLetter('L-2');

    expect(await tracker!.trackOrder({ id: 'L-1', value: 5 })).toMatchObject({ status: 'duplicate' });
    expect(hitsFor('L-1')).toBe(1);
  });
});

describe('unreadable spool file', () => {
  const pending = {
    id: '00000000-0000-4000-8000-000000000001', orderId: 'X-1', line: 'wt?p=600,x,,,,,1733300000000,0,,&oi=X-1',
    acceptedAt: 1_733_300_000_000, enqueuedAt: 1_733_300_000_000, attempts: 0,
  };

  /** Leave a hit file cut off after its order ID in `pending/`, with the order claimed, as a damaged disk would. */
  async function leaveDamagedHit(spoolDir: string): Promise<void> {
    mkdirSync(path.join(spoolDir, 'pending'), { recursive: true });
    const text = serializeHit(pending);
    writeFileSync(path.join(spoolDir, 'pending', hitFileName(pending)), text.slice(0, text.indexOf('"line"')));
    await claimStore.claim('X-1', 60_000);
  }

  it('reports the hit as dropped', async () => {
    const spoolDir = makeSpoolDir();
    await leaveDamagedHit(spoolDir);
    const dropped: DroppedEvent[] = [];

    makeTracker({ spoolDir }).on('dropped', (event) => dropped.push(event));
    await waitUntil(() => dropped.length > 0);

    expect(dropped).toEqual([{ orderId: 'X-1', hitId: pending.id, reason: 'corrupt' }]);
    expect(tracker!.stats().dropped).toBe(1);
    expect(readdirSync(path.join(spoolDir, 'corrupt'))).toHaveLength(1);
  });

  it('releases the order claim', async () => {
    const spoolDir = makeSpoolDir();
    await leaveDamagedHit(spoolDir);

    makeTracker({ spoolDir });
    await waitUntil(() => claimStore.released.length > 0);

    expect(claimStore.released).toEqual(['X-1']);
  });
});
