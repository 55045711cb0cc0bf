// `npm run ask` as a child process on a built index: plain, --json, --explain, --batch, usage.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REFUSAL_TEXT } from '../../src/answer/answer-text.ts';
import type { ExplainedAnswer } from '../../src/answer/answerer.ts';
import type { KnowledgeBase } from '../../src/knowledge-base.ts';
import { buildKbFixture, type KbFixture } from '../helpers/kb-fixture.ts';
import { runScript } from '../helpers/run-script.ts';

const ASK = 'src/channels/ask-cli.ts';
const Q = '在职党员到社区报到的比例是多少？';

let kb: KbFixture;
let base: KnowledgeBase;
/** The same question answered in this process, on the same index. */
let expected: ExplainedAnswer;
/** An empty folder: no index, no `.env`. */
let elsewhere: string;

before(async () => {
  kb = await buildKbFixture();
  base = await kb.open();
  expected = await base.ask(Q);
  elsewhere = await mkdtemp(path.join(os.tmpdir(), 'tongxin-ask-'));
});
after(async () => {
  await kb.cleanup();
  await rm(elsewhere, { recursive: true, force: true });
});

const round = (x: number) => Math.round(x * 1e6) / 1e6;

function jsonLines(stdout: string): Array<Record<string, unknown>> {
  assert.ok(stdout.endsWith('\n'), 'stdout ends with a newline');
  return stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

// Each test spawns its own process; they share nothing but the read-only index.
describe('ask CLI', { concurrency: 4 }, () => {
  test('plain: the answer text alone on stdout', async () => {
    const r = await runScript(ASK, [Q], { cwd: kb.dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, expected.answer + '\n');
    assert.ok(expected.answer.includes('91.43%'));
  });

  test('--json: one object with exactly the issue #3 keys (index found from the cwd)', async () => {
    const r = await runScript(ASK, ['--json', Q], { cwd: kb.dir });
    assert.equal(r.code, 0, r.stderr);
    const [obj, ...more] = jsonLines(r.stdout);
    assert.deepEqual(more, []);
    assert.deepEqual(Object.keys(obj!), ['question', 'answer', 'refused', 'mode', 'citations', 'retrieved', 'ms']);
    assert.equal(typeof obj!.ms, 'number');
    const { ms: _ms, ...rest } = obj!;
    assert.deepEqual(rest, {
      question: Q,
      answer: expected.answer,
      refused: false,
      mode: 'extractive',
      citations: [{ n: 1, docId: 'lishu-five-ones', title: '“五个一”画出城市党建“同心圆”', text: expected.citations[0]!.text }],
      retrieved: expected.retrieved.map((p) => ({ docId: p.docId, title: p.title, text: p.text, score: round(p.score) })),
    });
    assert.equal((rest.retrieved as unknown[]).length, 5);
  });

  test('--json --explain adds the lexical and dense candidate lists (index from --index)', async () => {
    const r = await runScript(ASK, ['--json', '--explain', '--index', kb.indexDir, Q], { cwd: elsewhere });
    assert.equal(r.code, 0, r.stderr);
    const [obj] = jsonLines(r.stdout);
    assert.deepEqual(Object.keys(obj!), ['question', 'answer', 'refused', 'mode', 'citations', 'retrieved', 'ms', 'explain']);
    assert.deepEqual(obj!.explain, expected.explain);
    const explain = obj!.explain as ExplainedAnswer['explain'];
    assert.equal(explain.dense, null);
    assert.equal(explain.lexical[0]!.docId, 'lishu-five-ones');
    assert.equal(explain.lexical[0]!.passageId, expected.retrieved[0]!.passageId);
  });

  test('--explain without --json prints the explanation after the answer', async () => {
    const r = await runScript(ASK, ['--explain', `--index=${kb.indexDir}`, Q], { cwd: elsewhere });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${expected.answer}\n\n${JSON.stringify(expected.explain, null, 1)}\n`);
  });

  test('--batch: one object per line in order, ids echoed, a bad line reported, exit 0', async () => {
    const input = [
      JSON.stringify({ id: 'a', q: Q }),
      JSON.stringify({ id: 'b', question: '累计发布微心愿多少个？' }),
      JSON.stringify({ id: 'c', q: '党费怎么交？' }),
    ].join('\n');
    const r = await runScript(ASK, ['--batch', '--index', kb.indexDir], { cwd: elsewhere, input: input + '\n' });
    assert.equal(r.code, 0, r.stderr);
    const out = jsonLines(r.stdout);
    assert.equal(out.length, 3);
    const [a, b, c] = out;
    assert.deepEqual(Object.keys(a!), ['id', 'question', 'answer', 'refused', 'mode', 'citations', 'retrieved', 'ms']);
    assert.deepEqual([a!.id, a!.answer], ['a', expected.answer]);
    assert.deepEqual(b, { id: 'b', line: 2, error: 'needs a string field "q"' });
    assert.deepEqual(
      { id: c!.id, answer: c!.answer, refused: c!.refused, citations: c!.citations, retrieved: c!.retrieved },
      { id: 'c', answer: REFUSAL_TEXT, refused: true, citations: [], retrieved: [] },
    );
  });

  test('--batch: a line that is not JSON gets id null and its line number; blank lines are skipped', async () => {
    const input = ['{"id": 7, "q": "党费怎么交？"}', '', 'not json', '{"q": "累计发布微心愿多少个？"}'].join('\n');
    const r = await runScript(ASK, ['--batch', '--index', kb.indexDir], { cwd: elsewhere, input });
    assert.equal(r.code, 0, r.stderr);
    const out = jsonLines(r.stdout);
    assert.deepEqual(out.map((o) => o.id), [7, null, null]);
    assert.deepEqual(Object.keys(out[1]!), ['id', 'line', 'error']);
    assert.equal(out[1]!.line, 3);
    assert.match(out[1]!.error as string, /JSON/);
    // A line without an id is answered with id null.
    assert.equal(out[2]!.refused, false);
    assert.ok((out[2]!.answer as string).includes('6230'));
  });

  test('no question: exit 1, a usage line on stderr, nothing on stdout', async () => {
    const r = await runScript(ASK, ['--json', '--index', kb.indexDir], { cwd: elsewhere });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.split('\n').includes('Tongxin: usage: npm run ask -- [--json] [--explain] "问题"'), r.stderr);
  });

  test(
    'no question and no index: the usage line comes first',
    async () => {
      const r = await runScript(ASK, [], { cwd: elsewhere });
      assert.equal(r.code, 1);
      assert.ok(r.stderr.includes('Tongxin: usage: npm run ask -- [--json] [--explain] "问题"'), r.stderr);
    },
  );

  test('no index: exit 1 with the command that builds one', async () => {
    const r = await runScript(ASK, [Q], { cwd: elsewhere });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    const missing = path.join(elsewhere, 'data', 'index');
    assert.ok(r.stderr.includes(`Tongxin: no knowledge base in ${missing}; build it with: npm run ingest`), r.stderr);
  });
});
