import type { VisitorContext } from '../protocol/visitor';

/**
 * Claims on order IDs, so each order is tracked once across reloads, webhook retries and processes that
 * share the store. Every method is async, so a store over the network (such as Redis with `SET NX PX` and
 * `DEL`) fits the same interface.
 */
export interface ClaimStore {
  /**
   * Claim an order ID for ttlMs milliseconds, atomically: resolves true for the one caller that got the
   * claim, and false while another claim on the ID is held and not expired.
   */
  claim(orderId: string, ttlMs: number): Promise<boolean>;
  /** Drop the claim on an order ID, so the next claim succeeds. Does nothing when none is held. */
  release(orderId: string): Promise<void>;
}

/**
 * Visitor contexts by order ID: written at checkout, read when a webhook or a cookieless return confirms
 * the order. A later set() for the same order ID replaces the earlier one.
 */
export interface VisitorStore {
  set(orderId: string, context: VisitorContext, ttlMs: number): Promise<void>;
  /** The context stored under the order ID, or undefined when none is stored or it has expired. */
  get(orderId: string): Promise<VisitorContext | undefined>;
}
