import Joi from 'joi';

import { validateOptions } from '../options';
import type { VisitorContext } from '../protocol/visitor';
import { BoundedTtlMap } from './bounded-ttl-map';
import type { ClaimStore, VisitorStore } from './types';

export interface MemoryStoreOptions {
  /**
   * Maximum number of entries kept; when full, the oldest entry is evicted. Defaults: 100000 claims,
   * 10000 visitor contexts.
   */
  maxEntries?: number;
}

const schema = Joi.object({
  maxEntries: Joi.number().integer().min(1).max(10_000_000).description('a whole number from 1 to 10000000'),
});

function resolveMaxEntries(factory: string, options: MemoryStoreOptions, fallback: number): number {
  const parsed = validateOptions<MemoryStoreOptions>(factory, schema, options, `new ${factory}({ maxEntries: ${fallback} })`);
  return parsed.maxEntries ?? fallback;
}

/**
 * Claims in this process's memory: the default. Processes do not share it and a restart loses it, so a
 * shop with several processes needs FileClaimStore or a shared store. An evicted claim lets that order be
 * sent again.
 */
export class MemoryClaimStore implements ClaimStore {
  private readonly claims: BoundedTtlMap<true>;

  constructor(options: MemoryStoreOptions = {}) {
    this.claims = new BoundedTtlMap(resolveMaxEntries('MemoryClaimStore', options, 100_000));
  }

  async claim(orderId: string, ttlMs: number): Promise<boolean> {
    // No await before the check and the write, so no other claim can run between them.
    if (this.claims.get(orderId) !== undefined) {
      return false;
    }
    this.claims.set(orderId, true, ttlMs);
    return true;
  }

  async release(orderId: string): Promise<void> {
    this.claims.delete(orderId);
  }
}

/** Visitor contexts in this process's memory: the default, with the same limits as MemoryClaimStore. */
export class MemoryVisitorStore implements VisitorStore {
  private readonly contexts: BoundedTtlMap<VisitorContext>;

  constructor(options: MemoryStoreOptions = {}) {
    this.contexts = new BoundedTtlMap(resolveMaxEntries('MemoryVisitorStore', options, 10_000));
  }

  async set(orderId: string, context: VisitorContext, ttlMs: number): Promise<void> {
    this.contexts.set(orderId, structuredClone(context), ttlMs);
  }

  async get(orderId: string): Promise<VisitorContext | undefined> {
    const context = this.contexts.get(orderId);
    return context === undefined ? undefined : structuredClone(context);
  }
}
