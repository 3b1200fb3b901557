/**
 * The tracker's order claims, as delivery uses them: a hit delivery gives up on releases its order's claim,
 * and a dead letter queued again claims it again.
 */
export interface DeliveryClaims {
  /** Claim the order ID of a dead letter again; resolves false when a later trigger has claimed it meanwhile. */
  reclaim(orderId: string): Promise<boolean>;
  /** Release the claim of an order whose hit is no longer sent, so a later trigger can send it. Never rejects. */
  release(orderId: string, reason: string): Promise<void>;
}

/** Claim releases started without waiting for them, so that a later step can wait until they have finished. */
export class PendingReleases {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly claims: DeliveryClaims) {}

  start(orderId: string, reason: string): void {
    const release = this.claims.release(orderId, reason).finally(() => this.running.delete(release));
    this.running.add(release);
  }

  /** Resolve once every release started so far has finished. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
