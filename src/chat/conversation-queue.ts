/**
 * At most one question in flight per conversation, and a bounded number waiting behind it, so a
 * busy room cannot pile up unbounded work (BOT_QUEUE_SIZE).
 */
export class ConversationQueue {
  readonly #maxWaiting: number;
  readonly #onError: (err: unknown) => void;
  readonly #lanes = new Map<string, { waiting: Array<() => Promise<void>>; done: Promise<void> }>();

  constructor(options: { maxWaiting: number; onError: (err: unknown) => void }) {
    this.#maxWaiting = options.maxWaiting;
    this.#onError = options.onError;
  }

  /** Tasks waiting or running, across all conversations. */
  get size(): number {
    let n = 0;
    for (const lane of this.#lanes.values()) n += lane.waiting.length;
    return n;
  }

  /** Queues a task; false (and the task not queued) when the conversation's queue is full. */
  push(key: string, task: () => Promise<void>): boolean {
    const lane = this.#lanes.get(key);
    if (lane) {
      // waiting[0] is the task in flight; the rest wait behind it.
      if (lane.waiting.length - 1 >= this.#maxWaiting) return false;
      lane.waiting.push(task);
      return true;
    }
    const fresh = { waiting: [task], done: Promise.resolve() };
    this.#lanes.set(key, fresh);
    fresh.done = this.#drain(key, fresh.waiting);
    return true;
  }

  /** Resolves when every queued task has finished. */
  async idle(): Promise<void> {
    while (this.#lanes.size > 0) await Promise.all([...this.#lanes.values()].map((l) => l.done));
  }

  async #drain(key: string, waiting: Array<() => Promise<void>>): Promise<void> {
    // The first task is the one in flight; it leaves the array only when done, so `size` counts it.
    // Started on the next microtask so push() returns before the task runs.
    await Promise.resolve();
    while (waiting.length > 0) {
      try {
        await waiting[0]!();
      } catch (err) {
        this.#onError(err);
      }
      waiting.shift();
    }
    this.#lanes.delete(key);
  }
}
