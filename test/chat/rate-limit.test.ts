import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimit } from '../../src/chat/rate-limit.ts';
import { ManualClock } from './manual-clock.ts';

test('at most N a person in any rolling minute; others are not affected; the minute rolls on', async () => {
  const clock = new ManualClock(1_000_000);
  const limit = new RateLimit({ maxPerMinute: 3, clock });
  const taken: boolean[] = [];
  for (let i = 0; i < 4; i++) {
    taken.push(limit.take('alice'));
    await clock.advance(10_000);
  }
  assert.deepEqual(taken, [true, true, true, false]);
  assert.equal(limit.take('bob'), true);
  // At 40 s: the first (t=0) leaves the window at 60 s.
  await clock.advance(20_000); // t = 60 s
  assert.equal(limit.take('alice'), true);
  assert.equal(limit.take('alice'), false);
  assert.throws(() => new RateLimit({ maxPerMinute: 0, clock }), /maxPerMinute must be ≥ 1/);
});
