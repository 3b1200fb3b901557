/** Bounds of the retry timing, in milliseconds. */
export interface RetrySettings {
  /** Minimum wait before a retry. */
  readonly minDelayMs: number;
  /** Maximum wait before a retry, also the cap on a `Retry-After` header. */
  readonly maxDelayMs: number;
  /** Time after queueing from which a failed hit becomes a dead letter instead of being retried. */
  readonly maxAgeMs: number;
}

/**
 * Compute the wait before retry number `failures` (1 after the first failed request). The ceiling doubles
 * with each failure, from 2 × minDelayMs up to maxDelayMs, and the wait is drawn uniformly from the upper
 * half below the ceiling. The jitter keeps processes that failed together from retrying together.
 */
export function backoffDelayMs(failures: number, settings: RetrySettings, random: () => number = Math.random): number {
  const { minDelayMs, maxDelayMs } = settings;
  const exponent = Math.min(Math.max(failures, 1), 40);
  const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** exponent);
  const delay = ceiling / 2 + random() * (ceiling / 2);
  return Math.round(Math.min(maxDelayMs, Math.max(minDelayMs, delay)));
}

/**
 * Compute the wait before the next attempt. That is the `Retry-After` time when the server sent one and the
 * policy honours it, kept between minDelayMs and maxDelayMs so that neither `0` nor a day-long value takes
 * over. Otherwise it is the backoff.
 */
export function retryDelayMs(
  failures: number,
  retryAfterMs: number | undefined,
  settings: RetrySettings,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) {
    return Math.min(settings.maxDelayMs, Math.max(settings.minDelayMs, retryAfterMs));
  }
  return backoffDelayMs(failures, settings, random);
}
