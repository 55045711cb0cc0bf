/**
 * Which modules does getting an embedder from config load? Run as a child process:
 *   argv: loadsFile provider [baseURL]
 * Registers record-loads-hook.mjs, then imports ingest, the knowledge base and create-embedder and
 * calls embedderFromConfig for `provider`. Every module loaded meanwhile is listed in loadsFile;
 * stdout is `{"id": <embedder id or null>}`.
 */
import { register } from 'node:module';
import os from 'node:os';

const [loadsFile, provider, baseURL] = process.argv.slice(2) as [string, string, string | undefined];
register(new URL('./record-loads-hook.mjs', import.meta.url), { data: { file: loadsFile } });

const { loadConfig } = await import('../../src/config.ts');
const { silentLogger } = await import('../../src/log.ts');
await import('../../src/index/ingest.ts');
await import('../../src/knowledge-base.ts');
const { embedderFromConfig } = await import('../../src/embed/create-embedder.ts');
const config = loadConfig({
  env: { EMBEDDING_PROVIDER: provider, ...(baseURL ? { EMBEDDING_BASE_URL: baseURL } : {}) },
  dotenvDir: false,
  cwd: os.tmpdir(),
});
const embedder = await embedderFromConfig(config, silentLogger);
process.stdout.write(JSON.stringify({ id: embedder?.id ?? null }) + '\n');
