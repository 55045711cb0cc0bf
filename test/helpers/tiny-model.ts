/**
 * The tiny ONNX test model, generated once and cached under test/.tmp/tiny-bert (git-ignored).
 * It is generated into a private folder and renamed into place, so test files running in
 * parallel never see a half-written model; a copy from an older generator is replaced.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTinyModel, TINY_MODEL_VERSION } from '../../scripts/lib/tiny-model/make-tiny-model.ts';

const TMP_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.tmp');
export const TINY_MODEL_DIR = path.join(TMP_ROOT, 'tiny-bert');
export const TINY_MODEL_DIMENSION = 32;

let pending: Promise<string> | undefined;

/** Absolute path of the cached tiny model folder, generating it when missing or stale. */
export function tinyModelDir(): Promise<string> {
  pending ??= ensure();
  return pending;
}

function isCurrent(): boolean {
  try {
    const stamp = JSON.parse(readFileSync(path.join(TINY_MODEL_DIR, 'tiny-model.json'), 'utf8'));
    return stamp.version === TINY_MODEL_VERSION && stamp.hiddenSize === TINY_MODEL_DIMENSION;
  } catch {
    return false; // missing or half-written: regenerate
  }
}

async function ensure(): Promise<string> {
  if (isCurrent()) return TINY_MODEL_DIR;
  await mkdir(TMP_ROOT, { recursive: true });
  const work = await mkdtemp(path.join(TMP_ROOT, 'tiny-bert-build-'));
  try {
    await makeTinyModel(work, { hiddenSize: TINY_MODEL_DIMENSION });
    if (!isCurrent()) {
      await rm(TINY_MODEL_DIR, { recursive: true, force: true });
      await rename(work, TINY_MODEL_DIR);
    }
  } catch (err) {
    // Another test process won the race; its copy is identical.
    if (!isCurrent()) throw err;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return TINY_MODEL_DIR;
}
