import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig } from '../../src/config.ts';
import { readManifest } from '../../src/index/manifest.ts';
import { openKnowledgeBase } from '../../src/knowledge-base.ts';
import { WeChatPush, TOKEN, MP_PATH } from './mp/wechat-push.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const NO_ROOMS = 'BOT_ROOMS is empty: the bot answers in no group, only in private chat; set BOT_ROOMS to group names, or * for every group';

interface Line {
  msg: string;
  signal?: string;
  channel?: string;
  port?: number;
}

/** `npm start`'s entry point in a child process, in a temp folder; resolves when `until` is logged. */
async function spawnStart(dir: string, env: Record<string, string>, until: string) {
  const child = spawn(process.execPath, ['--import', TSX, path.join(ROOT, 'src/channels/start-main.ts')], {
    cwd: dir, // keeps the memory card and any .env lookup inside the temp folder
    env: {
      PATH: process.env.PATH,
      WECHATY_PUPPET: 'wechaty-puppet-mock',
      WECHATY_LOG: 'silent',
      EMBEDDING_PROVIDER: 'none',
      CORPUS_DIR: path.join(ROOT, 'corpus'),
      INDEX_DIR: path.join(dir, 'index'),
      BOT_LOG_DIR: path.join(dir, 'logs'),
      LOG_FORMAT: 'json',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Line[] = [];
  let buffer = '';
  let text = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      text += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('{')) lines.push(JSON.parse(line));
        if (line.includes(`"${until}"`)) setImmediate(resolve); // after the line that may follow it
      }
    });
    void exited.then((code) => reject(new Error(`exited early with ${code}: ${text}`)));
  });
  return { child, lines, started, exited, stderr: () => text };
}

// Without BOT_ROOMS staff are told the bot answers no group; with it, not.
for (const [signal, rooms] of [['SIGINT', ''], ['SIGTERM', '幸福社区党员群']] as const) {
  test(`npm start builds a missing index, starts, and stops cleanly on ${signal} (BOT_ROOMS=${rooms})`, async (t) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-main-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const run = await spawnStart(dir, { BOT_ROOMS: rooms }, 'channels started');
    await run.started;
    run.child.kill(signal);
    assert.equal(await run.exited, 0);
    assert.deepEqual(
      run.lines.map((l) => l.msg),
      [
        'no knowledge base yet: building it from the corpus',
        'knowledge base built',
        'knowledge base loaded',
        'bot started',
        ...(rooms ? [] : [NO_ROOMS]),
        'channel started',
        'channels started',
        'stopping',
        'stopped',
      ],
    );
    assert.equal(run.lines.find((l) => l.msg === 'stopping')?.signal, signal);
    assert.ok(await readManifest(path.join(dir, 'index')));
  });
}

test('CHANNELS=wechaty,mp runs both in one process; the 公众号 answers over HTTP; SIGTERM stops both', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-main-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const run = await spawnStart(dir, { CHANNELS: 'wechaty,mp', MP_TOKEN: TOKEN, MP_PORT: '0', MP_PATH, BOT_ROOMS: '*' }, 'channels started');
  await run.started;
  const port = run.lines.find((l) => l.msg === '公众号 callback listening')!.port!;
  const wechat = new WeChatPush(port);
  t.after(() => wechat.close());
  assert.deepEqual(await wechat.verify('20261202'), { status: 200, body: '20261202' });
  const reply = await wechat.push({ from: 'oFollower', content: '什么是第一书记', msgId: '1234567890123456789' }, { mode: 'plaintext' });
  assert.equal(reply.fields?.ToUserName, 'oFollower');
  run.child.kill('SIGTERM');
  assert.equal(await run.exited, 0);
  // The index the child built answers the same in this process.
  const config = loadConfig({ env: { EMBEDDING_PROVIDER: 'none' }, dotenvDir: false });
  const kb = await openKnowledgeBase({ indexDir: path.join(dir, 'index'), config, embedder: null, chatModel: null });
  t.after(() => kb.close());
  assert.equal(reply.fields?.Content, (await kb.ask('什么是第一书记')).answer);
  assert.deepEqual(run.lines.filter((l) => l.msg === 'channel started').map((l) => l.channel).sort(), ['mp', 'wechaty']);
  assert.deepEqual(run.lines.slice(-2).map((l) => l.msg), ['stopping', 'stopped']);
});

test('a chosen channel without its credentials stops start-up naming the variable, before any ingest', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-main-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  for (const [env, message] of [
    [{ CHANNELS: 'wechaty,mp' }, 'MP_TOKEN is not set, and the mp channel needs it'],
    [{ CHANNELS: 'mp', MP_TOKEN: 't', MP_ENCODING_AES_KEY: 'short' }, 'MP_ENCODING_AES_KEY must be the 43 letters and digits'],
    [{ CHANNELS: 'wecom' }, 'WECOM_BOT_ID and WECOM_BOT_SECRET are not set'],
    [{ CHANNELS: 'wechat' }, 'CHANNELS: "wechat" is not one of wechaty, wecom, mp (default wechaty)'],
  ] as const) {
    const run = await spawnStart(dir, env, 'never');
    run.started.catch(() => {});
    assert.equal(await run.exited, 1);
    assert.ok(run.stderr().includes(message), run.stderr());
  }
  await assert.rejects(stat(path.join(dir, 'index')), { code: 'ENOENT' });
});
