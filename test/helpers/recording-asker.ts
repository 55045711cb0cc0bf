import type { Answer, AskOptions, Asker, ReloadOptions } from '../../src/answer/types.ts';

/** The Asker port over a real one, recording each question and its options (follow-up tests). */
export class RecordingAsker implements Asker {
  readonly calls: Array<[string, AskOptions | undefined]> = [];
  constructor(private readonly inner: Asker) {}
  ask(question: string, options?: AskOptions): Promise<Answer> {
    this.calls.push([question, options]);
    return this.inner.ask(question, options);
  }
  stats = () => this.inner.stats();
  reload = (options?: ReloadOptions) => this.inner.reload(options);
}
