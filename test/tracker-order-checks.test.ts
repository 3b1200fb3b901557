import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FileClaimStore, InvalidOrderError } from '../src';
import { useTrackingEnv } from './helpers/tracking-env';

const env = useTrackingEnv();

async function rejection(promise: Promise<unknown>): Promise<InvalidOrderError> {
  try {
    await promise;
  } catch (error) {
    return error as InvalidOrderError;
  }
  throw new Error('expected trackOrder to reject');
}

describe('trackOrder numeric parameters', () => {
  it('sends them like money', async () => {
    await env.tracker.trackOrder({ id: 'P-1', value: 10, parameters: { 764: 0.1 + 0.2, 563: 1e-7, 765: 1.005 } });
    const [hit] = await env.collector.waitForHits(1);
    expect(hit.order?.parameters).toEqual({ 563: '0', 764: '0.3', 765: '1.01' });
  });

  it('rejects one beyond decimal(12,2)', async () => {
    const error = await rejection(env.tracker.trackOrder({ id: 'P-2', value: 10, parameters: { 764: 1e12 } }));
    expect(error).toBeInstanceOf(InvalidOrderError);
    expect(error.field).toBe('order.parameters.764');
  });
});

describe('trackOrder line totals', () => {
  it('rejects one beyond the limit', async () => {
    const order = { id: 'L-1', value: 1, products: [{ id: 'P', price: 1_234_567.891, quantity: 999_999 }] };
    const error = await rejection(env.tracker.trackOrder(order));
    expect(error).toBeInstanceOf(InvalidOrderError);
    expect(error.field).toBe('order.products[0]');
  });

  it('sends nothing for a rejected order', async () => {
    const order = { id: 'L-2', value: 1, products: [{ id: 'P', price: 9_999_999_999.99, quantity: 1_000_000 }] };
    await rejection(env.tracker.trackOrder(order));
    await env.tracker.trackOrder({ id: 'L-3', value: 1 });
    await env.collector.waitForHits(1);
    expect(env.collector.hits.map((hit) => hit.order?.id)).toEqual(['L-3']);
  });
});

describe('trackOrder lone surrogates', () => {
  let dir: string;
  let claimStore: FileClaimStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mapp-s2s-surrogates-'));
    claimStore = new FileClaimStore({ dir });
    await env.restartTracker({ claimStore });
  });

  afterEach(async () => {
    await claimStore.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('rejects them in order IDs', async () => {
    const error = await rejection(env.tracker.trackOrder({ id: 'A\ud800', value: 1 }));
    expect(error).toBeInstanceOf(InvalidOrderError);
    expect(error.field).toBe('order.id');
  });

  it('claims nothing for them', async () => {
    await rejection(env.tracker.trackOrder({ id: 'A\ud800', value: 1 }));
    await rejection(env.tracker.trackOrder({ id: 'A\udbff', value: 2 }));
    // U+FFFD is what a lone surrogate would have been sent as, so a claim taken above would make this a duplicate.
    await expect(env.tracker.trackOrder({ id: 'A\ufffd', value: 3 })).resolves.toMatchObject({ status: 'queued' });
  });
});
