// The bundled corpus is copied from one seed page (kept beside this test): these checks prove that
// nothing was invented, nothing left out, and none of the site's boilerplate slipped in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpusDir = path.join(root, 'corpus');
const seed = readFileSync(path.join(root, 'test/corpus/bundled-corpus.seed.txt'), 'utf8');
const seedLines = seed.split('\n');

/** Tiny front matter reader: `key: value` lines between `---` fences; `""` means empty. */
function parse(file: string): { meta: Record<string, string>; body: string } {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(file);
  assert.ok(m, 'front matter missing');
  const meta: Record<string, string> = {};
  for (const line of m[1]!.split('\n')) {
    const kv = /^([a-z]+): (.*)$/.exec(line);
    assert.ok(kv, `bad front matter line: ${line}`);
    meta[kv[1]!] = kv[2] === '""' ? '' : kv[2]!;
  }
  return { meta, body: file.slice(m[0].length) };
}

const docs = new Map(
  readdirSync(corpusDir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => [f.slice(0, -3), parse(readFileSync(path.join(corpusDir, f), 'utf8'))] as const),
);
const bodyLines = (body: string) => body.split('\n').filter((l) => l !== '');

test('one file per article of the seed, with the expected front matter', () => {
  assert.deepEqual([...docs.keys()].sort(), [
    'baicheng-first-secretary',
    'changchun-party-history',
    'fuyu-poverty-alleviation',
    'fuyu-three-three-method',
    'liaoyuan-five-elders',
    'lishu-five-ones',
    'lunyu-upright',
    'new-era-thought',
    'qu-xin-mediation',
    'songyuan-party-history',
    'work-points',
  ]);
  const regions: Record<string, string> = {};
  for (const [id, { meta }] of docs) {
    assert.deepEqual(Object.keys(meta).filter((k) => k !== 'region'), ['title', 'source', 'url'], id);
    assert.equal(meta.source, '新长征·党建版', id);
    assert.equal(meta.url, '', id);
    assert.ok(meta.title, id);
    if (meta.region !== undefined) regions[id] = meta.region;
  }
  assert.deepEqual(regions, {
    'baicheng-first-secretary': '白城市',
    'changchun-party-history': '长春市',
    'fuyu-poverty-alleviation': '扶余市',
    'fuyu-three-three-method': '扶余市',
    'liaoyuan-five-elders': '辽源市龙山区',
    'lishu-five-ones': '梨树县',
    'songyuan-party-history': '松原市',
  });
  // A region is taken from the text, never added: each one is written in its own document.
  for (const [id, region] of Object.entries(regions)) assert.ok(docs.get(id)!.body.includes(region), `${id}: ${region}`);
});

test('the main article keeps its title and six paragraphs', () => {
  const doc = docs.get('lishu-five-ones')!;
  assert.equal(doc.meta.title, seedLines[0]);
  const lines = doc.body.split('\n');
  assert.equal(lines[0], '');
  assert.equal(bodyLines(doc.body).length, 6);
  // One paragraph per line, a blank line between, no leading indentation.
  assert.match(doc.body, /^\n(?:[^\s][^\n]*\n\n){5}[^\s][^\n]*\n$/);
});

test('abstract titles use only characters of the abstract\'s first sentence', () => {
  for (const [id, { meta, body }] of docs) {
    if (id === 'lishu-five-ones') continue;
    const first = bodyLines(body)[0]!.split(/(?<=。”?)/)[0]!;
    for (const ch of meta.title!) assert.ok(first.includes(ch), `${id}: "${ch}" of "${meta.title}" not in "${first}"`);
  }
});

test('no site boilerplate anywhere', () => {
  for (const f of readdirSync(corpusDir)) {
    const text = readFileSync(path.join(corpusDir, f), 'utf8');
    for (const word of ['被引量', '下载到本地', '责任编辑', '其他文献', '上传用户', '论文部分内容阅读', '声明 :']) {
      assert.ok(!text.includes(word), `${f} contains ${word}`);
    }
    assert.ok(!/^期刊$/m.test(text), `${f} contains a 期刊 line`);
  }
});

test('every body line is verbatim from the seed, and every article line of the seed is used', () => {
  const used = new Set<string>();
  for (const [id, { body }] of docs) {
    for (const line of bodyLines(body)) {
      assert.ok(seedLines.some((s) => s.trimStart() === line), `${id}: line not in seed: ${line.slice(0, 30)}`);
      used.add(line);
    }
  }
  // Article lines of the seed: the main text (indented) and each abstract (followed by 期刊).
  const article = seedLines.filter(
    (s, i) => (/^ {2}\S/.test(s) && !s.includes('责任编辑')) || seedLines[i + 1] === '期刊',
  );
  assert.equal(article.length, 16);
  for (const s of article) assert.ok(used.has(s.trimStart()), `seed line unused: ${s.slice(0, 30)}`);
});

interface Question {
  id: string;
  kind: 'answerable' | 'paraphrase' | 'unanswerable' | 'malformed';
  q: string;
  doc?: string;
  answers: string[];
}

test('eval questions are well formed and their answers occur verbatim in their document', () => {
  const lines = readFileSync(path.join(root, 'eval/questions.jsonl'), 'utf8').split('\n').filter(Boolean);
  const questions = lines.map((l) => JSON.parse(l) as Question);
  const ids = questions.map((q) => q.id);
  assert.deepEqual(ids, questions.map((_, i) => `q${String(i + 1).padStart(3, '0')}`));
  const counts: Record<string, number> = {};
  const covered = new Set<string>();
  for (const q of questions) {
    counts[q.kind] = (counts[q.kind] ?? 0) + 1;
    assert.equal(typeof q.q, 'string', q.id);
    assert.ok(Array.isArray(q.answers), q.id);
    if (q.kind === 'answerable' || q.kind === 'paraphrase') {
      assert.ok(q.doc && q.answers.length > 0, q.id);
    }
    if (q.kind === 'unanswerable') assert.ok(q.doc === undefined && q.answers.length === 0, q.id);
    if (q.doc === undefined) {
      assert.deepEqual(q.answers, [], q.id);
      continue;
    }
    const doc = docs.get(q.doc);
    assert.ok(doc, `${q.id}: unknown doc ${q.doc}`);
    if (q.kind === 'answerable') covered.add(q.doc);
    for (const a of q.answers) assert.ok(doc.body.includes(a), `${q.id}: "${a}" not in ${q.doc}`);
  }
  assert.deepEqual(counts, { answerable: 31, paraphrase: 17, unanswerable: 16, malformed: 9 });
  assert.deepEqual([...covered].sort(), [...docs.keys()].sort());
});
