/**
 * Secrets and privacy: an API key never reaches a log line, an answer or the QA log, however the
 * model server fails (even when it echoes the key back); the asker's contact id is only ever
 * written hashed; a `.env` inside the index folder is never read.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { openKnowledgeBase } from '../../src/knowledge-base.ts';
import { createLogger } from '../../src/log.ts';
import { BOT_NAME, startHarness } from '../channels/wechat-harness.ts';
import { buildKbFixture, REPO_ROOT, type KbFixture } from '../helpers/kb-fixture.ts';
import { startOpenAIChatServer, unusedBaseURL, type ChatStep, type OpenAIChatServer } from '../helpers/openai-chat-server.ts';

const KEY = 'sk-tongxin-hardening-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ';
const QUESTION = '在职党员到社区报到的比例是多少？';

/** Every way the server fails, most of them echoing the key. */
const FAILURES: ChatStep[] = [
  { status: 500, error: `internal error while handling key ${KEY}` },
  { status: 401, error: `Incorrect API key provided: ${KEY}. You can find your API key at …` },
  { status: 403, error: `Authorization: Bearer ${KEY}` },
  { status: 429, error: `rate limit for ${KEY}`, headers: { 'retry-after': KEY } },
  { status: 502, error: KEY.repeat(3) },
  { garbage: `<html><body>502 Bad Gateway (upstream said ${KEY})</body></html>`, contentType: 'text/html' },
  { garbage: `{"choices":[{"message":{"content":"${KEY}`, contentType: 'application/json' },
  { json: { error: { message: KEY }, object: KEY } },
  { json: { choices: [{ index: 0, message: { role: 'assistant', content: null }, finish_reason: KEY }] } },
  { hangMs: 5_000 },
];

let fixture: KbFixture;
let server: OpenAIChatServer;
before(async () => {
  fixture = await buildKbFixture();
  server = await startOpenAIChatServer();
  let n = 0;
  server.setDefault(() => FAILURES[n++ % FAILURES.length]!);
});
after(async () => {
  await server?.close();
  await fixture?.cleanup();
});

function assertNoKey(where: string, text: string): void {
  assert.equal(text.includes(KEY), false, `the key appears in ${where}: ${text.slice(0, 400)}`);
  // Nor a long piece of it (a server that cuts or masks only the end).
  assert.equal(text.includes(KEY.slice(3, 40)), false, `part of the key appears in ${where}`);
}

