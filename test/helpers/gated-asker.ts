import type { Answer, AskOptions, Asker } from '../../src/answer/types.ts';

/** The Asker port over a real one, holding every question until `open()` (questions in flight). */
export class GatedAsker implements Asker {
  #open!: () => void;
  readonly #opened = new Promise<void>((r) => (this.#open = r));
  constructor(private readonly inner: Asker) {}
  open(): void {
    this.#open();
  }
  async ask(q: string, o?: AskOptions): Promise<Answer> {
    await this.#opened;
    return this.inner.ask(q, o);
  }
  stats = () => this.inner.stats();
  reload = () => this.inner.reload();
}
