import { InvalidOptionError, MemoryClaimStore, MemoryVisitorStore, type VisitorContext } from '../../src';

const HOUR_MS = 3_600_000;
const CONTEXT: VisitorContext = { eid: '2170000000000000001', ip: '203.0.113.7', userAgent: 'Firefox', capturedAt: 1 };

let now = 1_733_300_000_000;

beforeEach(() => {
  now = 1_733_300_000_000;
  jest.spyOn(Date, 'now').mockImplementation(() => now);
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('MemoryClaimStore', () => {
  it('grants the first claim only', async () => {
    const store = new MemoryClaimStore();
    expect(await store.claim('A-1001', HOUR_MS)).toBe(true);
    expect(await store.claim('A-1001', HOUR_MS)).toBe(false);
  });

  it('grants one of concurrent claims', async () => {
    const store = new MemoryClaimStore();
    const results = await Promise.all(Array.from({ length: 50 }, () => store.claim('A-1001', HOUR_MS)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('grants again after release', async () => {
    const store = new MemoryClaimStore();
    await store.claim('A-1001', HOUR_MS);
    await store.release('A-1001');
    expect(await store.claim('A-1001', HOUR_MS)).toBe(true);
  });

  it('grants again after expiry', async () => {
    const store = new MemoryClaimStore();
    await store.claim('A-1001', HOUR_MS);
    now += HOUR_MS - 1;
    expect(await store.claim('A-1001', HOUR_MS)).toBe(false);
    now += 1;
    expect(await store.claim('A-1001', HOUR_MS)).toBe(true);
  });

  it('evicts the oldest claim when full', async () => {
    const store = new MemoryClaimStore({ maxEntries: 2 });
    for (const orderId of ['A-1', 'A-2', 'A-3']) {
      await store.claim(orderId, HOUR_MS);
    }
    expect(await store.claim('A-1', HOUR_MS)).toBe(true);
    expect(await store.claim('A-3', HOUR_MS)).toBe(false);
  });

  it('evicts expired claims before live ones', async () => {
    const store = new MemoryClaimStore({ maxEntries: 2 });
    await store.claim('A-1', 1000);
    await store.claim('A-2', HOUR_MS);
    now += 1000;
    await store.claim('A-3', HOUR_MS);
    expect(await store.claim('A-2', HOUR_MS)).toBe(false);
  });

  it('rejects a bad maxEntries', () => {
    expect(() => new MemoryClaimStore({ maxEntries: 0 })).toThrow(InvalidOptionError);
    expect(() => new MemoryClaimStore({ maxEntries: 0 })).toThrow('MemoryClaimStore() option "maxEntries" is invalid: received 0');
  });
});

describe('MemoryVisitorStore', () => {
  it('returns what was set', async () => {
    const store = new MemoryVisitorStore();
    await store.set('A-1001', CONTEXT, HOUR_MS);
    expect(await store.get('A-1001')).toEqual(CONTEXT);
  });

  it('returns nothing for an unknown order', async () => {
    expect(await new MemoryVisitorStore().get('A-404')).toBeUndefined();
  });

  it('replaces an earlier context', async () => {
    const store = new MemoryVisitorStore();
    await store.set('A-1001', CONTEXT, HOUR_MS);
    await store.set('A-1001', { optedOut: true, capturedAt: 2 }, HOUR_MS);
    expect(await store.get('A-1001')).toEqual({ optedOut: true, capturedAt: 2 });
  });

  it('forgets a context after its TTL', async () => {
    const store = new MemoryVisitorStore();
    await store.set('A-1001', CONTEXT, HOUR_MS);
    now += HOUR_MS;
    expect(await store.get('A-1001')).toBeUndefined();
  });

  it('keeps at most maxEntries', async () => {
    const store = new MemoryVisitorStore({ maxEntries: 2 });
    for (const orderId of ['A-1', 'A-2', 'A-3']) {
      await store.set(orderId, CONTEXT, HOUR_MS);
    }
    expect(await store.get('A-1')).toBeUndefined();
    expect(await store.get('A-3')).toEqual(CONTEXT);
  });

  it('keeps its copy when the caller changes theirs', async () => {
    const store = new MemoryVisitorStore();
    const context = { ...CONTEXT };
    await store.set('A-1001', context, HOUR_MS);
    context.eid = '2170000000000000009';
    (await store.get('A-1001'))!.ip = '192.0.2.1';
    expect(await store.get('A-1001')).toEqual(CONTEXT);
  });
});
