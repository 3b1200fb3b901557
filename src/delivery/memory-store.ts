import { reviveHit, type HitStore } from './hit-store';
import type { DeadLetter, PendingHit } from './types';

/**
 * The store without a spool: hits live only in the delivery queue's memory, so this store keeps nothing
 * but the dead letters, at most `maxDeadLetters` of them.
 */
export class MemoryStore implements HitStore {
  readonly durable = false;
  private deadLetters: DeadLetter[] = [];

  constructor(private readonly maxDeadLetters: number) {}

  async open(): Promise<void> {}

  async add(): Promise<void> {}

  async claimWaiting(): Promise<PendingHit[]> {
    return [];
  }

  async acknowledge(): Promise<void> {}

  async release(): Promise<void> {}

  async bury(deadLetter: DeadLetter): Promise<DeadLetter[]> {
    this.deadLetters.push(deadLetter);
    const excess = this.deadLetters.length - this.maxDeadLetters;
    return excess > 0 ? this.deadLetters.splice(0, excess) : [];
  }

  async listDeadLetters(): Promise<DeadLetter[]> {
    return this.deadLetters.map((deadLetter) => ({ ...deadLetter }));
  }

  async takeDeadLetter(deadLetter: DeadLetter): Promise<PendingHit | undefined> {
    const index = this.deadLetters.findIndex((kept) => kept.hitId === deadLetter.hitId);
    if (index < 0) {
      return undefined;
    }
    const [taken] = this.deadLetters.splice(index, 1);
    return reviveHit(taken, Date.now());
  }

  waitingOnDisk(): { count: number; oldestAcceptedAt: number | undefined } {
    return { count: 0, oldestAcceptedAt: undefined };
  }

  async close(): Promise<void> {}
}
