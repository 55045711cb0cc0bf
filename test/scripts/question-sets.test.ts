// Every line of the resident question sets is well formed, its evidence is really in the named
// document as the loaders extract it, its facts are there once figures are normalised, and the
// held-out third is the seeded, stratified split of the whole set.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadDocument, isSupported } from '../../src/corpus/load-document.ts';
import { includesFigures } from '../../src/answer/normalize-figures.ts';
import { holdsEvidence, questionProblems, readQuestionSet, type SetQuestion } from '../../scripts/lib/question-set.ts';
import { splitQuestions } from '../../scripts/lib/split-questions.ts';
import { BUNDLED_CORPUS, REPO_ROOT } from '../helpers/kb-fixture.ts';

const REAL_DOCS = path.resolve(REPO_ROOT, '..', 'shared', 'real-docs');
const SETS = [
  { name: 'realdocs', corpus: REAL_DOCS, tuning: 'eval/realdocs-tuning.jsonl', holdout: 'eval/holdout/realdocs-holdout.jsonl' },
  { name: 'realdocs', corpus: REAL_DOCS, tuning: 'eval/realdocs2-tuning.jsonl', holdout: 'eval/holdout/realdocs2-holdout.jsonl' },
  { name: 'bundled', corpus: BUNDLED_CORPUS, tuning: 'eval/bundled-tuning.jsonl', holdout: 'eval/holdout/bundled-holdout.jsonl' },
] as const;

async function both(set: (typeof SETS)[number]): Promise<{ tuning: SetQuestion[]; holdout: SetQuestion[] }> {
  return {
    tuning: await readQuestionSet(path.join(REPO_ROOT, set.tuning)),
    holdout: await readQuestionSet(path.join(REPO_ROOT, set.holdout)),
  };
}

describe('question-set schema', () => {
  test('a well-formed line has no problems', () => {
    assert.deepEqual(questionProblems({ id: 'rd-001', set: 'realdocs', kind: 'paraphrase', question: '啥？', docs: ['a.html'], evidence: ['一句话'], facts: ['5年'], answerable: true }), []);
  });
  test('each broken field is named', () => {
    assert.deepEqual(questionProblems({ id: 'x', set: 'other', kind: 'odd', question: ' ', docs: [''], evidence: 'a', facts: [], answerable: 'yes', extra: 1 }), [
      'id "x" is not like rd-001',
      'set "other" is not realdocs or bundled',
      'kind "odd" is not one of answerable, paraphrase, abbreviation, unanswerable, adversarial',
      'question is empty',
      'docs is not an array of non-empty strings',
      'evidence is not an array of non-empty strings',
      'answerable is not true or false',
      'unknown fields extra',
    ]);
    assert.deepEqual(questionProblems({ id: 'rd-002', set: 'realdocs', kind: 'unanswerable', question: '电话？', docs: ['a.html'], evidence: [], facts: [], answerable: false }), [
      'an unanswerable question has no docs, evidence or facts',
    ]);
    assert.deepEqual(questionProblems({ id: 'rd-003', set: 'realdocs', kind: 'paraphrase', question: '啥？', docs: [], evidence: [], facts: [], answerable: true }), [
      'an answerable question needs docs and evidence',
    ]);
    assert.deepEqual(questionProblems([1]), ['not a JSON object']);
  });
  test('evidence is matched across line breaks and full-width forms, not across other words', () => {
    assert.equal(holdsEvidence('每届任期\n一般为５年。', ['每届任期一般为5年']), true);
    assert.equal(holdsEvidence('每届任期一般为3年。', ['每届任期一般为5年']), false);
  });
});

test('the real-docs drafts never reuse an id', async () => {
  const ids = (await Promise.all(SETS.filter((s) => s.name === 'realdocs').map(both))).flatMap((h) => [...h.tuning, ...h.holdout].map((q) => q.id));
  assert.equal(new Set(ids).size, ids.length);
});

for (const set of SETS) {
  describe(`${set.name} questions (${path.basename(set.tuning)})`, async () => {
    const { tuning, holdout } = await both(set);
    const all = [...tuning, ...holdout];

    test('ids are unique across both halves and every line names its set', () => {
      assert.equal(new Set(all.map((q) => q.id)).size, all.length);
      assert.deepEqual([...new Set(all.map((q) => q.set))], [set.name]);
    });

    test('the held-out third is the seeded split, stratified by kind', () => {
      const again = splitQuestions([...all].sort((a, b) => (a.id < b.id ? -1 : 1)));
      assert.deepEqual(again.holdout.map((q) => q.id).sort(), holdout.map((q) => q.id).sort());
      for (const kind of new Set(all.map((q) => q.kind))) {
        const n = all.filter((q) => q.kind === kind).length;
        assert.equal(holdout.filter((q) => q.kind === kind).length, Math.round(n / 3), kind);
      }
    });

    const byDoc = new Map<string, SetQuestion[]>();
    for (const q of all) for (const d of q.docs) byDoc.set(d, [...(byDoc.get(d) ?? []), q]);
    for (const [doc, questions] of [...byDoc].sort()) {
      const file = path.join(set.corpus, doc);
      const skip = !existsSync(set.corpus)
        ? `${set.corpus} is not on this machine`
        : !isSupported(file)
          ? `no loader for ${path.extname(doc)} on this branch yet: ${questions.length} question(s) on ${doc} not checked`
          : false;
      test(`evidence and facts of ${questions.length} question(s) are in ${doc}`, { skip }, async () => {
        const text = (await loadDocument(file, set.corpus)).text;
        for (const q of questions) {
          // A question may name several documents; its evidence and facts must be in one of them.
          const others = q.docs.filter((d) => d !== doc);
          if (!holdsEvidence(text, q.evidence)) {
            assert.ok(others.length, `${q.id}: none of ${JSON.stringify(q.evidence)} is in ${doc}`);
            continue;
          }
          for (const fact of q.facts) {
            assert.ok(includesFigures(text, fact) || others.length, `${q.id}: fact ${fact} is not in ${doc}`);
          }
        }
      });
    }
  });
}
