import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cooldown } from '../../src/chat/cooldown.ts';
import { LruCache } from '../../src/chat/lru-cache.ts';
import { ManualClock } from './manual-clock.ts';

test('a pause holds one track of one person, and ends exactly after BOT_COOLDOWN_MS', async () => {
  const clock = new ManualClock(0);
  const c = new Cooldown({ ms: 10_000, clock });
  assert.equal(c.ready('p', 'question'), true);
  c.record('p', 'question');
  await clock.advance(9_999);
  assert.equal(c.ready('p', 'question'), false);
  // The other tracks and other people are not held.
  assert.equal(c.ready('p', 'command'), true);
  assert.equal(c.ready('p', 'decline'), true);
  assert.equal(c.ready('q', 'question'), true);
  c.record('p', 'decline');
  await clock.advance(1);
  assert.equal(c.ready('p', 'question'), true);
  assert.equal(c.ready('p', 'decline'), false);
  await clock.advance(9_998);
  assert.equal(c.ready('p', 'decline'), false);
  await clock.advance(1);
  assert.equal(c.ready('p', 'decline'), true);
});

test('a zero cooldown never holds anyone back', () => {
  const c = new Cooldown({ ms: 0, clock: new ManualClock(0) });
  c.record('p', 'question');
  c.record('p', 'decline');
  assert.equal(c.ready('p', 'question'), true);
  assert.equal(c.ready('p', 'decline'), true);
});

test('the LRU cache stays within capacity and expires entries', async () => {
  const clock = new ManualClock(0);
  const cache = new LruCache<string, number>({ capacity: 2, ttlMs: 100, clock });
  cache.set('a', 1);
  cache.set('b', 2);
  assert.equal(cache.get('a'), 1); // a is now the most recent
  cache.set('c', 3); // evicts b
  assert.equal(cache.size, 2);
  assert.equal(cache.get('b'), undefined);
  assert.equal(cache.get('c'), 3);
  await clock.advance(101);
  assert.equal(cache.get('a'), undefined);
  assert.equal(cache.has('c'), false);
  assert.equal(cache.size, 0);
});
