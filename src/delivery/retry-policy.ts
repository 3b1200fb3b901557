import type { TransportResult } from './transport';

/** Fate of the hits of one request after the track server's response. */
export type Outcome = 'delivered' | 'retry' | 'reject';

export interface PolicyRow {
  /** Responses this row covers, as written in the README and the tests. */
  readonly response: string;
  readonly matches: (result: TransportResult) => boolean;
  readonly outcome: Outcome;
  /** Whether a `Retry-After` header sets the wait before the next attempt (capped at `retry.maxDelayMs`). */
  readonly honoursRetryAfter: boolean;
  readonly reason: string;
}

const statusIn = (low: number, high: number) => (result: TransportResult): boolean =>
  result.status !== undefined && result.status >= low && result.status <= high;

/**
 * The retry policy. Rows are checked from top to bottom and the first match decides. A retry waits for an
 * exponential backoff with random jitter between `retry.minDelayMs` and `retry.maxDelayMs`, or for
 * `Retry-After` where the row honours it. A hit that still fails `retry.maxAgeMs` after it was queued
 * becomes a dead letter. When a batch of several lines is rejected, each line is sent again alone first,
 * because one bad line may fail the whole batch. Only a hit rejected alone becomes a dead letter.
 */
export const RETRY_POLICY: readonly PolicyRow[] = [
  {
    response: '2xx',
    matches: statusIn(200, 299),
    outcome: 'delivered',
    honoursRetryAfter: false,
    reason: 'Mapp acknowledged the request.',
  },
  {
    response: 'no HTTP answer (connection refused or reset, DNS failure, timeout)',
    matches: (result) => result.status === undefined,
    outcome: 'retry',
    honoursRetryAfter: false,
    reason: 'The track server or the network is down for now, and the hit itself is fine.',
  },
  {
    response: '408 Request Timeout',
    matches: statusIn(408, 408),
    outcome: 'retry',
    honoursRetryAfter: false,
    reason: 'The server gave up waiting for the request body, which says nothing against the hit.',
  },
  {
    response: '429 Too Many Requests',
    matches: statusIn(429, 429),
    outcome: 'retry',
    honoursRetryAfter: true,
    reason: 'Rate limited: wait as long as the server asks, so retries do not prolong the overload.',
  },
  {
    response: '5xx',
    matches: statusIn(500, 599),
    outcome: 'retry',
    honoursRetryAfter: true,
    reason: 'Server error or maintenance; a 503 may say in Retry-After when to come back.',
  },
  {
    response: '3xx',
    matches: statusIn(300, 399),
    outcome: 'reject',
    honoursRetryAfter: false,
    reason: 'A redirect is not an acknowledgement, and the same request would be redirected again.',
  },
  {
    response: 'other 4xx',
    matches: statusIn(400, 499),
    outcome: 'reject',
    honoursRetryAfter: false,
    reason: 'The server rejected the request itself, so sending the same line again cannot succeed.',
  },
  {
    response: 'any other status',
    matches: () => true,
    outcome: 'reject',
    honoursRetryAfter: false,
    reason: 'HTTP defines no meaning for it, so it is not taken as an acknowledgement.',
  },
];

/** Find the row of the retry policy that decides what happens after this response. */
export function classifyResult(result: TransportResult): PolicyRow {
  // The last row matches everything, so find() always returns a row.
  return RETRY_POLICY.find((row) => row.matches(result)) as PolicyRow;
}
