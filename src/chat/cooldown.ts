import type { Clock } from './clock.ts';
import { LruCache } from './lru-cache.ts';

export type CooldownVerdict = 'ok' | 'notify' | 'silent';

/**
 * Per-person pause between questions (BOT_COOLDOWN_MS). The first question inside the pause gets
 * one polite reply ('notify'); repeats in the same pause are dropped ('silent'), so a flood from
 * one person cannot make the bot flood the room back.
 */
export class Cooldown {
  readonly #ms: number;
  readonly #clock: Clock;
  readonly #last: LruCache<string, { at: number; notified: boolean }>;

  constructor(options: { ms: number; clock: Clock; capacity?: number }) {
    this.#ms = options.ms;
    this.#clock = options.clock;
    this.#last = new LruCache({ capacity: options.capacity ?? 10_000, ttlMs: options.ms, clock: options.clock });
  }

  check(personId: string): CooldownVerdict {
    if (this.#ms <= 0) return 'ok';
    const entry = this.#last.get(personId);
    if (!entry || this.#clock.now() - entry.at >= this.#ms) return 'ok';
    if (entry.notified) return 'silent';
    entry.notified = true;
    return 'notify';
  }

  /** Starts the pause: call when a question is accepted. */
  record(personId: string): void {
    if (this.#ms > 0) this.#last.set(personId, { at: this.#clock.now(), notified: false });
  }
}
