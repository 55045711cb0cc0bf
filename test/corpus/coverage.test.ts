// Nothing lost: every character of every loaded document lies in the citable text of at least one
// passage, headings included; what a loader leaves out on purpose it counts under a named rule.
// Runs over the bundled corpus and every file of ../shared/real-docs (when present).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { chunkDocument } from '../../src/corpus/chunk.ts';
import { isSupported, loadDocument } from '../../src/corpus/load-document.ts';
import { BUNDLED_CORPUS, REPO_ROOT } from '../helpers/kb-fixture.ts';

const REAL_DOCS = path.resolve(REPO_ROOT, '..', 'shared', 'real-docs');
const NOT_DOCUMENTS = new Set(['README.md', 'SOURCES.tsv']);

/** Offsets of `text` outside every [start, end) range, whitespace excepted. */
function uncovered(text: string, ranges: ReadonlyArray<{ start: number; end: number }>): number[] {
  const covered = new Uint8Array(text.length);
  for (const r of ranges) covered.fill(1, r.start, r.end);
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) if (!covered[i] && !/\s/u.test(text[i]!)) out.push(i);
  return out;
}

function files(dir: string): string[] {
  return readdirSync(dir).filter((n) => !NOT_DOCUMENTS.has(n)).sort();
}

for (const [label, dir] of [['corpus', BUNDLED_CORPUS], ['real-docs', REAL_DOCS]] as const) {
  const present = existsSync(dir);
  test(`every character of every ${label} document is in a passage`, { skip: !present && `${dir} is absent` }, async () => {
    const names = files(dir);
    assert.ok(names.length > 0);
    for (const name of names) {
      if (!isSupported(name)) continue;
      const doc = await loadDocument(path.join(dir, name), dir);
      const passages = chunkDocument(doc);
      assert.ok(passages.length > 0, `${name}: no passage`);
      for (const p of passages) assert.equal(doc.text.slice(p.start, p.end), p.text, `${name}: passage text is a slice`);
      const missing = uncovered(doc.text, passages);
      assert.deepEqual(missing.slice(0, 5).map((i) => doc.text.slice(Math.max(0, i - 10), i + 10)), [], `${name}: ${missing.length} characters in no passage`);
      for (const [rule, n] of Object.entries(doc.dropped)) {
        assert.match(rule, /^[a-z]+(-[a-z]+)*$/, `${name}: rule names are kebab-case words`);
        assert.ok(Number.isInteger(n) && n > 0, `${name}: ${rule} counts ${n}`);
      }
      assert.doesNotMatch(doc.title, /^第[一二三四五六七八九十百\d]+[章节条]/u, `${name}: a chapter heading is not a title`);
    }
  });
}
