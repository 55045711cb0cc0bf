/**
 * Runs one lexical-only ingest in a child process, so tests can kill it at any moment.
 * argv: corpusDir indexDir
 */
import { loadConfig } from '../../src/config.ts';
import { ingest } from '../../src/index/ingest.ts';

const [corpusDir, indexDir] = process.argv.slice(2) as [string, string];
const config = loadConfig({ env: { EMBEDDING_PROVIDER: 'none' }, dotenvDir: false });
const report = await ingest({ corpusDir, indexDir, config, embedder: null });
process.stdout.write(JSON.stringify(report) + '\n');
