import { takeBatch } from '../../src/delivery/batch';
import type { PendingHit } from '../../src/delivery/types';

function hit(orderId: string, lineBytes = 10, sendAlone = false): PendingHit {
  const line = `wt?${'x'.repeat(lineBytes - 3)}`;
  return { id: orderId, orderId, line, acceptedAt: 0, enqueuedAt: 0, attempts: 0, ...(sendAlone ? { sendAlone } : {}) };
}

function ids(hits: PendingHit[]): string[] {
  return hits.map((pending) => pending.orderId);
}

describe('takeBatch', () => {
  it('stops at maxBatchSize', () => {
    const waiting = [hit('a'), hit('b'), hit('c')];
    expect(ids(takeBatch(waiting, { maxBatchSize: 2, maxBatchBytes: 10_000 }))).toEqual(['a', 'b']);
    expect(ids(waiting)).toEqual(['c']);
  });

  it('counts line breaks against maxBatchBytes', () => {
    const waiting = [hit('a'), hit('b'), hit('c')];
    // 10 + 1 + 10 = 21 bytes fit, a third line needs 32.
    expect(ids(takeBatch(waiting, { maxBatchSize: 100, maxBatchBytes: 31 }))).toEqual(['a', 'b']);
  });

  it('sends a line longer than maxBatchBytes alone', () => {
    const waiting = [hit('big', 5000), hit('small')];
    expect(ids(takeBatch(waiting, { maxBatchSize: 100, maxBatchBytes: 1024 }))).toEqual(['big']);
  });

  it('sends a hit marked sendAlone alone', () => {
    const waiting = [hit('alone', 10, true), hit('b')];
    expect(ids(takeBatch(waiting, { maxBatchSize: 100, maxBatchBytes: 10_000 }))).toEqual(['alone']);
  });

  it('stops before a hit marked sendAlone', () => {
    const waiting = [hit('a'), hit('alone', 10, true), hit('c')];
    expect(ids(takeBatch(waiting, { maxBatchSize: 100, maxBatchBytes: 10_000 }))).toEqual(['a']);
  });

  it('returns nothing from an empty queue', () => {
    expect(takeBatch([], { maxBatchSize: 100, maxBatchBytes: 10_000 })).toEqual([]);
  });
});
