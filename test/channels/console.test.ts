// `npm run console` on a fresh project layout (corpus/ and no data/), stdin piped.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ExplainedAnswer } from '../../src/answer/answerer.ts';
import { REPLIES, sourceOutOfRange } from '../../src/chat/replies.ts';
import { ARCHIVE_CORPUS } from '../helpers/archive-corpus.ts';
import { BUNDLED_CORPUS, buildKbFixture, type KbFixture } from '../helpers/kb-fixture.ts';
import { runScript } from '../helpers/run-script.ts';
import { tinyModelDir } from '../helpers/tiny-model.ts';

const Q = '在职党员到社区报到的比例是多少？';

let project: string;
let kb: KbFixture;
let expected: ExplainedAnswer;

before(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'tongxin-console-'));
  await cp(BUNDLED_CORPUS, path.join(project, 'corpus'), { recursive: true });
  // The same corpus answered in this process, for the exact expected output.
  kb = await buildKbFixture();
  expected = await (await kb.open()).ask(Q);
});
after(async () => {
  await rm(project, { recursive: true, force: true });
  await kb.cleanup();
});

test('builds the index on first use, answers, shows 原文 N, and stops at 退出', async () => {
  const input = ['原文 1', Q, '原文 1', '原文 9', '原文', '', '退出', '这一行不再回答'].join('\n') + '\n';
  const r = await runScript('src/channels/console.ts', [], { cwd: project, input });
  assert.equal(r.code, 0, r.stderr);

  const manifest = path.join(project, 'data', 'index', 'manifest.json');
  assert.ok((await stat(manifest)).isFile());
  assert.equal(JSON.parse(await readFile(manifest, 'utf8')).passages, 19);
  const logLines = r.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const building = logLines.find((l) => l.msg === 'no knowledge base yet: building it from the corpus');
  assert.deepEqual([building?.indexDir, building?.corpusDir], [path.join(project, 'data', 'index'), path.join(project, 'corpus')], r.stderr);

  const c = expected.citations[0]!;
  assert.equal(c.text.length > 200, true); // the whole passage, not the quoted sentences
  assert.equal(
    r.stdout,
    [
      REPLIES.noSource,
      '',
      expected.answer,
      '',
      `【来源 1】《“五个一”画出城市党建“同心圆”》第7/9段\n${c.text}`,
      '',
      sourceOutOfRange(9, expected.citations.length),
      '',
      REPLIES.sourceUsage,
      '',
      '',
    ].join('\n'),
  );
  assert.ok(r.stdout.includes('91.43%'));
  assert.ok(r.stdout.includes('来源：'));
});

test('a middle answer and a one-article note read as the core wrote them; 原文 1 shows the article', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-console-middle-'));
  try {
    await mkdir(path.join(dir, 'corpus'));
    for (const [name, text] of Object.entries(ARCHIVE_CORPUS)) await writeFile(path.join(dir, 'corpus', name), text);
    const input = ['收上来的材料一般多久要归档？', '原文 1', '档案材料审核完一般多久要归档？', '退出'].join('\n') + '\n';
    const r = await runScript('src/channels/console.ts', [], { cwd: dir, input });
    assert.equal(r.code, 0, r.stderr);
    const article = '第二十一条 干部人事档案工作机构应当对收集的材料认真审核，一般应当在2个月内归档。';
    assert.equal(
      r.stdout,
      [
        `资料中没有直接的答案，最相关的规定是：${article}[1]\n\n来源：\n[1]《干部人事档案工作条例》第二十一条`,
        '',
        `【来源 1】《干部人事档案工作条例》第二十一条\n${article}`,
        '',
        `${article}[1]\n\n来源：\n[1]《干部人事档案工作条例》第二十一条（本条即完整答案）`,
        '',
        '',
      ].join('\n'),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('with the default local model and no way to download it: one warning, then 帮助 and answers', async () => {
  const fresh = await mkdtemp(path.join(os.tmpdir(), 'tongxin-console-local-'));
  try {
    await cp(BUNDLED_CORPUS, path.join(fresh, 'corpus'), { recursive: true });
    // A closed loopback port stands for "no internet", whatever the test machine can reach.
    const env = { EMBEDDING_PROVIDER: 'local', HF_ENDPOINT: 'http://127.0.0.1:9', MODELS_DIR: path.join(fresh, 'models') };
    const r = await runScript('src/channels/console.ts', [], { cwd: fresh, input: `帮助\n${Q}\n`, env });
    assert.equal(r.code, 0, r.stderr);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('embedding model unavailable'));
    assert.equal(warnings.length, 1, r.stderr);
    assert.match(warnings[0]!, /Xenova\/bge-small-zh-v1\.5 could not be downloaded from http:\/\/127\.0\.0\.1:9/);
    assert.match(warnings[0]!, /npm run model:download/);
    assert.equal(
      r.stdout,
      [
        '直接输入问题即可，例如：在职党员到社区报到的比例是多少？',
        '原文 N —— 查看上一条回答中第 N 个来源的完整段落',
        '帮助 —— 显示本说明',
        '退出 —— 结束',
        '',
        expected.answer,
        '',
        '',
      ].join('\n'),
    );
    const manifest = JSON.parse(await readFile(path.join(fresh, 'data', 'index', 'manifest.json'), 'utf8'));
    assert.equal(manifest.embedding, null);
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
});

test('with a local model, the first run loads it once: the ingest that builds the index hands it to the answers', async () => {
  const fresh = await mkdtemp(path.join(os.tmpdir(), 'tongxin-console-model-'));
  try {
    await cp(BUNDLED_CORPUS, path.join(fresh, 'corpus'), { recursive: true });
    const env = { EMBEDDING_PROVIDER: 'local', EMBEDDING_MODEL: await tinyModelDir(), ALLOW_REMOTE_MODELS: 'off', LOG_LEVEL: 'debug' };
    const r = await runScript('src/channels/console.ts', [], { cwd: fresh, input: `${Q}\n`, env });
    assert.equal(r.code, 0, r.stderr);
    const loads = r.stderr.split('\n').filter((l) => l.includes('"loading embedding model"'));
    assert.equal(loads.length, 1, r.stderr);
    assert.ok(r.stderr.includes('"knowledge base built"') && r.stderr.includes('"dense":true'), r.stderr);
    assert.match(r.stdout, /91\.43%/);
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
});
