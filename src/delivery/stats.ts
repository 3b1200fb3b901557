/** A snapshot of delivery, from `tracker.stats()`. Counters start at 0 when the tracker is created. */
export interface DeliveryStats {
  /** Hits waiting in memory for a request. */
  queued: number;
  /** Hits in the request on the wire right now. */
  inFlight: number;
  /** Hits waiting in the spool directory outside memory, as counted at the last look at the directory. */
  onDisk: number;
  /** Hits acknowledged with a 2xx status. */
  sent: number;
  /** Hits put back after a failed request, counted once per failed request. */
  retried: number;
  /** Hits that became dead letters. */
  rejected: number;
  /**
   * Hits lost: refused because memory was full, not written to the spool, left in memory at close, discarded
   * beyond the dead letter limit, or unreadable in the spool.
   */
  dropped: number;
  /** Milliseconds since the oldest hit still waiting (in memory, in flight or on disk) was accepted; 0 when none. */
  oldestPendingAgeMs: number;
}

/** The counters of DeliveryStats that only ever grow. */
export interface DeliveryCounters {
  sent: number;
  retried: number;
  rejected: number;
  dropped: number;
}

export function createCounters(): DeliveryCounters {
  return { sent: 0, retried: 0, rejected: 0, dropped: 0 };
}
