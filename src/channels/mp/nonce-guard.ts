import { createHash } from 'node:crypto';
import type { Clock } from '../../chat/clock.ts';
import { LruCache } from '../../chat/lru-cache.ts';

/**
 * Refuses a signed URL used for a second, different body. In plaintext mode the signature covers
 * only token, timestamp and nonce, so without this a captured URL could carry any message for
 * the whole timestamp window. The same body again is WeChat's retry of one push (its retries
 * repeat the request) and is let through: the MsgId dedupe then answers it from the first reply.
 */
export class NonceGuard {
  readonly #seen: LruCache<string, string>;

  /** `windowMs`: the timestamp window; a nonce is remembered for as long as its URL is accepted. */
  constructor(options: { windowMs: number; clock: Clock; capacity?: number }) {
    this.#seen = new LruCache({ capacity: options.capacity ?? 50_000, ttlMs: 2 * options.windowMs, clock: options.clock });
  }

  /** Records the URL's nonce with this body; false when it came before with another body. */
  admit(timestamp: string, nonce: string, body: Buffer): boolean {
    const key = `${timestamp}\n${nonce}`;
    const digest = createHash('sha256').update(body).digest('hex');
    const before = this.#seen.get(key);
    if (before !== undefined) return before === digest;
    this.#seen.set(key, digest);
    return true;
  }
}
