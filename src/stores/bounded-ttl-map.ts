interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A Map with a maximum number of entries and an expiry time per entry. When it is full, the entry set
 * longest ago is evicted first, which with one TTL per map is also the one that expires first.
 */
export class BoundedTtlMap<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** Return the value of a key, or undefined when it is absent or expired. */
  get(key: string, now: number = Date.now()): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) {
      return undefined;
    }
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, ttlMs: number, now: number = Date.now()): void {
    // Deleting first moves the key to the end of the insertion order, so the oldest entries stay in front.
    this.entries.delete(key);
    this.dropExpiredFront(now);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) {
        break;
      }
      this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expiresAt: now + ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  // Expired entries further back are dropped when they are read or reach the front.
  private dropExpiredFront(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) {
        return;
      }
      this.entries.delete(key);
    }
  }
}
