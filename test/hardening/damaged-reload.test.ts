/**
 * A damaged next generation under a running bot (a real Wechaty on the mock puppet, its own
 * knowledge base, the reload poller on the manual clock): tried once by the poller, logged once,
 * the loaded index kept; staff's 重载 tries it again, and a later good generation is picked up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPLIES } from '../../src/chat/replies.ts';
import { readManifest } from '../../src/index/manifest.ts';
import { waitFor } from '../chat/manual-clock.ts';
import { MEETING_DOC, makeCorpus, startHarness } from '../channels/wechat-harness.ts';

const POLL_MS = 2_000;
const FAILED = 'knowledge base reload failed; keeping the loaded index';
const Q = '党小组会多久召开一次';

test('a damaged next generation is tried once by the poller and logged once; 重载 retries it; a later good generation is picked up', async () => {
  const corpus = await makeCorpus();
  const h = await startHarness({ indexDir: corpus.indexDir, env: { BOT_RELOAD_POLL_MS: String(POLL_MS) } });
  /** Runs the poller `n` times, each poll to its end (the poller asleep again). */
  const poll = async (n: number) => {
    for (let i = 0; i < n; i++) {
      await h.clock.advance(POLL_MS);
      await waitFor(() => h.clock.pending === 1, 'the poller asleep again');
    }
  };
  const logged = (msg: string) => h.logs.filter((l) => l.msg === msg);
  const admin = h.contact('管理员');
  /** Asks in private chat and returns the reply. */
  const ask = async (text: string) => {
    const n = h.sent.length;
    h.say(admin, text, 'bot');
    await h.waitSent(n + 1);
    return h.sent[n]!.text;
  };
  try {
    const before = await ask(Q);
    assert.match(before, /党小组会一般每月召开1次/);

    // The next generation: an ingest of a changed corpus, its passages.json then cut short (a
    // one-off failure to read it, as EMFILE or ENOMEM at the reload peak would be).
    await writeFile(path.join(corpus.corpusDir, 'meeting.md'), MEETING_DOC.replace('每月召开1次', '每两周召开1次'));
    await corpus.ingest();
    const damaged = (await readManifest(corpus.indexDir))!;
    const passages = path.join(corpus.indexDir, damaged.generation, 'passages.json');
    const good = await readFile(passages);
    await writeFile(passages, good.subarray(0, good.length >> 1));

    await poll(5);
    assert.deepEqual(
      logged(FAILED).map((l) => [l.level, (l.err as { message: string }).message.includes(passages)]),
      [['error', true]],
    );
    // 重载 tries again at once, and says so when it fails again.
    assert.equal(await ask('重载'), REPLIES.reloadFailed);

    // Tried once by the poller: repaired in place with the manifest untouched, it is not loaded.
    await writeFile(passages, good);
    await poll(5);
    assert.deepEqual(logged('knowledge base reloaded'), []);
    assert.equal(await ask(Q), before, 'answers from the index it had');
    assert.equal(logged(FAILED).length, 1);
    // Staff's 重载 does not wait for a new manifest: it loads the repaired generation.
    assert.equal(await ask('重载'), `已加载新的知识库：${damaged.documents.length} 份文件，${damaged.passages} 段。`);
    assert.match(await ask(Q), /党小组会一般每两周召开1次/);
    await poll(2);
    assert.deepEqual(h.logs.filter((l) => l.msg === 'knowledge base reloaded').map((l) => l.generation), [damaged.generation]);

    // An ingest writes a new manifest: the next poll loads it.
    await writeFile(path.join(corpus.corpusDir, 'meeting.md'), MEETING_DOC.replace('每月召开1次', '每周召开1次'));
    await corpus.ingest();
    const next = (await readManifest(corpus.indexDir))!.generation;
    await poll(1);
    assert.deepEqual(
      h.logs.filter((l) => l.msg === 'knowledge base reloaded').map((l) => l.generation),
      [damaged.generation, next, next], // then the knowledge base's line and the poller's
    );
    await poll(3);
    assert.match(await ask(Q), /党小组会一般每周召开1次/);

    // Staff need not wait for the poll: 重载 loads the next one at once and says what it holds.
    await writeFile(path.join(corpus.corpusDir, 'room.md'), '---\ntitle: 党员活动室\n---\n\n社区新开设了党员活动室，每周三开放。');
    await corpus.ingest();
    const latest = (await readManifest(corpus.indexDir))!;
    assert.equal(await ask('重载'), `已加载新的知识库：${latest.documents.length} 份文件，${latest.passages} 段。`);
    assert.equal(await ask('重载'), REPLIES.reloadUnchanged);
    assert.deepEqual(
      h.logs.filter((l) => l.level === 'error').map((l) => l.msg),
      [FAILED],
    );
  } finally {
    await h.stop();
    await corpus.cleanup();
  }
});
