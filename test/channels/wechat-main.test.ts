import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readManifest } from '../../src/index/manifest.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const NO_ROOMS = 'BOT_ROOMS is empty: the bot answers in no group, only in private chat; set BOT_ROOMS to group names, or * for every group';

// Without BOT_ROOMS staff are told the bot answers no group; with it, not.
for (const [signal, rooms] of [['SIGINT', ''], ['SIGTERM', '幸福社区党员群']] as const) {
  test(`npm start builds a missing index, starts, and stops cleanly on ${signal} (BOT_ROOMS=${rooms})`, async (t) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-main-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const indexDir = path.join(dir, 'index');
    const child = spawn(process.execPath, ['--import', TSX, path.join(ROOT, 'src/channels/wechat-main.ts')], {
      cwd: dir, // keeps the memory card and any .env lookup inside the temp folder
      env: {
        PATH: process.env.PATH,
        WECHATY_PUPPET: 'wechaty-puppet-mock',
        WECHATY_LOG: 'silent',
        EMBEDDING_PROVIDER: 'none',
        CORPUS_DIR: path.join(ROOT, 'corpus'),
        INDEX_DIR: indexDir,
        BOT_LOG_DIR: path.join(dir, 'logs'),
        LOG_FORMAT: 'json',
        BOT_ROOMS: rooms,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Array<{ msg: string; signal?: string }> = [];
    let buffer = '';
    const started = new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (line.startsWith('{')) lines.push(JSON.parse(line));
          if (line.includes('"bot started"')) setImmediate(resolve); // after the line that may follow it
        }
      });
      child.on('exit', (code) => reject(new Error(`exited early with ${code}: ${buffer}`)));
    });
    await started;
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill(signal);
    assert.equal(await exited, 0);
    assert.deepEqual(
      lines.map((l) => l.msg),
      [
        'no knowledge base yet: building it from the corpus',
        'knowledge base built',
        'knowledge base loaded',
        'bot started',
        ...(rooms ? [] : [NO_ROOMS]),
        'stopping',
        'stopped',
      ],
    );
    assert.equal(lines.find((l) => l.msg === 'stopping')?.signal, signal);
    assert.ok(await readManifest(indexDir));
  });
}
