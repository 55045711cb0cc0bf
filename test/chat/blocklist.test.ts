import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadBlocklist } from '../../src/chat/blocklist.ts';
import { ConfigError } from '../../src/errors.ts';

test('words are read one a line, comments skipped, matched ignoring case and width', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-block-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'blocklist.txt');
  await writeFile(file, '\uFEFF# 注释\n违禁词\n\nBadWord\r\n');
  const list = await loadBlocklist(file);
  assert.equal(list.size, 2);
  assert.equal(list.find('这里有违禁词吗'), '违禁词');
  assert.equal(list.find('ＢＡＤＷＯＲＤ here'), 'badword');
  assert.equal(list.find('正常的问题'), undefined);
});

test('no file configured is an empty list; a missing file names the variable', async () => {
  assert.equal((await loadBlocklist(undefined)).size, 0);
  await assert.rejects(loadBlocklist('/nonexistent/blocklist.txt'), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /BOT_BLOCKLIST_FILE="\/nonexistent\/blocklist.txt" cannot be read/);
    return true;
  });
});
