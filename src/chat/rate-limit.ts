import type { Clock } from './clock.ts';
import { LruCache } from './lru-cache.ts';

const MINUTE = 60_000;

/**
 * Per-person limit over a rolling minute (MP_MAX_PER_MINUTE on 公众号): a person may send at
 * most `maxPerMinute` messages for the bot in any 60 s; the rest are declined. Memory stays flat:
 * at most `capacity` people are remembered, each with at most `maxPerMinute` times.
 */
export class RateLimit {
  readonly #max: number;
  readonly #clock: Clock;
  readonly #times: LruCache<string, number[]>;

  constructor(options: { maxPerMinute: number; clock: Clock; capacity?: number }) {
    if (options.maxPerMinute < 1) throw new RangeError(`RateLimit: maxPerMinute must be ≥ 1, got ${options.maxPerMinute}`);
    this.#max = options.maxPerMinute;
    this.#clock = options.clock;
    this.#times = new LruCache({ capacity: options.capacity ?? 10_000, ttlMs: MINUTE, clock: options.clock });
  }

  /** Counts one message for the person and says whether it is within the limit. */
  take(personId: string): boolean {
    const now = this.#clock.now();
    const recent = (this.#times.get(personId) ?? []).filter((t) => t > now - MINUTE);
    if (recent.length >= this.#max) {
      this.#times.set(personId, recent);
      return false;
    }
    recent.push(now);
    this.#times.set(personId, recent);
    return true;
  }
}
