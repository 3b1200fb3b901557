import { backoffDelayMs, retryDelayMs } from '../../src/delivery/backoff';

const SETTINGS = { minDelayMs: 100, maxDelayMs: 1000, maxAgeMs: 60_000 };

describe('backoffDelayMs', () => {
  it.each([
    [1, 0, 100], [1, 1, 200],
    [2, 0, 200], [2, 1, 400],
    [3, 0, 400], [3, 1, 800],
    [4, 0, 500], [4, 1, 1000],
    [50, 1, 1000],
  ])('after %p failures with random %p waits %p ms', (failures, random, expected) => {
    expect(backoffDelayMs(failures, SETTINGS, () => random)).toBe(expected);
  });

  it('jitters between calls', () => {
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelayMs(3, SETTINGS)));
    expect(delays.size).toBeGreaterThan(1);
  });

  it('keeps minDelayMs when maxDelayMs is close', () => {
    expect(backoffDelayMs(5, { minDelayMs: 100, maxDelayMs: 150, maxAgeMs: 1000 }, () => 0)).toBe(100);
  });
});

describe('retryDelayMs', () => {
  it('uses Retry-After within bounds', () => {
    expect(retryDelayMs(1, 700, SETTINGS)).toBe(700);
  });

  it('caps Retry-After at maxDelayMs', () => {
    expect(retryDelayMs(1, 120_000, SETTINGS)).toBe(1000);
  });

  it('raises Retry-After to minDelayMs', () => {
    expect(retryDelayMs(1, 0, SETTINGS)).toBe(100);
  });

  it('backs off without Retry-After', () => {
    expect(retryDelayMs(2, undefined, SETTINGS, () => 0)).toBe(200);
  });
});
