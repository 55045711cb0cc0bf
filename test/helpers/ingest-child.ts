/**
 * Runs one ingest in a child process, so tests can kill it at any moment or trace its system calls.
 * argv: corpusDir indexDir [modelDir]; with modelDir the tiny model embeds passages (dense index),
 * without it the index is lexical only. The report is the last stdout line.
 */
import { loadConfig } from '../../src/config.ts';
import { TransformersEmbedder } from '../../src/embed/transformers-embedder.ts';
import { ingest } from '../../src/index/ingest.ts';

const [corpusDir, indexDir, modelDir] = process.argv.slice(2) as [string, string, string | undefined];
const config = loadConfig({ env: { EMBEDDING_PROVIDER: 'none' }, dotenvDir: false });
const embedder = modelDir ? new TransformersEmbedder({ model: modelDir, dtype: 'q8', pooling: 'cls', allowRemote: false }) : null;
const report = await ingest({ corpusDir, indexDir, config, embedder });
process.stdout.write(JSON.stringify(report) + '\n');
