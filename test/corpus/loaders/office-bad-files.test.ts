import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript } from '../../helpers/run-script.ts';

const fixture = (name: string) => join(import.meta.dirname, '..', '..', 'fixtures', 'docs', name);

test('ingest: damaged, encrypted and misnamed .doc/.wps/.pptx/.ofd are skipped with their reasons, the rest is read', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tongxin-office-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const corpus = join(dir, 'corpus');
  await mkdir(corpus);
  await writeFile(join(corpus, 'open.md'), '# 须知\n\n党员报到须知。');
  for (const name of ['notice.ofd', 'slides.pptx', 'office.doc', 'damaged.doc', 'encrypted.doc', 'kingsoft-old.wps', 'damaged.pptx', 'damaged.ofd', 'no-entry.ofd']) {
    await copyFile(fixture(name), join(corpus, name));
  }
  const r = await runScript('scripts/ingest.ts', ['--corpus', corpus, '--index', join(dir, 'index'), '--json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.equal(report.docs, 4);
  const skipped = [...report.skipped].sort((a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path));
  assert.deepEqual(skipped, [
    { path: 'damaged.doc', reason: 'corrupt Word 97-2003 file (cannot be read)' },
    { path: 'damaged.ofd', reason: 'corrupt ofd (not a readable zip)' },
    { path: 'damaged.pptx', reason: 'corrupt pptx (not a readable zip)' },
    { path: 'encrypted.doc', reason: 'password-protected Word document (remove the password and save again)' },
    { path: 'kingsoft-old.wps', reason: 'not Word 97-2003 (an old Kingsoft WPS format?) with a .wps name; open it in WPS or Word and save it as .docx' },
    { path: 'no-entry.ofd', reason: 'not an OFD file (a zip without OFD.xml)' },
  ]);
});
