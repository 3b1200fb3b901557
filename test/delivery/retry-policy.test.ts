import {
  createTracker, RETRY_POLICY, type RejectedEvent, type RetryEvent, type Tracker, type TransportResult,
} from '../../src';
import { classifyResult } from '../../src/delivery/retry-policy';
import { createFakeTransport } from '../helpers/fake-transport';
import { createMemoryLogger } from '../helpers/memory-logger';

const RETRY = { minDelayMs: 1000, maxDelayMs: 8000, maxAgeMs: 60_000 };

interface Setup {
  tracker: Tracker;
  transport: ReturnType<typeof createFakeTransport>;
  logger: ReturnType<typeof createMemoryLogger>;
  retries: RetryEvent[];
  rejections: RejectedEvent[];
}

let current: Setup | undefined;

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(async () => {
  const closing = current?.tracker.close({ timeoutMs: 10 });
  await jest.advanceTimersByTimeAsync(20);
  await closing;
  current = undefined;
  jest.useRealTimers();
});

function setUp(script: TransportResult[], retry = RETRY): Setup {
  const transport = createFakeTransport(script);
  const logger = createMemoryLogger();
  const tracker = createTracker({
    trackId: '111111111111111', trackDomain: 'q3.webtrekk.net', transport, logger, retry,
  });
  const retries: RetryEvent[] = [];
  const rejections: RejectedEvent[] = [];
  tracker.on('retry', (event) => retries.push(event));
  tracker.on('rejected', (event) => rejections.push(event));
  current = { tracker, transport, logger, retries, rejections };
  return current;
}

/**
 * Move the fake clock by `ms`, then 1 ms more: fake timers run a setImmediate queued inside a timer callback
 * 1 ms later, and delivery starts each request from one.
 */
async function advance(ms: number): Promise<void> {
  await jest.advanceTimersByTimeAsync(ms);
  await jest.advanceTimersByTimeAsync(1);
}

/** Queue one order and let the first request go out. */
async function trackOne(setup: Setup, id = 'A-1'): Promise<void> {
  await setup.tracker.trackOrder({ id, value: 10 });
  await jest.advanceTimersByTimeAsync(0);
}

describe('retry policy table', () => {
  it('lists every class of answer once', () => {
    expect(RETRY_POLICY.map((row) => row.response)).toEqual([
      '2xx',
      'no HTTP answer (connection refused or reset, DNS failure, timeout)',
      '408 Request Timeout',
      '429 Too Many Requests',
      '5xx',
      '3xx',
      'other 4xx',
      'any other status',
    ]);
  });

  it.each([
    [200, 'delivered'], [204, 'delivered'], [299, 'delivered'],
    [undefined, 'retry'], [408, 'retry'], [429, 'retry'], [500, 'retry'], [503, 'retry'], [599, 'retry'],
    [301, 'reject'], [302, 'reject'], [304, 'reject'], [400, 'reject'], [401, 'reject'], [404, 'reject'],
    [413, 'reject'], [199, 'reject'], [600, 'reject'],
  ])('classifies status %p as %s', (status, outcome) => {
    expect(classifyResult(status === undefined ? { error: new Error('ECONNREFUSED') } : { status }).outcome).toBe(outcome);
  });
});

