import type { Clock } from './clock.ts';
import { LruCache } from './lru-cache.ts';

/**
 * What a pause limits. Questions and staff commands have a pause each, so 状态 right after an
 * answer is still served (原文 N and 帮助 have none: see COOLDOWN_FREE_COMMANDS); declines (a
 * cooldown notice, 稍后再问, a blocked question …) have their own, so a person is told no at most
 * once per pause.
 */
export type CooldownTrack = 'question' | 'command' | 'decline';

/**
 * Per-person pause (BOT_COOLDOWN_MS): within one pause a person gets at most one answer, one
 * staff command reply and one decline; anything more goes unanswered, so a flood from one person
 * cannot make the bot flood the room back.
 */
export class Cooldown {
  readonly #ms: number;
  readonly #clock: Clock;
  /** `${track}:${personId}` → start of the pause. */
  readonly #started: LruCache<string, number>;

  constructor(options: { ms: number; clock: Clock; capacity?: number }) {
    this.#ms = options.ms;
    this.#clock = options.clock;
    // Three tracks a person; expiry is checked exactly in ready(), the TTL only bounds memory.
    this.#started = new LruCache({ capacity: (options.capacity ?? 10_000) * 3, ttlMs: options.ms, clock: options.clock });
  }

  /** Whether the person is out of their pause on this track. */
  ready(personId: string, track: CooldownTrack): boolean {
    if (this.#ms <= 0) return true;
    const at = this.#started.get(`${track}:${personId}`);
    return at === undefined || this.#clock.now() - at >= this.#ms;
  }

  /** Starts the person's pause on this track: call when a message of that kind was taken. */
  record(personId: string, track: CooldownTrack): void {
    if (this.#ms > 0) this.#started.set(`${track}:${personId}`, this.#clock.now());
  }
}
