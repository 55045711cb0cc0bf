import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
// The package's own name, resolved through package.json `exports` as a user's program would.
import { createBot, createLogger } from 'tongxin';
import { ingest, loadConfig, openKnowledgeBase } from '../src/index.ts';
import { buildKbFixture } from './helpers/kb-fixture.ts';

test('the package entry opens a knowledge base and asks', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tongxin-api-'));
  try {
    const config = loadConfig({ env: { EMBEDDING_PROVIDER: 'none', INDEX_DIR: dir }, dotenvDir: false });
    await ingest({ corpusDir: 'corpus', indexDir: config.indexDir, config });
    const kb = await openKnowledgeBase({ config });
    const a = await kb.ask('累计发布微心愿多少个？');
    assert.equal(a.refused, false);
    assert.match(a.body, /累计发布“微心愿”6230个/);
    assert.equal(a.citations[0]!.docId, 'lishu-five-ones');
    assert.equal(kb.stats().documents, 11);
    await kb.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('createBot from the package name returns a Wechaty not yet started, which answers once started and logged in', async (t) => {
  const fixture = await buildKbFixture({
    docs: { 'meeting.md': '---\ntitle: 三会一课制度\n---\n# 三会一课\n“三会一课”是指定期召开支部党员大会、支部委员会、党小组会，按时上好党课。\n' },
  });
  const logDir = await mkdtemp(path.join(tmpdir(), 'tongxin-api-log-'));
  t.after(() => Promise.all([fixture.cleanup(), rm(logDir, { recursive: true, force: true })]));
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const bot = await createBot({
    puppet,
    indexDir: fixture.indexDir,
    env: {
      EMBEDDING_PROVIDER: 'none',
      OPENAI_BASE_URL: '',
      OPENAI_API_KEY: '',
      BOT_LOG_DIR: logDir,
      BOT_BLOCKLIST_FILE: '',
      BOT_JITTER_MS: '0',
      BOT_ROOM_INTERVAL_MS: '0',
    },
    logger: createLogger({ level: 'error', write: () => {} }),
  });
  assert.equal(bot.isLoggedIn, false);
  assert.equal(bot.state.active(), false); // built, not started
  assert.equal(bot.tongxin.config.bot.jitterMs, 0); // `env` wins over the environment

  try {
    await bot.start();
    assert.equal(bot.state.active(), true);
    const me = mocker.createContact({ name: '同心' });
    const bob = mocker.createContact({ name: 'Bob' });
    const loggedIn = new Promise<void>((resolve) => bot.once('login', () => resolve()));
    mocker.login(me);
    await loggedIn;
    assert.equal(bot.isLoggedIn, true);
    const reply = new Promise<string>((resolve) =>
      puppet.on('message', ({ messageId }) => {
        const p = mocker.cacheMessagePayload.get(messageId);
        if (p?.talkerId === me.id) resolve(p.text ?? '');
      }),
    );
    bob.say('什么是三会一课').to(me);
    const kb = await fixture.open();
    const expected = (await kb.ask('什么是三会一课')).answer;
    await kb.close();
    assert.match(expected, /定期召开支部党员大会/); // an answer from the document, not a refusal
    assert.equal(await reply, expected);
  } finally {
    await bot.stop();
  }
  assert.equal(bot.state.active(), false);
});