describe('delivery by retry policy row', () => {
  it('row 2xx: delivers once', async () => {
    const setup = setUp([{ status: 204 }]);
    await trackOne(setup);
    await jest.advanceTimersByTimeAsync(60_000);

    expect(setup.transport.requests).toHaveLength(1);
    expect(setup.tracker.stats()).toMatchObject({ sent: 1, retried: 0, rejected: 0, queued: 0 });
  });

  it('row no answer: retries after backoff', async () => {
    const setup = setUp([{ error: new Error('connect ECONNREFUSED 127.0.0.1:9') }]);
    await trackOne(setup);

    expect(setup.retries).toHaveLength(1);
    expect(setup.retries[0].error).toBe('connect ECONNREFUSED 127.0.0.1:9');
    await jest.advanceTimersByTimeAsync(setup.retries[0].delayMs - 1);
    expect(setup.transport.requests).toHaveLength(1);
    await advance(1);
    expect(setup.transport.requests).toHaveLength(2);
    expect(setup.tracker.stats().sent).toBe(1);
  });

  it('row timeout: retries like no answer', async () => {
    const timeout = Object.assign(new Error('timeout of 10000ms exceeded'), { code: 'ECONNABORTED' });
    const setup = setUp([{ error: timeout }]);
    await trackOne(setup);
    await jest.advanceTimersByTimeAsync(RETRY.maxDelayMs);

    expect(setup.transport.requests).toHaveLength(2);
    expect(setup.tracker.stats().sent).toBe(1);
  });

  it('row 408: retries', async () => {
    const setup = setUp([{ status: 408 }]);
    await trackOne(setup);
    await jest.advanceTimersByTimeAsync(RETRY.maxDelayMs);

    expect(setup.retries.map((event) => event.status)).toEqual([408]);
    expect(setup.tracker.stats().sent).toBe(1);
  });

  it('row 429: waits for Retry-After', async () => {
    const setup = setUp([{ status: 429, retryAfterMs: 5000 }]);
    await trackOne(setup);

    expect(setup.retries[0].delayMs).toBe(5000);
    await jest.advanceTimersByTimeAsync(4999);
    expect(setup.transport.requests).toHaveLength(1);
    await advance(1);
    expect(setup.transport.requests).toHaveLength(2);
  });

  it('row 429: caps Retry-After at maxDelayMs', async () => {
    const setup = setUp([{ status: 429, retryAfterMs: 3_600_000 }]);
    await trackOne(setup);

    expect(setup.retries[0].delayMs).toBe(RETRY.maxDelayMs);
  });

  it('row 429: raises Retry-After 0 to minDelayMs', async () => {
    const setup = setUp([{ status: 429, retryAfterMs: 0 }]);
    await trackOne(setup);

    expect(setup.retries[0].delayMs).toBe(RETRY.minDelayMs);
  });

  it.each([500, 502, 503, 504])('row 5xx: retries %p', async (status) => {
    const setup = setUp([{ status }]);
    await trackOne(setup);
    await jest.advanceTimersByTimeAsync(RETRY.maxDelayMs);

    expect(setup.retries.map((event) => event.status)).toEqual([status]);
    expect(setup.tracker.stats()).toMatchObject({ sent: 1, retried: 1, rejected: 0 });
  });

  it('row 5xx: honours Retry-After of a 503', async () => {
    const setup = setUp([{ status: 503, retryAfterMs: 7000 }]);
    await trackOne(setup);

    expect(setup.retries[0].delayMs).toBe(7000);
  });

  it.each([301, 302, 304, 307])('row 3xx: rejects %p for good', async (status) => {
    const setup = setUp([{ status }]);
    await trackOne(setup);
    await jest.advanceTimersByTimeAsync(60_000);

    expect(setup.transport.requests).toHaveLength(1);
    expect(setup.rejections).toEqual([{ orderId: 'A-1', hitId: expect.any(String), reason: 'rejected', status, error: undefined }]);
  });

  it.each([400, 401, 403, 404, 413, 414])('row other 4xx: rejects %p for good', async (status) => {
    const setup = setUp([{ status }]);
    await trackOne(setup);
    await jest.advanceTimersByTimeAsync(60_000);

    expect(setup.transport.requests).toHaveLength(1);
    expect(setup.retries).toEqual([]);
    expect(setup.logger.at('error').map((line) => line.fields.orderId)).toEqual(['A-1']);
    expect((await setup.tracker.deadLetters()).map((deadLetter) => deadLetter.status)).toEqual([status]);
  });

  it('row any other status: rejects 600', async () => {
    const setup = setUp([{ status: 600 }]);
    await trackOne(setup);

    expect(setup.rejections.map((event) => event.status)).toEqual([600]);
  });
});

