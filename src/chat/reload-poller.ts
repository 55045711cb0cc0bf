import type { Asker } from '../answer/types.ts';
import type { Logger } from '../log.ts';
import type { Clock } from './clock.ts';

/**
 * Calls `asker.reload()` every BOT_RELOAD_POLL_MS. The core swaps indexes atomically and keeps
 * answering meanwhile; a failed reload is logged and the old index stays in use. The knowledge
 * base looks at an unchanged manifest with one stat and rethrows the failure it remembers, so the
 * same failure poll after poll is logged once: 43,200 identical lines a day helped no one.
 */
export class ReloadPoller {
  readonly #o: { asker: Asker; intervalMs: number; clock: Clock; logger: Logger };
  #abort: AbortController | undefined;
  #loop: Promise<void> | undefined;
  /** The message of the failure last logged, until a reload succeeds or finds nothing new. */
  #failing: string | undefined;

  constructor(options: { asker: Asker; intervalMs: number; clock: Clock; logger: Logger }) {
    this.#o = options;
  }

  get running(): boolean {
    return this.#abort !== undefined;
  }

  start(): void {
    if (this.#abort) return;
    const abort = new AbortController();
    this.#abort = abort;
    this.#loop = this.#run(abort.signal);
  }

  async stop(): Promise<void> {
    this.#abort?.abort();
    this.#abort = undefined;
    await this.#loop;
  }

  /** One check now; true when a new index was swapped in. Never throws. */
  async check(): Promise<boolean> {
    try {
      const swapped = await this.#o.asker.reload();
      this.#failing = undefined;
      if (swapped) {
        const s = this.#o.asker.stats();
        this.#o.logger.info('knowledge base reloaded', { generation: s.generation, documents: s.documents, passages: s.passages });
      }
      return swapped;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (message !== this.#failing) {
        this.#failing = message;
        this.#o.logger.error('knowledge base reload failed; keeping the loaded index', { err });
      }
      return false;
    }
  }

  async #run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.#o.clock.sleep(this.#o.intervalMs, signal);
      } catch {
        return; // aborted: stop() was called
      }
      await this.check();
    }
  }
}
