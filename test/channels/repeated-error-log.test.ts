import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repeatedErrorLog } from '../../src/channels/repeated-error-log.ts';
import { createLogger } from '../../src/log.ts';
import { ManualClock } from '../chat/manual-clock.ts';

function setup() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ format: 'json', write: (l) => lines.push(JSON.parse(l)) });
  const clock = new ManualClock(0);
  return { lines, clock, log: repeatedErrorLog(logger, 'wechaty error', clock, 60_000) };
}

test('the same error within a minute is logged once; the next one after it carries the count', async () => {
  const { lines, clock, log } = setup();
  const offline = new Error('getaddrinfo ENOTFOUND login.wx.qq.com');
  for (let i = 0; i < 115; i++) {
    log(offline);
    await clock.advance(300);
  }
  // 115 errors over 34.5 s: one line.
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.msg, 'wechaty error');
  assert.equal((lines[0]!.err as { message: string }).message, 'getaddrinfo ENOTFOUND login.wx.qq.com');
  assert.match(String(lines[0]!.hint), /cannot reach the WeChat servers/);
  assert.equal(lines[0]!.repeatedSinceLastLine, undefined);
  await clock.advance(60_000);
  log(offline);
  assert.equal(lines.length, 2);
  assert.equal(lines[1]!.repeatedSinceLastLine, 114);
});

test('different errors are each logged; one that is not about the network has no hint', () => {
  const { lines, log } = setup();
  log(new Error('getaddrinfo ENOTFOUND login.wx.qq.com'));
  log(new TypeError("Cannot read properties of undefined (reading 'start')"));
  log(new TypeError("Cannot read properties of undefined (reading 'start')"));
  log('a plain string');
  assert.deepEqual(
    lines.map((l) => [(l.err as { message?: string }).message ?? l.err, l.hint === undefined]),
    [
      ['getaddrinfo ENOTFOUND login.wx.qq.com', false],
      ["Cannot read properties of undefined (reading 'start')", true],
      ['a plain string', true],
    ],
  );
});