describe('delivery rules around the table', () => {
  it('backs off exponentially within bounds', async () => {
    const failures = Array.from({ length: 8 }, () => ({ status: 503 }));
    const setup = setUp(failures);
    await trackOne(setup);
    await jest.advanceTimersByTimeAsync(8 * RETRY.maxDelayMs);

    const delays = setup.retries.map((event) => event.delayMs);
    expect(delays).toHaveLength(8);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(RETRY.minDelayMs);
    expect(Math.max(...delays)).toBeLessThanOrEqual(RETRY.maxDelayMs);
    expect(delays[0]).toBeLessThanOrEqual(2 * RETRY.minDelayMs);
    expect(delays[4]).toBeGreaterThanOrEqual(RETRY.maxDelayMs / 2);
    expect(setup.retries.map((event) => event.failures)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('sends a rejected batch line by line', async () => {
    const setup = setUp([{ status: 400 }, { status: 200 }, { status: 400 }, { status: 200 }]);
    await Promise.all(['A-1', 'A-2', 'A-3'].map((id) => setup.tracker.trackOrder({ id, value: 1 })));
    await jest.advanceTimersByTimeAsync(0);

    expect(setup.transport.requests.map((lines) => lines.length)).toEqual([3, 1, 1, 1]);
    expect(setup.rejections.map((event) => event.orderId)).toEqual(['A-2']);
    expect(setup.tracker.stats()).toMatchObject({ sent: 2, rejected: 1 });
  });

  it('turns a hit older than maxAgeMs into a dead letter', async () => {
    const failures = Array.from({ length: 20 }, () => ({ status: 503 }));
    const setup = setUp(failures, { minDelayMs: 1000, maxDelayMs: 2000, maxAgeMs: 5000 });
    await trackOne(setup);
    await jest.advanceTimersByTimeAsync(10_000);

    expect(setup.rejections.map((event) => event.reason)).toEqual(['expired']);
    const requestsAtExpiry = setup.transport.requests.length;
    await jest.advanceTimersByTimeAsync(10_000);
    expect(setup.transport.requests).toHaveLength(requestsAtExpiry);
  });

  it('keeps the line through retries', async () => {
    const setup = setUp([{ status: 503 }, { status: 503 }]);
    await trackOne(setup);
    await jest.advanceTimersByTimeAsync(2 * RETRY.maxDelayMs);

    const [first, ...rest] = setup.transport.requests.map((lines) => lines[0]);
    expect(rest).toEqual([first, first]);
  });

  it('sends dead letters again on request', async () => {
    const setup = setUp([{ status: 400 }]);
    await trackOne(setup);

    expect(await setup.tracker.retryDeadLetters()).toBe(1);
    await jest.advanceTimersByTimeAsync(0);
    expect(setup.transport.requests).toHaveLength(2);
    expect(setup.tracker.stats().sent).toBe(1);
    expect(await setup.tracker.deadLetters()).toEqual([]);
  });

  it('lets hits after a delivered request share one', async () => {
    const setup = setUp([]);
    await trackOne(setup, 'A-1');
    for (const id of ['A-2', 'A-3', 'A-4']) {
      await setup.tracker.trackOrder({ id, value: 1 });
      await jest.advanceTimersByTimeAsync(1);
    }
    await jest.advanceTimersByTimeAsync(50);

    expect(setup.transport.requests.map((lines) => lines.length)).toEqual([1, 3]);
  });

  it('sends a hit after a pause at once', async () => {
    const setup = setUp([]);
    await trackOne(setup, 'A-1');
    await jest.advanceTimersByTimeAsync(50);
    await trackOne(setup, 'A-2');

    expect(setup.transport.requests).toHaveLength(2);
  });

  it('flush sends without waiting for a fuller batch', async () => {
    const setup = setUp([]);
    await trackOne(setup, 'A-1');
    await setup.tracker.trackOrder({ id: 'A-2', value: 1 });
    const flushed = setup.tracker.flush();
    await jest.advanceTimersByTimeAsync(0);
    await flushed;

    expect(setup.transport.requests).toHaveLength(2);
  });

  it('flush skips the retry wait', async () => {
    const setup = setUp([{ status: 503 }]);
    await trackOne(setup);

    const flushed = setup.tracker.flush();
    await jest.advanceTimersByTimeAsync(0);
    await flushed;
    expect(setup.transport.requests).toHaveLength(2);
  });

  it('drops hits left in memory at close', async () => {
    const failures = Array.from({ length: 20 }, () => ({ status: 503 }));
    const setup = setUp(failures);
    const dropped: string[] = [];
    setup.tracker.on('dropped', (event) => dropped.push(`${event.orderId} ${event.reason}`));
    await trackOne(setup);

    const closing = setup.tracker.close({ timeoutMs: 3000 });
    await jest.advanceTimersByTimeAsync(3000);
    await closing;
    expect(dropped).toEqual(['A-1 closed']);
    expect(setup.logger.at('error').map((line) => line.fields.orderIds)).toEqual([['A-1']]);
  });

  it('close retries in short waits', async () => {
    const failures = Array.from({ length: 20 }, () => ({ status: 503, retryAfterMs: 30_000 }));
    const setup = setUp(failures);
    await trackOne(setup);

    const closing = setup.tracker.close({ timeoutMs: 3000 });
    await jest.advanceTimersByTimeAsync(3000);
    await closing;
    const waitsDuringClose = setup.retries.slice(1).map((event) => event.delayMs);
    expect(setup.retries[0].delayMs).toBe(RETRY.maxDelayMs);
    expect(setup.transport.requests.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...waitsDuringClose)).toBeLessThanOrEqual(1000);
  });

  it('reports the age of the oldest hit', async () => {
    const setup = setUp([{ status: 503 }]);
    await trackOne(setup);
    await jest.advanceTimersByTimeAsync(500);

    expect(setup.tracker.stats().oldestPendingAgeMs).toBe(500);
  });

  it('logs a throwing listener and goes on', async () => {
    const setup = setUp([]);
    setup.tracker.on('sent', () => {
      throw new Error('metrics down');
    });
    await trackOne(setup);

    expect(setup.tracker.stats().sent).toBe(1);
    expect(setup.logger.at('error').map((line) => line.message)).toEqual([
      'a listener of the tracker\'s "sent" event threw; delivery goes on',
    ]);
  });
});
