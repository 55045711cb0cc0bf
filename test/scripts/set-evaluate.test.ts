// The per-set figures of `npm run eval`, on a real knowledge base built from corpus/: questions
// whose outcome is certain (the 91.43% figure is in one passage of lishu-five-ones and is found and
// quoted; the weather is refused) scored under labels that make each figure's hits and misses known.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { KnowledgeBase } from '../../src/knowledge-base.ts';
import { corpusFolder, EVAL_SETS, readEvalSet, selectSets } from '../../scripts/lib/eval-sets.ts';
import { evaluateSet, formatSetReport, fromSetQuestion, isMiddleAnswer, MIDDLE_ANSWER_PREFIX, type ScoredQuestion, type SetReport } from '../../scripts/lib/set-evaluate.ts';
import type { SetQuestion } from '../../scripts/lib/question-set.ts';
import { buildKbFixture, type KbFixture } from '../helpers/kb-fixture.ts';

const ASKED = '在职党员到社区报到的比例是多少？';
const setQuestion = (q: Partial<SetQuestion> & Pick<SetQuestion, 'id'>): ScoredQuestion =>
  fromSetQuestion({ set: 'bundled', kind: 'answerable', question: ASKED, docs: ['lishu-five-ones.md'], evidence: ['91.43%'], facts: ['91.43%'], answerable: true, ...q });

let fixture: KbFixture;
let kb: KnowledgeBase;
let report: SetReport;
before(async () => {
  fixture = await buildKbFixture();
  kb = await fixture.open();
  const legacy = await readEvalSet(EVAL_SETS.find((s) => s.name === 'questions')!);
  const pick = (id: string) => legacy.find((q) => q.id === id)!;
  report = await evaluateSet(kb, [
    pick('q001'), // answerable, answers ["91.43%"]: the old format's any-fact rule
    setQuestion({ id: 'bp-901', kind: 'paraphrase', facts: ['91.43％'] }), // full-width ％ is the same fact
    setQuestion({ id: 'bp-902', facts: ['91.43%', '一百零八将'] }), // one fact of two: not every, but any
    setQuestion({ id: 'bp-903', docs: ['work-points.md'] }), // the evidence string, but in another document's passage
    pick('q053'), // 明天天气怎么样？ refused
    setQuestion({ id: 'bp-904', kind: 'unanswerable', docs: [], evidence: [], facts: [], answerable: false }), // labelled to refuse, but answered
    { id: 'q999', kind: 'malformed', question: '   ', docIds: [], evidence: [], facts: [], factsNeeded: 'any', answerable: null }, // scored for time only
  ]);
});
after(async () => {
  await kb?.close();
  await fixture?.cleanup();
});

