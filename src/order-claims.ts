import Joi from 'joi';

import type { Logger } from './logger';
import type { ClaimStore } from './stores/types';

/** joi rule for an option that takes an object with the given async methods, such as a store. */
export function objectWithMethods(methods: readonly string[], example: string): Joi.Schema {
  return Joi.any().custom((value: unknown) => {
    const candidate = value as Record<string, unknown> | null;
    if (typeof candidate !== 'object' || candidate === null || methods.some((method) => typeof candidate[method] !== 'function')) {
      throw new Error('missing methods');
    }
    return value;
  }).description(`an object with ${methods.join(' and ')} methods, such as ${example}`);
}

export type ClaimOutcome = 'claimed' | 'duplicate' | 'unchecked';

/** How the tracker claims and releases order IDs: every store failure is logged, never thrown. */
export interface OrderClaims {
  /**
   * Claim an order ID. `unchecked` means the store failed: the order is sent anyway, because a lost order
   * costs more than a rare duplicate.
   */
  claim(orderId: string): Promise<ClaimOutcome>;
  /** Release a claim so a later trigger can send the order; the reason goes into the log line. */
  release(orderId: string, reason: string): Promise<void>;
}

export function createOrderClaims(store: ClaimStore, ttlMs: number, logger: Logger): OrderClaims {
  return {
    async claim(orderId) {
      try {
        return (await store.claim(orderId, ttlMs)) ? 'claimed' : 'duplicate';
      } catch (error) {
        logger.error({ err: error, orderId },
          'claim store failed, so the order is sent without the duplicate check; check the claim store');
        return 'unchecked';
      }
    },

    async release(orderId, reason) {
      try {
        await store.release(orderId);
        logger.info({ orderId }, `order claim released (${reason}); a later trigger for this order sends it again`);
      } catch (error) {
        logger.error({ err: error, orderId },
          `releasing the order claim failed (${reason}); the order counts as tracked until its claim expires`);
      }
    },
  };
}
