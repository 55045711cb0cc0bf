// The offline composer: verbatim sentences with [n] markers, a 200-character body, clipping.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_EXTRACT_OPTIONS, extractSentences } from '../../src/answer/extractive-composer.ts';
import type { RetrievedPassage } from '../../src/answer/types.ts';
import type { KnowledgeBase } from '../../src/knowledge-base.ts';
import { buildKbFixture, REPO_ROOT, type KbFixture } from '../helpers/kb-fixture.ts';

// 30 clauses of exactly 20 characters (19 + a comma): one 600-character sentence.
const FILLER = '社区志愿服务队伍持续开展了入户走访慰问';
const KEY = '在职党员到社区报到比例达到91.43%';
function longSentence(keyAt: number, count = 30): { clauses: string[]; text: string } {
  const clauses = Array.from({ length: count }, (_, i) => (i === keyAt ? KEY : FILLER) + (i === count - 1 ? '。' : '，'));
  return { clauses, text: clauses.join('') };
}

function retrieved(text: string, over: Partial<RetrievedPassage> = {}): RetrievedPassage {
  return { passageId: 0, docId: 'd', title: '测试', heading: '', text, start: 0, end: text.length, part: 1, parts: 1, score: 1, loc: {}, ...over };
}

const IDF: Record<string, number> = { 在职: 1, 党员: 1, 报到: 2, 比例: 2, 微心愿: 3, 发布: 1 };
const idf = (t: string) => IDF[t] ?? 0;

describe('extractSentences on hand-made passages', () => {
  test('the default budget is 200 characters, markers included', () => {
    assert.deepEqual(DEFAULT_EXTRACT_OPTIONS, { maxChars: 200, maxSentences: 3, passages: 3 });
  });

  test('picks the matching sentences verbatim, in document order', () => {
    const p = retrieved('今年工作有序开展。累计发布微心愿6230个。在职党员报到比例达91.43%。');
    const out = extractSentences('报到比例是多少？', ['报到', '比例'], [p], idf);
    assert.deepEqual(out, [{ passage: 0, text: '在职党员报到比例达91.43%。', start: 22, end: 38, score: 1 + 0.15, kind: 'sentence' }]);
  });

  test('a companion sentence from the second passage is decayed by rank and read after the first', () => {
    const a = retrieved('在职党员报到比例达91.43%。');
    const b = retrieved('党员报到工作有序开展。');
    const out = extractSentences('党员报到情况', ['党员', '报到'], [a, b], idf);
    assert.deepEqual(
      out.map((s) => [s.passage, s.text, s.score]),
      [
        [0, '在职党员报到比例达91.43%。', 1],
        [1, '党员报到工作有序开展。', 1 - 0.12],
      ],
    );
  });

  test('nothing matching: no sentences', () => {
    assert.deepEqual(extractSentences('天气', ['天气'], [retrieved('党员报到。')], idf), []);
  });

  test('a long sentence is cut to clauses around the best one, growing forward first', () => {
    const { clauses, text } = longSentence(10);
    assert.equal(text.length, 600);
    const [s, ...rest] = extractSentences('报到比例是多少？', ['报到', '比例'], [retrieved(text)], idf);
    assert.deepEqual(rest, []);
    // Budget 200 - 3 for the marker - 2 for the ellipses = 195: nine 20-character clauses.
    assert.equal(s!.text, '…' + clauses.slice(10, 19).join('') + '…');
    assert.equal(s!.text.length, 182);
    assert.deepEqual([s!.start, s!.end], [200, 380]);
  });

  test('near the end of the sentence it grows backward, with no closing ellipsis', () => {
    const { clauses, text } = longSentence(25);
    const [s] = extractSentences('报到比例是多少？', ['报到', '比例'], [retrieved(text)], idf);
    assert.equal(s!.text, '…' + clauses.slice(21).join(''));
    assert.deepEqual([s!.start, s!.end], [420, 600]);
  });

  test('one clause longer than the budget is cut hard', () => {
    const text = '在职党员报到' + '比例'.repeat(297) + '。';
    assert.equal(text.length, 601);
    const [s] = extractSentences('报到比例', ['报到', '比例'], [retrieved(text)], idf);
    assert.equal(s!.text, text.slice(0, 195) + '…');
  });
});

