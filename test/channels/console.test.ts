// `npm run console` on a fresh project layout (corpus/ and no data/), stdin piped.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ExplainedAnswer } from '../../src/answer/answerer.ts';
import { BUNDLED_CORPUS, buildKbFixture, type KbFixture } from '../helpers/kb-fixture.ts';
import { runScript } from '../helpers/run-script.ts';

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
  const input = ['原文 1', Q, '原文 1', '原文 9', '', '退出', '这一行不再回答'].join('\n') + '\n';
  const r = await runScript('src/channels/console.ts', [], { cwd: project, input });
  assert.equal(r.code, 0, r.stderr);

  const manifest = path.join(project, 'data', 'index', 'manifest.json');
  assert.ok((await stat(manifest)).isFile());
  assert.equal(JSON.parse(await readFile(manifest, 'utf8')).passages, 19);
  assert.ok(
    r.stderr.includes(`no knowledge base in ${path.join(project, 'data', 'index')} yet: building it from ${path.join(project, 'corpus')}`),
    r.stderr,
  );

  const c = expected.citations[0]!;
  assert.equal(c.text.length > 200, true); // the whole passage, not the quoted sentences
  assert.equal(
    r.stdout,
    [
      '还没有回答可以查看原文，请先提问。',
      '',
      expected.answer,
      '',
      `[1]《“五个一”画出城市党建“同心圆”》第7/9段\n${c.text}`,
      '',
      '上一条回答没有第 9 个来源。',
      '',
      '',
    ].join('\n'),
  );
  assert.ok(r.stdout.includes('91.43%'));
  assert.ok(r.stdout.includes('来源：'));
});
