/**
 * Runs one ingest in a child process, so tests can kill it at any moment or trace its system calls.
 * argv: corpusDir indexDir [modelDir]; with modelDir the tiny model embeds passages (dense index),
 * without it the index is lexical only.
 *
 * stdout, one JSON object a line: progress `{"phase","done","total","ms"}` at each tenth of a
 * phase, and `{"phase":"write",…}` when the last passage is tokenized and the generation files
 * are about to be written (so a test can kill it mid-write); the report is the last line.
 */
import { loadConfig } from '../../src/config.ts';
import { TransformersEmbedder } from '../../src/embed/transformers-embedder.ts';
import { ingest } from '../../src/index/ingest.ts';

const [corpusDir, indexDir, modelDir] = process.argv.slice(2) as [string, string, string | undefined];
const config = loadConfig({ env: { EMBEDDING_PROVIDER: 'none' }, dotenvDir: false });
const embedder = modelDir ? new TransformersEmbedder({ model: modelDir, dtype: 'q8', pooling: 'cls', allowRemote: false }) : null;
const started = performance.now();
const say = (phase: string, done: number, total: number) =>
  process.stdout.write(JSON.stringify({ phase, done, total, ms: Math.round(performance.now() - started) }) + '\n');
let tenth = '';
const report = await ingest({
  corpusDir,
  indexDir,
  config,
  embedder,
  onProgress(phase, done, total) {
    // ingest reports index i for passage i as it is tokenized, then `total` once the manifest is written.
    if (phase === 'index' && done === total - 1) say('write', done, total);
    const at = `${phase}:${Math.floor((10 * done) / Math.max(total, 1))}`;
    if (at !== tenth) say(phase, done, total);
    tenth = at;
  },
});
process.stdout.write(JSON.stringify(report) + '\n');
