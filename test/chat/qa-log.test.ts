import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { localDate, QaLog, SALT_FILE, type QaRecord } from '../../src/chat/qa-log.ts';
import { silentLogger } from '../../src/log.ts';

test('every entry lands in the daily file with a salted hash instead of the id', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-qa-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const log = new QaLog({ dir, logger: silentLogger });
  const at = Date.parse('2026-03-01T04:00:00Z');
  log.append({
    channel: 'wechaty',
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
    channel: 'mp', askerId: 'wxid_alice', receivedAt: at + 1000, room: null, question: '天气', answer: '抱歉', refused: true,
    outcome: 'refused', mode: 'extractive', citations: [], ms: 3,
  });
  log.append({
    channel: 'wecom', askerId: 'wxid_bob', receivedAt: at + 2000, room: null, question: '党费', answer: '', refused: false,
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
    channel: 'wechaty',
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
  assert.deepEqual([second?.channel, third?.channel], ['mp', 'wecom']);
  assert.equal(second?.room, null);
  assert.equal('declined' in second!, false); // only on declined questions
  assert.deepEqual([third?.outcome, third?.declined], ['declined', 'busy']);

  // A second instance (a restart) keeps the salt, so one person keeps one hash.
  assert.equal(await new QaLog({ dir, logger: silentLogger }).hashId('wxid_alice'), hash);
});

test('the time received decides the record time and the day file, across midnight', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-qa-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const log = new QaLog({ dir, logger: silentLogger });
  // Local time: staff read the files by their own calendar.
  const late = new Date(2026, 2, 1, 23, 59, 59, 500).getTime();
  const early = new Date(2026, 2, 2, 0, 0, 0, 500).getTime();
  for (const [receivedAt, question] of [[late, '晚上的问题'], [early, '早上的问题']] as const) {
    log.append({ channel: 'wechaty', askerId: 'wxid_alice', receivedAt, room: null, question, answer: '', refused: false, outcome: 'error', mode: null, citations: [], ms: 0 });
  }
  await log.flush();
  assert.deepEqual((await readdir(dir)).sort(), ['.salt', 'qa-2026-03-01.jsonl', 'qa-2026-03-02.jsonl']);
  const read = async (day: string) => JSON.parse(await readFile(path.join(dir, `qa-${day}.jsonl`), 'utf8')) as QaRecord;
  assert.deepEqual([(await read('2026-03-01')).question, (await read('2026-03-01')).time], ['晚上的问题', new Date(late).toISOString()]);
  assert.deepEqual([(await read('2026-03-02')).question, (await read('2026-03-02')).time], ['早上的问题', new Date(early).toISOString()]);
});
