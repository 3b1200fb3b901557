import type { PendingHit } from './types';

export interface BatchLimits {
  /** Maximum number of hits in one request. */
  readonly maxBatchSize: number;
  /** Maximum size of one batch body in bytes, line breaks included. A single longer hit is still sent, alone. */
  readonly maxBatchBytes: number;
}

/**
 * Remove the next batch from the front of `waiting` and return it, oldest first. A hit marked `sendAlone`
 * is always a batch of its own, and a batch stops before one.
 */
export function takeBatch(waiting: PendingHit[], limits: BatchLimits): PendingHit[] {
  if (waiting.length === 0) {
    return [];
  }
  if (waiting[0].sendAlone) {
    return waiting.splice(0, 1);
  }

  let count = 0;
  let bytes = 0;
  while (count < waiting.length && count < limits.maxBatchSize && !waiting[count].sendAlone) {
    // Each line after the first adds its `\n` separator.
    const size = Buffer.byteLength(waiting[count].line) + (count > 0 ? 1 : 0);
    if (count > 0 && bytes + size > limits.maxBatchBytes) {
      break;
    }
    bytes += size;
    count += 1;
  }
  return waiting.splice(0, count);
}
