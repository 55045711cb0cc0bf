// The answering core on the bundled corpus, no model: refusals, empty and over-long questions,
// follow-ups.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY_QUESTION_TEXT, REFUSAL_TEXT, TRUNCATED_NOTE } from '../../src/answer/answer-text.ts';
import { loadConfig } from '../../src/config.ts';
import { openKnowledgeBase, type KnowledgeBase } from '../../src/knowledge-base.ts';
import { buildKbFixture, type KbFixture } from '../helpers/kb-fixture.ts';

const REPORT_Q = '在职党员到社区报到的比例是多少？';
const REPORT_BODY =
  '在推进“四项清单”任务落实过程中,开展在职党员到社区报到行动,行政单位、国有企业与社区共建活动。[1]' +
  '截至目前,实现报到在职党员3000余人,报到比例达91.43%,组建了在职党员志愿者服务队94个,为筑牢党在城市基层的红色堡垒奠定了良好基础。[1]';
const REPORT_ANSWER = `${REPORT_BODY}\n\n来源：\n[1]《“五个一”画出城市党建“同心圆”》第7/9段`;

let kb: KbFixture;
let base: KnowledgeBase;
before(async () => {
  kb = await buildKbFixture();
  base = await kb.open();
});
after(() => kb.cleanup());

test('the bundled corpus is loaded lexical-only', () => {
  const s = base.stats();
  assert.deepEqual(
    { documents: s.documents, passages: s.passages, dense: s.dense, embeddingModel: s.embeddingModel, generation: s.generation },
    { documents: 11, passages: 19, dense: false, embeddingModel: null, generation: kb.report.generation },
  );
});

test('an answerable question: cited extractive answer', async () => {
  const a = await base.ask(REPORT_Q);
  assert.deepEqual(
    { question: a.question, normalized: a.normalized, truncated: a.truncated, answer: a.answer, body: a.body, refused: a.refused, mode: a.mode, fallbackReason: a.fallbackReason },
    { question: REPORT_Q, normalized: REPORT_Q, truncated: false, answer: REPORT_ANSWER, body: REPORT_BODY, refused: false, mode: 'extractive', fallbackReason: undefined },
  );
  assert.equal(a.retrieved.length, 5);
  assert.equal(a.retrieved[0]!.text, a.citations[0]!.text);
});

test('党费怎么交？ is refused: nothing in the corpus mentions 党费', async () => {
  const a = await base.ask('党费怎么交？');
  assert.equal(a.answer, REFUSAL_TEXT);
  assert.equal(a.body, REFUSAL_TEXT);
  assert.equal(a.refused, true);
  assert.equal(a.mode, 'extractive');
  assert.deepEqual(a.citations, []);
  assert.deepEqual(a.retrieved, []);
  assert.deepEqual(a.explain, { tokens: ['党费', '交'], coverage: 0, missing: ['党费', '交'], denseSimilarity: null, denseRescued: false, lacking: null, lexical: [], dense: null });
});

test('今天天气怎么样 is refused although retrieval found a weak match', async () => {
  const a = await base.ask('今天天气怎么样');
  assert.equal(a.answer, REFUSAL_TEXT);
  assert.equal(a.refused, true);
  assert.deepEqual(a.citations, []);
  // The passage retrieved on 天天 covers too little of the question (0.28 < 0.5).
  assert.deepEqual(a.retrieved.map((r) => r.docId), ['lishu-five-ones']);
  assert.equal(a.explain.coverage, 0.28);
  assert.deepEqual(a.explain.missing, ['今天', '天气']);
});

test('empty, blank, emoji-only and punctuation-only questions get the how-to-ask text', async () => {
  for (const q of ['', '   \n', '😀🎉👍', '？？？']) {
    const a = await base.ask(q);
    assert.deepEqual(
      { answer: a.answer, body: a.body, refused: a.refused, citations: a.citations, retrieved: a.retrieved },
      { answer: EMPTY_QUESTION_TEXT, body: EMPTY_QUESTION_TEXT, refused: true, citations: [], retrieved: [] },
      JSON.stringify(q),
    );
  }
  // A channel handing over something that is not a string gets the same answer, not a crash.
  const odd = await base.ask(undefined as unknown as string);
  assert.equal(odd.answer, EMPTY_QUESTION_TEXT);
});

test('a question of stop words only is refused with the same body as any refusal', async () => {
  const a = await base.ask('的了吗');
  assert.deepEqual(
    { answer: a.answer, body: a.body, refused: a.refused, citations: a.citations },
    { answer: REFUSAL_TEXT, body: REFUSAL_TEXT, refused: true, citations: [] },
  );
});

test('a 100,000-character question is cut to 500 and the answer says so', async () => {
  const q = REPORT_Q.repeat(6250);
  assert.equal(q.length, 100_000);
  const a = await base.ask(q);
  const note = TRUNCATED_NOTE.replace('{n}', '500');
  assert.equal(note, '（问题较长，只按前 500 个字查找。）');
  assert.equal(a.truncated, true);
  assert.equal(a.question, q);
  assert.equal(a.normalized, q.slice(0, 500));
  assert.equal(a.answer, `${note}\n\n${REPORT_ANSWER}`);
  assert.equal(a.body, REPORT_BODY);
});

test('an over-long refused question: note, then the refusal', async () => {
  const a = await base.ask('党费怎么交？'.repeat(20_000));
  assert.equal(a.truncated, true);
  assert.equal(a.refused, true);
  assert.equal(a.answer, `（问题较长，只按前 500 个字查找。）\n\n${REFUSAL_TEXT}`);
});

test('MAX_QUESTION_CHARS sets the cut', async () => {
  const config = loadConfig({ env: { EMBEDDING_PROVIDER: 'none', MAX_QUESTION_CHARS: '20' }, dotenvDir: false, cwd: kb.dir });
  const short = await openKnowledgeBase({ indexDir: kb.indexDir, config, embedder: null, chatModel: null });
  const a = await short.ask(REPORT_Q.repeat(3));
  assert.equal(a.truncated, true);
  assert.equal(a.normalized, REPORT_Q.repeat(2).slice(0, 20));
  assert.ok(a.answer.startsWith('（问题较长，只按前 20 个字查找。）\n\n'), a.answer);
  assert.equal((await short.ask(REPORT_Q)).truncated, false);
});

test('a follow-up is searched together with the question it follows', async () => {
  const first = '“梨树微心愿”累计发布了多少个？';
  const a1 = await base.ask(first);
  assert.ok(a1.body.includes('累计发布“微心愿”6230个'), a1.body);
  const a2 = await base.ask('那完成了多少个？', { previousQuestion: first });
  assert.equal(a2.refused, false);
  assert.equal(a2.question, '那完成了多少个？');
  assert.ok(a2.body.includes('5870'), a2.body);
  assert.ok(a2.body.includes('被认领完成“微心愿”5870个'), a2.body);
  assert.deepEqual(a2.citations.map((c) => c.docId), ['lishu-five-ones']);
  // The previous question's terms come first, the follow-up's are counted twice.
  assert.deepEqual(a2.explain.tokens, ['梨树', '微', '心愿', '累计', '发布', '个', '完成', '个', '完成', '个']);
});

test('offline: true changes nothing when no model is configured', async () => {
  const a = await base.ask(REPORT_Q, { offline: true });
  assert.equal(a.answer, REPORT_ANSWER);
  assert.equal(a.mode, 'extractive');
});
