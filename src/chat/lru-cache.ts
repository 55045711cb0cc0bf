import type { Clock } from './clock.ts';

export interface LruCacheOptions {
  /** Most entries kept; the least recently used goes first. */
  capacity: number;
  /** Entries older than this (from their last `set`) read as absent. */
  ttlMs: number;
  clock: Clock;
}

/**
 * A bounded map with expiry, so per-person and per-message state stays flat however many
 * people write to the bot. A Map keeps insertion order, which doubles as recency order.
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, { value: V; at: number }>();
  readonly #options: LruCacheOptions;

  constructor(options: LruCacheOptions) {
    if (options.capacity < 1) throw new RangeError(`LruCache: capacity must be ≥ 1, got ${options.capacity}`);
    this.#options = options;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (this.#options.clock.now() - entry.at > this.#options.ttlMs) {
      this.#entries.delete(key);
      return undefined;
    }
    // Re-insert to mark as most recently used; the set time (expiry) is unchanged.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, at: this.#options.clock.now() });
    while (this.#entries.size > this.#options.capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }
}
