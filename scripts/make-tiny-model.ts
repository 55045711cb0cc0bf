/**
 * Writes the tiny BERT-compatible test model (see scripts/lib/tiny-model/make-tiny-model.ts).
 *   npx tsx scripts/make-tiny-model.ts [DIR] [--hidden 32] [--seed N]
 * DIR defaults to test/.tmp/tiny-bert, the folder the tests cache it in. Point EMBEDDING_MODEL
 * at the folder to run the whole pipeline offline with it.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { makeTinyModel } from './lib/tiny-model/make-tiny-model.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { hidden: { type: 'string' }, seed: { type: 'string' } },
});
const dir = path.resolve(positionals[0] ?? 'test/.tmp/tiny-bert');
const int = (name: string, v: string | undefined) => {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) {
    process.stderr.write(`--${name} must be a whole number, got "${v}"\n`);
    process.exit(2);
  }
  return Number(v);
};
const info = await makeTinyModel(dir, { hiddenSize: int('hidden', values.hidden), seed: int('seed', values.seed) });
process.stderr.write(`tiny model written to ${info.dir} (hidden ${info.hiddenSize}, vocab ${info.vocabSize})\n`);