test('a failing model server that echoes the key: no log line and no answer carries it', async () => {
  const lines: string[] = [];
  // No `secrets` here: the adapters themselves must keep the key out, not only the logger.
  const logger = createLogger({ level: 'debug', format: 'json', write: (l) => lines.push(l) });
  for (const baseURL of [server.baseURL, await unusedBaseURL()]) {
    const config = loadConfig({
      env: { EMBEDDING_PROVIDER: 'none', OPENAI_API_KEY: KEY, OPENAI_BASE_URL: baseURL, LLM_TIMEOUT_MS: '300' },
      dotenvDir: false,
    });
    const kb = await openKnowledgeBase({ indexDir: fixture.indexDir, config, embedder: null, logger });
    try {
      const rounds = baseURL === server.baseURL ? FAILURES.length : 2;
      for (let i = 0; i < rounds; i++) {
        const a = await kb.ask(QUESTION);
        assert.equal(a.mode, 'extractive', 'falls back to the extractive answer');
        assert.equal(a.refused, false);
        assert.ok(a.fallbackReason, 'says why the model was not used');
        assertNoKey(`answer ${i}`, JSON.stringify(a));
      }
    } finally {
      await kb.close();
    }
  }
  // The key was really sent, and every failure was logged.
  assert.ok(server.requests.length >= FAILURES.length);
  assert.ok(server.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`));
  const warnings = lines.filter((l) => l.includes('"level":"warn"'));
  assert.ok(warnings.length >= FAILURES.length + 2, `${warnings.length} warnings`);
  for (const line of lines) assertNoKey('a log line', line);
});

test('the bot: its log lines and the QA log files carry neither the key nor the asker id', async () => {
  const h = await startHarness({
    indexDir: fixture.indexDir,
    env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.baseURL, LLM_TIMEOUT_MS: '300' },
  });
  let qa = '';
  const sentTexts: string[] = [];
  let alice = '';
  try {
    const a = h.contact('Alice');
    alice = a.id;
    const room = h.room('党员之家', [a]);
    for (let i = 0; i < FAILURES.length; i++) {
      if (i % 2) h.say(a, QUESTION, 'bot');
      else h.say(a, `@${BOT_NAME}\u2005${QUESTION}`, room);
      await h.waitSent(i + 1);
    }
    await h.bot.tongxin.engine.idle();
    await h.bot.stop(); // flushes the QA log
    sentTexts.push(...h.sent.map((s) => s.text));
    const files = (await readdir(h.logDir)).filter((f) => f.startsWith('qa-'));
    assert.equal(files.length, 1);
    qa = await readFile(path.join(h.logDir, files[0]!), 'utf8');
  } finally {
    await h.stop();
  }
  const records = qa.trim().split('\n').map((l) => JSON.parse(l) as { asker: string; question: string; outcome: string });
  assert.equal(records.length, FAILURES.length);
  assert.ok(records.every((r) => r.question === QUESTION && r.outcome === 'answered'));
  assert.ok(records.every((r) => /^[0-9a-f]{64}$/.test(r.asker) && r.asker === records[0]!.asker), 'one hashed asker');
  assert.equal(qa.includes(alice), false, 'the contact id is never written in plain text');
  assertNoKey('the QA log', qa);
  for (const text of sentTexts) assertNoKey('a reply', text);
  assert.ok(h.logs.some((l) => l.msg === 'llm request failed'), 'the failures were logged');
  for (const line of h.logs) {
    const text = JSON.stringify(line);
    assertNoKey('a bot log line', text);
    assert.equal(text.includes(alice), false, `the asker id appears in a bot log line: ${text.slice(0, 400)}`);
  }
  // Not vacuous: the lines cover every message Alice sent and every reply to her.
  assert.equal(h.logs.filter((l) => l.msg === 'message' && l.outcome === 'queued').length, FAILURES.length);
});

test('a .env inside the index folder is never read', async () => {
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'tongxin-cwd-'));
  const spy = await startOpenAIChatServer();
  spy.setDefault({ status: 500, error: 'spy' });
  try {
    await writeFile(
      path.join(fixture.indexDir, '.env'),
      `OPENAI_MODEL=from-index-dir\nOPENAI_BASE_URL=${spy.baseURL}\nOPENAI_API_KEY=${KEY}\nRETRIEVAL_TOP_K=2\n`,
    );
    // The working directory's .env is read (so the check below can tell the two apart).
    await writeFile(path.join(cwd, '.env'), 'RETRIEVAL_TOP_K=9\n');
    const config = loadConfig({ cwd, overrides: { INDEX_DIR: fixture.indexDir } });
    assert.equal(config.indexDir, fixture.indexDir);
    assert.notEqual(config.llm.model, 'from-index-dir');
    assert.equal(config.llm.model, process.env.OPENAI_MODEL?.trim() || 'deepseek-chat');
    assert.equal(config.retrieval.topK, process.env.RETRIEVAL_TOP_K ? Number(process.env.RETRIEVAL_TOP_K) : 9);

    // End to end: `npm run ask` with INDEX_DIR there, no OPENAI_* in its environment. Had it
    // read the index folder's .env it would have called the spy server.
    const env: Record<string, string | undefined> = { ...process.env, EMBEDDING_PROVIDER: 'none', INDEX_DIR: fixture.indexDir };
    for (const name of Object.keys(env)) if (name.startsWith('OPENAI_') || name.startsWith('EMBEDDING_API') || name === 'RETRIEVAL_TOP_K') delete env[name];
    env.EMBEDDING_PROVIDER = 'none';
    const r = await runAsk(cwd, env);
    assert.equal(r.code, 0, r.stderr);
    const answer = JSON.parse(r.stdout) as { mode: string; refused: boolean };
    assert.equal(answer.mode, 'extractive');
    assert.equal(answer.refused, false);
    assert.equal(spy.requests.length, 0, 'the model named in the index folder .env was never called');
    assertNoKey('ask output', r.stdout + r.stderr);

    // The same run with those lines in the working directory's .env does call it: the check is live.
    await writeFile(path.join(cwd, '.env'), `OPENAI_MODEL=from-cwd\nOPENAI_BASE_URL=${spy.baseURL}\nOPENAI_API_KEY=${KEY}\n`);
    const control = await runAsk(cwd, env);
    assert.equal(control.code, 0, control.stderr);
    assert.equal(spy.requests.length, 1);
    assert.equal(spy.requests[0]!.body.model, 'from-cwd');
    assertNoKey('ask output with a failing model', control.stdout + control.stderr);
  } finally {
    await rm(path.join(fixture.indexDir, '.env'), { force: true });
    await spy.close();
    await rm(cwd, { recursive: true, force: true });
  }
});

function runAsk(cwd: string, env: Record<string, string | undefined>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(REPO_ROOT, 'src/channels/ask-cli.ts'), '--json', QUESTION], {
    cwd,
    env: { ...env, LOG_FORMAT: 'json', LOG_LEVEL: 'debug' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