describe('extractSentences quotes the rule, not the table, the form or the quiz (issue 9)', () => {
  const RULE_IDF: Record<string, number> = { 支部: 1, 委员会: 1, 任期: 2, 接收: 1, 预备党员: 2, 赞成: 2, 超过: 1, 团歌: 3, 材料: 1, 归档: 3 };
  const ruleIdf = (t: string) => RULE_IDF[t] ?? 0;
  const show = (out: ReturnType<typeof extractSentences>) => out.map((s) => [s.text, s.kind, Math.round(s.score * 1000) / 1000]);

  test('a form row is one span, kept whole at ；, and the rule sentence beside it scores higher', () => {
    const p = retrieved('职务：支部委员会书记；任期：5年\n支部委员会每届任期一般为5年。');
    const tokens = ['支部', '委员会', '任期', '几年'];
    // Both cover the question; the row weighs 0.85: (1 + 0.15 + 0.3) * 0.85 against 1 + 0.15 + 0.3.
    assert.deepEqual(show(extractSentences('支部委员会任期几年？', tokens, [p], ruleIdf)), [
      ['职务：支部委员会书记；任期：5年', 'row', 1.233],
      ['支部委员会每届任期一般为5年。', 'sentence', 1.45],
    ]);
    assert.deepEqual(show(extractSentences('支部委员会任期几年？', tokens, [p], ruleIdf, { maxSentences: 1 })), [['支部委员会每届任期一般为5年。', 'sentence', 1.45]]);
  });

  test('a quiz item with its blanks ( ) is never quoted beside the rule sentence', () => {
    const p = retrieved('28、支部大会讨论接收预备党员时赞成人数超过( )有表决权的正式党员的( ),才能通过。\n赞成人数超过应到会有表决权的正式党员的半数，才能通过接收预备党员的决议。');
    assert.deepEqual(show(extractSentences('接收预备党员赞成的要超过多少？', ['接收', '预备党员', '赞成', '超过', '多少'], [p], ruleIdf)), [
      ['赞成人数超过应到会有表决权的正式党员的半数，才能通过接收预备党员的决议。', 'sentence', 1],
    ]);
  });

  test('a quiz option (B、 …) is quiz material too: the stated rule is quoted alone', () => {
    const p = retrieved('12、共青团的团歌是( )。\nB、 《共青团员之歌》\n共青团团歌是《光荣啊，中国共青团》。');
    assert.deepEqual(show(extractSentences('团歌叫啥？', ['团歌'], [p], ruleIdf)), [['共青团团歌是《光荣啊，中国共青团》。', 'sentence', 1]]);
  });

  test('an empty （） where the source dropped a name is no blank: the sentence is whole', () => {
    const p = retrieved('那须盐原车站（）是由JR东日本所经营的铁路车站。');
    assert.deepEqual(show(extractSentences('那须盐原车站的经营方是谁？', ['那须盐原车站', '经营'], [p], () => 1)), [['那须盐原车站（）是由JR东日本所经营的铁路车站。', 'sentence', 1]]);
  });

  test('in a document the question names, the title words count as present in every sentence', () => {
    const p = retrieved('第一条 为了加强机关基层组织工作，制定本条例。\n第四十二条 本条例由中央组织部负责解释。', { docId: 'rule', title: '机关基层组织工作条例' });
    const q = '机关基层组织工作条例归哪个部门解释？';
    const tokens = ['机关', '基层组织', '工作', '条例', '部门', '解释'];
    const one = { maxSentences: 1 };
    // The preamble repeats the name: 4 of 6 terms against 2 of 6.
    assert.deepEqual(show(extractSentences(q, tokens, [p], () => 1, one)), [['第一条 为了加强机关基层组织工作，制定本条例。', 'sentence', 0.667]]);
    const named = { docIds: new Set(['rule']), titleTerms: new Set(['机关', '基层组织', '工作', '条例']) };
    // 条例 and 解释 are there; 机关, 基层组织 and 工作 count 0.75 each: (2 + 3 × 0.75) / 6.
    assert.deepEqual(show(extractSentences(q, tokens, [p], () => 1, { ...one, named })), [['第四十二条 本条例由中央组织部负责解释。', 'sentence', 0.708]]);
    // Another document's sentences must still hold the words themselves.
    const other = retrieved('各部门认真遵照执行。', { docId: 'news' });
    assert.deepEqual(show(extractSentences(q, tokens, [other], () => 1, { ...one, named })), [['各部门认真遵照执行。', 'sentence', 0.167]]);
  });

  test('in a named table, the row that repeats a title word beats rows that only sit in it', () => {
    const sheet = retrieved('类别：法学；预备党员·请示：20181224\n类别：批复时间；预备党员·请示：20190107', { docId: 'table', title: '请示批复一览表' });
    const named = { docIds: new Set(['table']), titleTerms: new Set(['请示', '批复']) };
    const [best] = extractSentences('预备党员请示的批复是几号？', ['预备党员', '请示', '批复'], [sheet], () => 1, { maxSentences: 1, named });
    assert.equal(best!.text, '类别：批复时间；预备党员·请示：20190107');
  });

  test('a one-sentence article is its own heading and is still quoted; a label heading is not', () => {
    const article = '第三十四条 本办法自2023年3月1日起施行。';
    const p = retrieved(article, { heading: article });
    assert.deepEqual(show(extractSentences('办法啥时候起施行？', ['办法', '施行'], [p], () => 1)), [[article, 'sentence', 1.45]]);
    const label = retrieved('第八章 附则\n本办法由学校党委负责解释。', { heading: '第八章 附则' });
    assert.deepEqual(extractSentences('办法的附则', ['办法', '附则'], [label], () => 1).map((s) => s.text), ['本办法由学校党委负责解释。']);
  });

  test('a label made of the words an expansion added is the answer, not the question echoed', () => {
    const p = retrieved('栏目：会议名称；会议地点；应到人数');
    // 会议 and 地点 are what the documents say for 开会 and 地方 (expansions.txt).
    const [best] = extractSentences('开会的地方填在哪一栏？', ['开会', '地方', '会议', '地点'], [p], () => 1, { maxSentences: 1 });
    assert.equal(best!.text, '会议地点；');
  });

  test('a 文号 question quotes the line holding the document number', () => {
    const p = retrieved('测试符路桥区卫生局文件\n路卫发〔2011〕76号\n关于同意张阿三同志辞职的批复\n你院《关于给张阿三同志辞职的请示》收悉。', { docId: 'reply', title: '关于同意张阿三同志辞职的批复' });
    const named = { docIds: new Set(['reply']), titleTerms: new Set(['同意', '张阿三', '辞职', '批复']) };
    const [best] = extractSentences('同意张阿三辞职那个批复的文号是多少？', ['同意', '张阿三', '辞职', '批复', '文号'], [p], () => 1, { maxSentences: 1, named });
    assert.equal(best!.text, '路卫发〔2011〕76号');
  });

  test('the sentence holding the asked duration beats one with another figure and one with none', () => {
    const p = retrieved('形成的材料应当及时归档。第3款所列材料应当归档。材料形成之日起2个月内归档。');
    assert.deepEqual(show(extractSentences('材料多久内要归档？', ['材料', '多久', '归档'], [p], ruleIdf, { maxSentences: 1 })), [['材料形成之日起2个月内归档。', 'sentence', 1.45]]);
    // Without a figure of the asked kind, any digit is only the small number cue.
    const other = retrieved('形成的材料应当及时归档。第3款所列材料应当归档。');
    assert.deepEqual(show(extractSentences('材料多久内要归档？', ['材料', '多久', '归档'], [other], ruleIdf, { maxSentences: 1 })), [['第3款所列材料应当归档。', 'sentence', 1.15]]);
  });
});

