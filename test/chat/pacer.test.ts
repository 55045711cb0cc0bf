import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pacer } from '../../src/chat/pacer.ts';
import { ManualClock } from './manual-clock.ts';

function setup(o: { roomIntervalMs?: number; maxPerMinute?: number; jitterMs?: number; random?: () => number }) {
  const clock = new ManualClock(1_000_000);
  const pacer = new Pacer({
    roomIntervalMs: o.roomIntervalMs ?? 0,
    maxPerMinute: o.maxPerMinute ?? 1000,
    jitterMs: o.jitterMs ?? 0,
    clock,
    ...(o.random ? { random: o.random } : {}),
  });
  const log: Array<[string, number]> = [];
  const send = (label: string) => async () => {
    log.push([label, clock.now() - 1_000_000]);
  };
  return { clock, pacer, log, send };
}

test('messages to one room are spaced by the room interval; other rooms are independent', async () => {
  const { clock, pacer, log, send } = setup({ roomIntervalMs: 1000 });
  const done = Promise.all([
    pacer.send('A', [send('a1')]),
    pacer.send('A', [send('a2')]),
    pacer.send('A', [send('a3')]),
    pacer.send('B', [send('b1')]),
  ]);
  await clock.advance(999);
  assert.deepEqual(log, [['a1', 0], ['b1', 0]]);
  await clock.advance(1001);
  await done;
  assert.deepEqual(log, [['a1', 0], ['b1', 0], ['a2', 1000], ['a3', 2000]]);
});

test('the global cap holds across rooms within any minute', async () => {
  const { clock, pacer, log, send } = setup({ maxPerMinute: 2 });
  const done = Promise.all(['A', 'B', 'C'].map((room) => pacer.send(room, [send(room)])));
  await clock.advance(59_999);
  assert.deepEqual(log, [['A', 0], ['B', 0]]);
  await clock.advance(1);
  await done;
  assert.deepEqual(log, [['A', 0], ['B', 0], ['C', 60_000]]);
});

test('jitter delays each message by random × (jitterMs + 1), floored', async () => {
  const { clock, pacer, log, send } = setup({ jitterMs: 800, random: () => 0.5 });
  const done = pacer.send('A', [send('a1'), send('a2')]);
  await clock.advance(1000);
  await done;
  assert.deepEqual(log, [['a1', 400], ['a2', 800]]);
});

test('a batch is never interleaved with a later one, and a failure skips only its own batch', async () => {
  const { clock, pacer, log, send } = setup({ roomIntervalMs: 10 });
  const failing = pacer.send('A', [send('x1'), async () => { throw new Error('network'); }, send('x3')]);
  const next = pacer.send('A', [send('y1')]);
  const result = Promise.allSettled([failing, next]);
  await clock.advance(100);
  const [f, n] = await result;
  assert.equal(f.status, 'rejected');
  assert.equal(n.status, 'fulfilled');
  assert.deepEqual(log, [['x1', 0], ['y1', 20]]);
  assert.equal(pacer.busy, 0);
});
