// The intranet workflow end to end, with a loopback mirror standing in for the hub:
// `npm run model:download` on a machine that reaches HF_ENDPOINT, then `models/` copied to a
// project with no network and ALLOW_REMOTE_MODELS=off, where `npm run ingest` builds vectors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startHfMirror, type HfMirror } from '../helpers/hf-mirror.ts';
import { BUNDLED_CORPUS } from '../helpers/kb-fixture.ts';
import { runScript } from '../helpers/run-script.ts';
import { tinyModelDir } from '../helpers/tiny-model.ts';

const MODEL = 'Tongxin/mirrored-tiny';

let work: string;
let mirror: HfMirror;

before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'tongxin-download-'));
  mirror = await startHfMirror(MODEL, await tinyModelDir());
});
after(async () => {
  await mirror.close();
  await rm(work, { recursive: true, force: true });
});

test('model:download fills models/ from HF_ENDPOINT; a copy of it serves an offline ingest with vectors', async () => {
  const online = path.join(work, 'online');
  const env = { EMBEDDING_PROVIDER: 'local', EMBEDDING_MODEL: MODEL, MODELS_DIR: path.join(online, 'models') };
  const dl = await runScript('scripts/model-download.ts', [], { cwd: work, env: { ...env, HF_ENDPOINT: mirror.url } });
  assert.equal(dl.code, 0, dl.stderr);
  assert.ok(mirror.served.includes(`/${MODEL}/resolve/main/onnx/model_quantized.onnx`), mirror.served.join(' '));
  assert.match(dl.stderr, new RegExp(`Model ready: ${path.join(online, 'models', MODEL).replace(/[/\\]/g, '.')}`));
  assert.match(dl.stderr, /ALLOW_REMOTE_MODELS=off/);
  // Run again: nothing to fetch.
  const before = mirror.served.length;
  const again = await runScript('scripts/model-download.ts', [], { cwd: work, env: { ...env, HF_ENDPOINT: mirror.url } });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /is already in/);
  assert.equal(mirror.served.length, before);

  // The intranet host: models/ copied over, no mirror, remote loading off.
  const intranet = path.join(work, 'intranet');
  await cp(path.join(online, 'models'), path.join(intranet, 'models'), { recursive: true });
  await cp(BUNDLED_CORPUS, path.join(intranet, 'corpus'), { recursive: true });
  const offlineEnv = { EMBEDDING_PROVIDER: 'local', EMBEDDING_MODEL: MODEL, ALLOW_REMOTE_MODELS: 'off', HF_ENDPOINT: 'http://127.0.0.1:9' };
  const ing = await runScript('scripts/ingest.ts', ['--json'], { cwd: intranet, env: offlineEnv });
  assert.equal(ing.code, 0, ing.stderr);
  const report = JSON.parse(ing.stdout.trim().split('\n').pop()!);
  assert.deepEqual({ docs: report.docs, passages: report.passages, dense: report.dense }, { docs: 11, passages: 19, dense: true });
  assert.equal(mirror.served.length, before);
  const ask = await runScript('src/channels/ask-cli.ts', ['--json', '--explain', '在职党员到社区报到的比例是多少？'], { cwd: intranet, env: offlineEnv });
  assert.equal(ask.code, 0, ask.stderr);
  const a = JSON.parse(ask.stdout);
  assert.ok(Array.isArray(a.explain.dense) && a.explain.dense.length > 0);
  assert.match(a.answer, /91\.43%/);
});

test('with no mirror reachable, model:download fails with the remedies and exit code 1', async () => {
  const r = await runScript('scripts/model-download.ts', [], {
    cwd: work,
    env: { EMBEDDING_PROVIDER: 'local', EMBEDDING_MODEL: 'Tongxin/nowhere', MODELS_DIR: path.join(work, 'm2'), HF_ENDPOINT: 'http://127.0.0.1:9' },
  });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /model:download: .*Tongxin\/nowhere.*could not be downloaded from http:\/\/127\.0\.0\.1:9/);
  assert.match(r.stderr, /HF_ENDPOINT/);
});
