/** One order hit waiting for delivery. */
export interface PendingHit {
  /** Unique per hit, kept through every retry. */
  id: string;
  orderId: string;
  /** The `wt?p=...` line. */
  line: string;
  /** When the order was accepted, epoch milliseconds. */
  acceptedAt: number;
  attempts: number;
}
