import type { Clock } from './clock.ts';

export interface PacerOptions {
  /** Least time between the starts of two messages to one conversation (BOT_ROOM_INTERVAL_MS). */
  roomIntervalMs: number;
  /** Most messages started in any 60 s across all conversations (BOT_MAX_PER_MINUTE). */
  maxPerMinute: number;
  /** Random extra delay of 0..jitterMs before each message (BOT_JITTER_MS). */
  jitterMs: number;
  clock: Clock;
  /** Uniform in [0, 1); injectable so tests are exact. Default Math.random. */
  random?: () => number;
}

const MINUTE = 60_000;

/**
 * Spaces out outgoing messages so the account looks human and stays within WeChat's tolerance.
 * Messages to one conversation go in order; a batch (the parts of one answer) is never
 * interleaved with another.
 */
export class Pacer {
  readonly #o: Required<PacerOptions>;
  readonly #chains = new Map<string, Promise<void>>();
  readonly #lastStart = new Map<string, number>();
  /** Start times of messages in the last minute, oldest first. */
  readonly #window: number[] = [];

  constructor(options: PacerOptions) {
    this.#o = { random: Math.random, ...options };
  }

  /** Conversations with messages waiting or being sent. */
  get busy(): number {
    return this.#chains.size;
  }

  /**
   * Runs each send in turn, each when pacing allows. Resolves when all ran; rejects with the first
   * failure (later sends of the batch are skipped; other batches are unaffected).
   */
  send(key: string, sends: Array<() => Promise<void>>): Promise<void> {
    const previous = this.#chains.get(key) ?? Promise.resolve();
    const run = previous.then(async () => {
      for (const send of sends) {
        await this.#waitTurn(key);
        await send();
      }
    });
    const tail = run.catch(() => {});
    this.#chains.set(key, tail);
    void tail.then(() => {
      if (this.#chains.get(key) === tail) this.#chains.delete(key);
    });
    return run;
  }

  /** Resolves when nothing is waiting to be sent. */
  async idle(): Promise<void> {
    while (this.#chains.size > 0) await Promise.all(this.#chains.values());
  }

  async #waitTurn(key: string): Promise<void> {
    const { clock, jitterMs, roomIntervalMs, maxPerMinute } = this.#o;
    const jitter = Math.floor(this.#o.random() * (jitterMs + 1));
    if (jitter > 0) await clock.sleep(jitter);
    for (;;) {
      const now = clock.now();
      while (this.#window.length > 0 && this.#window[0]! <= now - MINUTE) this.#window.shift();
      const last = this.#lastStart.get(key);
      const roomAt = last === undefined ? now : last + roomIntervalMs;
      const globalAt = this.#window.length < maxPerMinute ? now : this.#window[0]! + MINUTE;
      const at = Math.max(roomAt, globalAt);
      if (at <= now) break;
      await clock.sleep(at - now);
    }
    // No await between the check above and this reservation, so concurrent rooms cannot overbook.
    const now = clock.now();
    this.#window.push(now);
    this.#lastStart.set(key, now);
    this.#forgetIdle(now);
  }

  /** Keeps the per-conversation map small: entries past their interval no longer matter. */
  #forgetIdle(now: number): void {
    if (this.#lastStart.size < 1000) return;
    for (const [k, t] of this.#lastStart) {
      if (t + this.#o.roomIntervalMs <= now) this.#lastStart.delete(k);
    }
  }
}