describe('extractive answers on the bundled corpus', () => {
  let kb: KbFixture;
  let base: KnowledgeBase;
  before(async () => {
    kb = await buildKbFixture();
    base = await kb.open();
  });
  after(() => kb.cleanup());

  test('在职党员到社区报到的比例是多少？ quotes 91.43% with [1] and lists its source', async () => {
    const a = await base.ask('在职党员到社区报到的比例是多少？');
    const body =
      '在推进“四项清单”任务落实过程中,开展在职党员到社区报到行动,行政单位、国有企业与社区共建活动。[1]' +
      '截至目前,实现报到在职党员3000余人,报到比例达91.43%,组建了在职党员志愿者服务队94个,为筑牢党在城市基层的红色堡垒奠定了良好基础。[1]';
    assert.equal(a.mode, 'extractive');
    assert.equal(a.refused, false);
    assert.equal(a.body, body);
    assert.equal(a.answer, `${body}\n\n来源：\n[1]《“五个一”画出城市党建“同心圆”》第7/9段`);
    assert.deepEqual(
      a.citations.map((c) => [c.n, c.docId, c.part, c.parts]),
      [[1, 'lishu-five-ones', 7, 9]],
    );
    assert.ok(a.citations[0]!.text.includes('报到比例达91.43%'));
  });

  test('every eval question: body within 200 characters, quoted verbatim from the cited passage', async () => {
    const lines = (await readFile(path.join(REPO_ROOT, 'eval', 'questions.jsonl'), 'utf8')).split('\n').filter((l) => l.trim());
    assert.equal(lines.length, 73);
    let answered = 0;
    for (const line of lines) {
      const { id, q, kind } = JSON.parse(line) as { id: string; q: string; kind: string };
      const a = await base.ask(q);
      assert.ok(a.body.length <= 200, `${id}: body has ${a.body.length} characters`);
      // Every answerable question is answered, so the checks below are never vacuous.
      if (kind === 'answerable' || kind === 'paraphrase') assert.equal(a.refused, false, `${id} refused`);
      if (a.refused) continue;
      answered++;
      // Each quoted piece ends with the marker of its passage.
      const pieces = [...a.body.matchAll(/([^[\]]+)\[(\d+)\]/g)];
      assert.equal(pieces.map((m) => m[0]).join(''), a.body, `${id}: body is not a run of quoted pieces`);
      for (const [, quoted, n] of pieces) {
        const cited = a.citations[Number(n) - 1];
        assert.ok(cited, `${id}: [${n}] names no citation`);
        assert.ok(cited.text.includes(quoted!.replace(/^…|…$/g, '')), `${id}: "${quoted}" is not in citation [${n}]`);
        for (const num of quoted!.match(/\d+(?:[.,]\d+)*%?/g) ?? []) {
          assert.ok(cited.text.includes(num), `${id}: number ${num} is not in citation [${n}]`);
        }
      }
      assert.deepEqual(a.citations.map((c) => c.n), a.citations.map((_, i) => i + 1));
    }
    assert.ok(answered >= 48, `answered ${answered}`);
  });

  test('a 600-character sentence in a document is clipped with … in the answer', async () => {
    const { clauses, text } = longSentence(10);
    const long = await buildKbFixture({ docs: { 'long.md': `---\ntitle: 长句测试\n---\n${text}\n` } });
    try {
      const lb = await long.open();
      const a = await lb.ask('在职党员报到比例是多少？');
      const body = '…' + clauses.slice(10, 19).join('') + '…[1]';
      assert.equal(a.body, body);
      assert.equal(a.body.length, 185);
      assert.equal(a.answer, `${body}\n\n来源：\n[1]《长句测试》第1/2段`);
    } finally {
      await long.cleanup();
    }
  });
});
