/**
 * The transformers.js adapter on a real (tiny, generated) ONNX model loaded from a local
 * folder with remote loading off: the same code path as bge-small-zh on an intranet host.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EmbeddingError } from '../../src/errors.ts';
import {
  isCompleteModelFolder,
  TransformersEmbedder,
  type TransformersEmbedderOptions,
} from '../../src/embed/transformers-embedder.ts';
import { VectorIndex } from '../../src/index/vector-index.ts';
import { startHfMirror } from '../helpers/hf-mirror.ts';
import { TINY_MODEL_DIMENSION, tinyModelDir } from '../helpers/tiny-model.ts';

const norm = (v: Float32Array) => Math.hypot(...v);
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

async function isUnavailable(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof EmbeddingError, String(err));
    assert.equal(err.code, 'EMBEDDING_UNAVAILABLE');
    assert.match(err.message, message);
    return true;
  });
}

describe('TransformersEmbedder on the tiny model', () => {
  let modelDir: string;
  let tmp: string;
  const embedders: TransformersEmbedder[] = [];
  const make = (o: Partial<TransformersEmbedderOptions> = {}) => {
    const e = new TransformersEmbedder({ model: modelDir, dtype: 'q8', allowRemote: false, ...o });
    embedders.push(e);
    return e;
  };

  before(async () => {
    modelDir = await tinyModelDir();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'tongxin-embed-'));
  });
  after(async () => {
    await Promise.all(embedders.map((e) => e.close()));
    await rm(tmp, { recursive: true, force: true });
  });

  test('id names model, dtype and pooling', () => {
    assert.equal(make({ pooling: 'mean', dtype: 'fp32' }).id, `${modelDir}@fp32/mean`);
  });

  test('vectors have the model width, unit length, and are deterministic', async () => {
    const e = make({ pooling: 'cls' });
    assert.equal(await e.dimension(), TINY_MODEL_DIMENSION);
    const texts = ['党支部每月召开一次支部委员会。', '社区党群服务中心开放时间', 'Hello 2024!'];
    const a = await e.embedPassages(texts);
    assert.equal(a.length, 3);
    for (const v of a) {
      assert.ok(v instanceof Float32Array);
      assert.equal(v.length, TINY_MODEL_DIMENSION);
      assert.equal(round4(norm(v)), 1);
    }
    // A second embedder (fresh pipeline) gives bit-identical vectors.
    const b = await make({ pooling: 'cls' }).embedPassages(texts);
    assert.deepEqual(b, a);
    // Different texts, different vectors.
    assert.ok(dot(a[0]!, a[1]!) < 0.99);
  });

  test('the query prefix is applied to queries only', async () => {
    const text = '入党申请书怎么写';
    const plain = make();
    const prefixed = make({ queryPrefix: '为这个句子生成表示以用于检索相关文章：' });
    const [passage] = await prefixed.embedPassages([text]);
    assert.deepEqual(passage, await plain.embedQuery(text));
    assert.deepEqual(await prefixed.embedQuery(text), await plain.embedQuery('为这个句子生成表示以用于检索相关文章：' + text));
    assert.ok(dot(await prefixed.embedQuery(text), passage!) < 0.99);
  });

  test('cls and mean pooling give different vectors', async () => {
    const text = '发展党员工作流程';
    const cls = await make({ pooling: 'cls' }).embedQuery(text);
    const mean = await make({ pooling: 'mean' }).embedQuery(text);
    assert.equal(round4(norm(mean)), 1);
    assert.ok(dot(cls, mean) < 0.99, `cos(cls, mean) = ${dot(cls, mean)}`);
  });

  test('batches report progress and match one-by-one results', async () => {
    const texts = ['一', '二三', '四五六', '七', '八九', '十'];
    const calls: Array<[number, number]> = [];
    const e = make({ batchSize: 4 });
    const batched = await e.embedPassages(texts, (done, total) => calls.push([done, total]));
    assert.deepEqual(calls, [
      [4, 6],
      [6, 6],
    ]);
    const single = make({ batchSize: 1 });
    const singleCalls: number[] = [];
    const oneByOne = await single.embedPassages(texts, (done) => singleCalls.push(done));
    assert.deepEqual(singleCalls, [1, 2, 3, 4, 5, 6]);
    // Padding in a batch must not change a text's vector (the graph masks padded positions).
    batched.forEach((v, i) => assert.deepEqual([...v].map(round4), [...oneByOne[i]!].map(round4)));
    assert.deepEqual(await e.embedPassages([]), []);
  });

  test('an exact duplicate of a passage is retrieved first through the vector index', async () => {
    const passages = [
      '党员应当按月交纳党费。',
      '社区党群服务中心周一至周五开放。',
      '入党积极分子培养考察期一般为一年。',
      '基层党组织每年开展民主评议党员。',
      '党小组会一般每月召开一次。',
    ];
    const e = make();
    const vectors = await e.embedPassages(passages);
    const ids = [10, 11, 12, 13, 14];
    const index = VectorIndex.build(vectors, ids);
    for (const [i, text] of passages.entries()) {
      const hits = index.search(await e.embedQuery(text), 3);
      assert.equal(hits[0]!.id, ids[i]);
      assert.equal(round4(hits[0]!.score), 1);
    }
  });

  test('a hub id is loaded from <cacheDir>/<id> without the network', async () => {
    const cacheDir = path.join(tmp, 'models');
    await cp(modelDir, path.join(cacheDir, 'Tongxin', 'tiny-bert'), { recursive: true });
    const e = make({ model: 'Tongxin/tiny-bert', cacheDir });
    assert.equal(e.id, 'Tongxin/tiny-bert@q8/cls');
    assert.deepEqual(await e.embedQuery('党费'), await make().embedQuery('党费'));
  });

  test('a missing model folder fails at once with EMBEDDING_UNAVAILABLE', async () => {
    const missing = path.join(tmp, 'no-such-model');
    const e = make({ model: missing });
    await isUnavailable(e.embedQuery('党费'), new RegExp(`model folder ${missing} lacks config.json`));
    // The failure is kept: the next call fails the same way without trying again.
    await isUnavailable(e.dimension(), /lacks config.json/);
  });

  test('a hub id not in the cache with remote loading off names the remedies', async () => {
    const e = make({ model: 'Xenova/bge-small-zh-v1.5', cacheDir: path.join(tmp, 'empty-models') });
    await isUnavailable(e.embedQuery('党费'), /ALLOW_REMOTE_MODELS is off.*npm run model:download.*models\//);
  });

  test('an unreachable HF_ENDPOINT fails with EMBEDDING_UNAVAILABLE naming the remedies', async () => {
    // A port that was open a moment ago and is now closed: connection refused, no internet needed.
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const e = make({
      model: 'Tongxin/not-downloaded',
      cacheDir: path.join(tmp, 'empty-models'),
      allowRemote: true,
      hfEndpoint: `http://127.0.0.1:${port}`,
    });
    await isUnavailable(
      e.embedQuery('党费'),
      new RegExp(`could not be downloaded from http://127\\.0\\.0\\.1:${port}.*npm run model:download.*HF_ENDPOINT`),
    );
  });

  test('a mirror that never answers is given up after connectTimeoutMs', async () => {
    // Accepts connections and never replies, like a firewall that drops packets.
    const sockets = new Set<import('node:net').Socket>();
    const server = http.createServer(() => {});
    server.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const e = make({
        model: 'Tongxin/not-downloaded',
        cacheDir: path.join(tmp, 'empty-models'),
        allowRemote: true,
        hfEndpoint: `http://127.0.0.1:${port}`,
        connectTimeoutMs: 200,
      });
      await isUnavailable(e.embedQuery('党费'), /no response from http:\/\/127\.0\.0\.1:\d+\/Tongxin\/not-downloaded\/resolve\/main\/\S+ within 200 ms/);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  test('a hub id is downloaded from an HF_ENDPOINT mirror into <cacheDir>/<id>, then loads offline', async () => {
    const mirror = await startHfMirror('Tongxin/mirrored', modelDir);
    const cacheDir = path.join(tmp, 'mirror-cache');
    try {
      const progressFiles = new Set<string>();
      const e = make({
        model: 'Tongxin/mirrored',
        cacheDir,
        allowRemote: true,
        hfEndpoint: mirror.url,
        onLoadProgress: (p) => progressFiles.add(p.file),
      });
      const v = await e.embedQuery('党费');
      assert.ok(mirror.served.includes('/Tongxin/mirrored/resolve/main/onnx/model_quantized.onnx'), mirror.served.join(' '));
      assert.ok(progressFiles.has('onnx/model_quantized.onnx'), [...progressFiles].join(' '));
      assert.ok(isCompleteModelFolder(path.join(cacheDir, 'Tongxin', 'mirrored'), 'q8'));
      // The mirror is gone; the cached copy serves an offline embedder.
      await mirror.close();
      const offline = make({ model: 'Tongxin/mirrored', cacheDir, allowRemote: false });
      assert.deepEqual(await offline.embedQuery('党费'), v);
    } finally {
      await mirror.close();
    }
  });
});