describe('per-set figures', () => {
  test('each figure counts its known hits over its own questions', () => {
    const figures = Object.fromEntries(
      (['evidence1', 'evidence5', 'document1', 'document5', 'factsAll', 'factsAny', 'paraphrases', 'unanswerableRefused', 'falseRefusals', 'middle'] as const).map((k) => [k, `${report[k].hits}/${report[k].n}`]),
    );
    assert.deepEqual(figures, {
      evidence1: '3/4',
      evidence5: '3/4',
      document1: '3/4',
      document5: '3/4',
      factsAll: '3/4',
      factsAny: '4/4',
      paraphrases: '1/1',
      unanswerableRefused: '1/2',
      falseRefusals: '0/4',
      middle: '0/7',
    });
    assert.deepEqual({ questions: report.questions, answerable: report.answerable, share: report.evidence5.share }, { questions: 7, answerable: 4, share: 0.75 });
    assert.deepEqual(report.targets, {
      evidence5: { target: '≥ 0.90', met: false },
      factsAll: { target: '≥ 0.85', met: false },
      paraphrases: { target: '≥ 0.75', met: true },
      falseRefusals: { target: '≤ 0.05', met: true },
      unanswerableRefused: { target: '≥ 0.85', met: false },
    });
    assert.deepEqual(
      report.misses.map((m) => `${m.id} ${m.why}`),
      ['bp-902 facts not in answer', 'bp-903 evidence not retrieved', 'bp-904 answered a question to refuse'],
    );
    assert.equal(report.ms.p95 >= report.ms.p50, true);
  });

  test('a middle answer is told by the answer\'s own flag, else by its opening; a refusal is none', async () => {
    const a = await kb.ask(ASKED, { offline: true });
    const middleBody = `${MIDDLE_ANSWER_PREFIX}，最相关的规定是：在职党员报到率91.43%[1]`;
    assert.equal(isMiddleAnswer(a), false);
    assert.equal(a.middle, false);
    // An answer of an older shape, without the flag, is told by its opening.
    const { middle: _flag, ...older } = a;
    assert.equal(isMiddleAnswer({ ...older, body: middleBody } as typeof a), true);
    assert.equal(isMiddleAnswer({ ...a, body: middleBody }), false);
    assert.equal(isMiddleAnswer({ ...a, body: middleBody, middle: false } as typeof a), false);
    assert.equal(isMiddleAnswer({ ...a, middle: true } as typeof a), true);
    assert.equal(isMiddleAnswer({ ...a, body: middleBody, refused: true }), false);
  });

  test('the printed report puts each target beside its figure; a held-out set lists no misses', () => {
    const held = formatSetReport({ name: 'bundled-holdout', file: 'eval/holdout/bundled-holdout.jsonl', corpus: 'corpus', heldOut: true }, report).split('\n');
    assert.equal(held[0], '== bundled-holdout  [held out (never tuned on)]: eval/holdout/bundled-holdout.jsonl on corpus, 7 questions (4 answerable)');
    assert.ok(held.includes('  evidence found, top 5          0.750  3/4       target ≥ 0.90  NOT met'), held.join('\n'));
    assert.ok(held.includes('  false refusals                 0.000  0/4       target ≤ 0.05  met'), held.join('\n'));
    assert.equal(held.at(-1), '  misses: 3 (not listed: held out)');
    const tuning = formatSetReport({ name: 'bundled-tuning', file: 'eval/bundled-tuning.jsonl', corpus: 'corpus', heldOut: false }, report).split('\n');
    assert.equal(tuning[0], '== bundled-tuning: eval/bundled-tuning.jsonl on corpus, 7 questions (4 answerable)');
    assert.deepEqual(tuning.slice(-4), [
      '  misses (3, first 20):',
      `    bp-902 answerable facts not in answer: ${ASKED}`,
      `    bp-903 answerable evidence not retrieved: ${ASKED}`,
      `    bp-904 unanswerable answered a question to refuse: ${ASKED}`,
    ]);
  });
});

describe('which sets run, on which corpus', () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'tongxin-evalsets-'));
  });
  after(() => rm(work, { recursive: true, force: true }));

  test('real-docs are indexed through links to its documents, never its README.md or SOURCES.tsv', async () => {
    const docs = path.join(work, 'real-docs');
    await mkdir(docs);
    for (const name of ['README.md', 'SOURCES.tsv', '条例.html', '台账.xlsx']) await writeFile(path.join(docs, name), 'x');
    const data = path.join(work, 'data', 'eval');
    // A link left from an earlier run to a file since removed goes.
    await mkdir(path.join(data, 'realdocs-corpus'), { recursive: true });
    await symlink(path.join(docs, 'gone.pdf'), path.join(data, 'realdocs-corpus', 'gone.pdf'));
    const folder = await corpusFolder('realdocs', data, docs);
    assert.equal(folder, path.join(data, 'realdocs-corpus'));
    const names = (await readdir(folder)).sort();
    assert.deepEqual(names, ['台账.xlsx', '条例.html']);
    for (const name of names) assert.equal(await readlink(path.join(folder, name)), path.join(docs, name));
  });

  test('no --set: the real-docs sets only when that folder exists; --set picks one by name', () => {
    const all = EVAL_SETS.map((s) => s.name);
    assert.deepEqual(selectSets(undefined, path.join(work, 'real-docs')).map((s) => s.name), all);
    assert.deepEqual(selectSets(undefined, path.join(work, 'absent')).map((s) => s.name), ['bundled-tuning', 'bundled-holdout', 'questions']);
    assert.deepEqual(selectSets('realdocs-holdout', path.join(work, 'real-docs')).map((s) => [s.name, s.heldOut]), [['realdocs-holdout', true]]);
    assert.throws(() => selectSets('nope'), /unknown set nope \(known: bundled-tuning, bundled-holdout, questions, realdocs-tuning, realdocs-holdout, realdocs2-tuning, realdocs2-holdout\)/);
    assert.throws(() => selectSets('realdocs-tuning', path.join(work, 'absent')), /needs .*absent, which is not on this machine/);
  });
});
