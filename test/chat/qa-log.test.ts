import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { localDate, QaLog, SALT_FILE, type QaRecord } from '../../src/chat/qa-log.ts';
import { silentLogger } from '../../src/log.ts';
import { ManualClock } from './manual-clock.ts';

test('every entry lands in the daily file with a salted hash instead of the id', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-qa-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const clock = new ManualClock(Date.parse('2026-03-01T04:00:00Z'));
  const log = new QaLog({ dir, logger: silentLogger, clock });
  const at = clock.now();
  log.append({
    askerId: 'wxid_alice',
    receivedAt: at,
    room: { id: 'r1@chatroom', topic: '党员之家' },
    question: '什么是三会一课',
    answer: '“三会一课”是指……[1]',
    refused: false,
    outcome: 'answered',
    mode: 'extractive',
    citations: [{ docId: 'meeting', title: '三会一课制度' }],
    ms: 12,
  });
  log.append({
    askerId: 'wxid_alice', receivedAt: at + 1000, room: null, question: '天气', answer: '抱歉', refused: true,
    outcome: 'refused', mode: 'extractive', citations: [], ms: 3,
  });
  log.append({
    askerId: 'wxid_bob', receivedAt: at + 2000, room: null, question: '党费', answer: '', refused: false,
    outcome: 'declined', mode: null, citations: [], ms: 0, declined: 'busy',
  });
  await log.flush();

  const salt = (await readFile(path.join(dir, SALT_FILE), 'utf8')).trim();
  assert.match(salt, /^[0-9a-f]{32}$/);
  assert.equal((await stat(path.join(dir, SALT_FILE))).mode & 0o777, 0o600);
  const file = `qa-${localDate(at)}.jsonl`;
  assert.deepEqual((await readdir(dir)).sort(), [SALT_FILE, file].sort());
  const text = await readFile(path.join(dir, file), 'utf8');
  assert.equal(text.includes('wxid_alice'), false);
  const [first, second, third] = text.trim().split('\n').map((l) => JSON.parse(l) as QaRecord);
  const hash = createHash('sha256').update(`${salt}:wxid_alice`).digest('hex');
  assert.deepEqual(first, {
    time: '2026-03-01T04:00:00.000Z',
    room: { id: 'r1@chatroom', topic: '党员之家' },
    asker: hash,
    question: '什么是三会一课',
    answer: '“三会一课”是指……[1]',
    refused: false,
    outcome: 'answered',
    mode: 'extractive',
    citations: [{ docId: 'meeting', title: '三会一课制度' }],
    ms: 12,
  });
  assert.equal(second?.asker, hash);
  assert.equal(second?.room, null);
  assert.equal('declined' in second!, false); // only on declined questions
  assert.deepEqual([third?.outcome, third?.declined], ['declined', 'busy']);

  // A second instance (a restart) keeps the salt, so one person keeps one hash.
  assert.equal(await new QaLog({ dir, logger: silentLogger, clock }).hashId('wxid_alice'), hash);
});
