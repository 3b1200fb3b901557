import { MemoryClaimStore, TrackerClosedError, type ClaimStore } from '../src';
import { SAMPLE_ORDER } from './helpers/sample-order';
import { useTrackingEnv } from './helpers/tracking-env';

const EID = '2170000000000000001';

/** Create a MemoryClaimStore whose claims wait until `open()` is called and which records releases. */
function gatedClaimStore(): ClaimStore & { open(): void; released: string[] } {
  const store = new MemoryClaimStore();
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const released: string[] = [];
  return {
    released,
    open,
    async claim(orderId, ttlMs) {
      await gate;
      return store.claim(orderId, ttlMs);
    },
    async release(orderId) {
      released.push(orderId);
      await store.release(orderId);
    },
  };
}

const env = useTrackingEnv();

describe('trackOrder deduplication', () => {
  it('reports a repeated order ID as duplicate', async () => {
    const first = await env.tracker.trackOrder(SAMPLE_ORDER, { eid: EID });
    const second = await env.tracker.trackOrder(SAMPLE_ORDER, { eid: EID });
    expect(first).toEqual({ status: 'queued', orderId: 'A-1001', visitorSource: 'caller' });
    expect(second).toEqual({ status: 'duplicate', orderId: 'A-1001', visitorSource: 'caller' });
  });

  it('sends a repeated order ID once', async () => {
    await env.tracker.trackOrder(SAMPLE_ORDER);
    await env.tracker.trackOrder({ ...SAMPLE_ORDER, value: 1 });
    await env.tracker.flush();
    expect(env.collector.hits.map((hit) => hit.order?.value)).toEqual(['79.7']);
  });

  it('treats a numeric ID like its string', async () => {
    await env.tracker.trackOrder({ ...SAMPLE_ORDER, id: 1001 });
    expect((await env.tracker.trackOrder({ ...SAMPLE_ORDER, id: '1001' })).status).toBe('duplicate');
  });

  it('claims nothing for an invalid order', async () => {
    await expect(env.tracker.trackOrder({ ...SAMPLE_ORDER, value: Number.NaN })).rejects.toThrow('invalid order field order.value');
    expect((await env.tracker.trackOrder(SAMPLE_ORDER)).status).toBe('queued');
  });

  it('releases the claim when close() wins', async () => {
    const claimStore = gatedClaimStore();
    const tracker = await env.restartTracker({ claimStore });

    const pending = tracker.trackOrder(SAMPLE_ORDER);
    const closing = tracker.close();
    claimStore.open();
    await expect(pending).rejects.toThrow(TrackerClosedError);
    await expect(pending).rejects.toThrow('tracker.close() ran while trackOrder() was still running, so nothing was queued');
    await closing;
    expect(claimStore.released).toEqual(['A-1001']);
    expect(await claimStore.claim('A-1001', 1000)).toBe(true);
  });

  it('sends the order when the claim store fails', async () => {
    const tracker = await env.restartTracker({
      claimStore: { claim: async () => { throw new Error('disk full'); }, release: async () => undefined },
    });

    expect((await tracker.trackOrder(SAMPLE_ORDER)).status).toBe('queued');
    await tracker.flush();
    expect(env.collector.hits).toHaveLength(1);
    expect(env.logger.at('error').map((line) => line.message)).toEqual([
      'claim store failed, so the order is sent without the duplicate check; check the claim store',
    ]);
  });

  it('logs a failed release', async () => {
    const tracker = await env.restartTracker({
      claimStore: { claim: async () => true, release: async () => { throw new Error('disk gone'); } },
    });
    env.collector.respondWith({ status: 400 });

    await tracker.trackOrder(SAMPLE_ORDER);
    await tracker.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(env.logger.at('error').map((line) => line.message)).toEqual([
      'the track server rejected the order hit; it is kept as a dead letter that tracker.retryDeadLetters() sends again',
      'releasing the order claim failed (its hit was rejected); the order counts as tracked until its claim expires',
    ]);
  });
});

describe('trackOrder for an opted-out visitor', () => {
  it('sends nc=1 and no visitor fields', async () => {
    await env.tracker.trackOrder(SAMPLE_ORDER, { eid: EID, ip: '203.0.113.7', userAgent: 'Firefox', optedOut: true });
    const [hit] = await env.collector.waitForHits(1);
    expect(hit.params.nc).toBe('1');
    expect(hit.eid).toBeUndefined();
    expect(hit.ip).toBeUndefined();
    expect(hit.userAgent).toBeUndefined();
    expect(hit.order?.id).toBe('A-1001');
  });

  it('stores the opt-out flag only', async () => {
    await env.tracker.saveVisitor('A-1001', { eid: EID, ip: '203.0.113.7', optedOut: true, capturedAt: 5 });
    expect(await env.tracker.findVisitor('A-1001')).toEqual({ optedOut: true, capturedAt: 5 });
  });
});
