/**
 * Downloads the configured embedding model into MODELS_DIR (default `models/`) through
 * transformers.js itself, so the files land exactly where the bot looks for them:
 * `models/<id>/config.json`, `tokenizer.json`, `tokenizer_config.json`, `onnx/model_<dtype>.onnx`.
 *
 *   npm run model:download [-- --model Xenova/bge-small-zh-v1.5] [--dtype q8]
 *
 * Honours HF_ENDPOINT (e.g. https://hf-mirror.com). Then copy `models/` to the intranet host.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { describeError, TongxinError } from '../src/errors.ts';
import { configLogger } from '../src/channels/config-logger.ts';
import { isCompleteModelFolder, TransformersEmbedder, type EmbeddingDtype } from '../src/embed/transformers-embedder.ts';

const DTYPES: readonly EmbeddingDtype[] = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'q4f16'];

function fail(message: string): never {
  process.stderr.write(`model:download: ${message}\n`);
  process.exit(1);
}

function folderBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => {
    const p = path.join(dir, e.name);
    return sum + (e.isDirectory() ? folderBytes(p) : statSync(p).size);
  }, 0);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    // `npx tsx scripts/model-download.ts -- --model X` passes the `--` through; npm run does not.
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: { model: { type: 'string' }, dtype: { type: 'string' } },
  });
  const config = loadConfig();
  const e = config.embedding;
  const model = values.model ?? e.model;
  const dtype = (values.dtype ?? e.dtype) as EmbeddingDtype;
  if (!DTYPES.includes(dtype)) fail(`--dtype ${dtype} must be one of ${DTYPES.join(', ')}`);
  if (path.isAbsolute(model) || model.startsWith('.')) {
    fail(`EMBEDDING_MODEL=${model} is a folder, not a hub id: nothing to download`);
  }

  const target = path.join(config.modelsDir, model);
  if (isCompleteModelFolder(target, dtype)) {
    process.stderr.write(`${model} (${dtype}) is already in ${target}\n`);
  } else {
    const source = e.hfEndpoint ?? 'https://huggingface.co';
    process.stderr.write(`downloading ${model} (${dtype}) from ${source} into ${config.modelsDir}\n`);
    const lastShown = new Map<string, number>();
    const embedder = new TransformersEmbedder({
      model,
      dtype,
      pooling: e.pooling,
      cacheDir: config.modelsDir,
      allowRemote: true, // the point of this command, whatever ALLOW_REMOTE_MODELS says
      hfEndpoint: e.hfEndpoint,
      logger: configLogger(config),
      onLoadProgress: ({ file, loaded, total }) => {
        // One line per file per 10%, so logs of a slow link stay readable.
        const step = total > 0 ? Math.floor((loaded / total) * 10) : 0;
        if (lastShown.get(file) === step) return;
        lastShown.set(file, step);
        process.stderr.write(`  ${file}: ${total > 0 ? `${step * 10}% of ${mb(total)}` : mb(loaded)}\n`);
      },
    });
    try {
      // Loading the pipeline fetches config, tokenizer and the dtype's ONNX file into the cache.
      const dimension = await embedder.dimension();
      process.stderr.write(`loaded: ${dimension}-dimensional vectors\n`);
    } catch (err) {
      // The embedder's message already names the remedies (HF_ENDPOINT, copying models/).
      fail(err instanceof TongxinError ? err.message : `unexpected failure: ${describeError(err)}`);
    } finally {
      await embedder.close();
    }
    if (!isCompleteModelFolder(target, dtype)) {
      fail(`the download finished but ${target} is incomplete; run the command again`);
    }
  }

  process.stderr.write(
    [
      `Model ready: ${target} (${mb(folderBytes(target))})`,
      '',
      'To use it on a machine without internet access (intranet):',
      `  1. copy the folder ${config.modelsDir} to the project folder there (or anywhere, then set MODELS_DIR)`,
      `  2. in .env there: EMBEDDING_MODEL=${model}  EMBEDDING_DTYPE=${dtype}  ALLOW_REMOTE_MODELS=off`,
      '  3. npm run ingest',
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => fail(describeError(err)));
