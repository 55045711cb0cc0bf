import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConversationQueue } from '../../src/chat/conversation-queue.ts';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

test('one task in flight per conversation, at most maxWaiting behind it', async () => {
  const errors: unknown[] = [];
  const q = new ConversationQueue({ maxWaiting: 2, onError: (e) => errors.push(e) });
  const order: string[] = [];
  const g = gate();
  const task = (name: string, wait?: Promise<void>) => async () => {
    order.push(`start ${name}`);
    await wait;
    order.push(`end ${name}`);
  };
  assert.equal(q.push('room', task('a', g.opened)), true);
  assert.equal(q.push('room', task('b')), true);
  assert.equal(q.push('room', task('c')), true);
  assert.equal(q.push('room', task('d')), false); // a in flight, b and c waiting
  assert.equal(q.push('other', task('x')), true);
  assert.equal(q.size, 4);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ['start a', 'start x', 'end x']);
  g.open();
  await q.idle();
  assert.deepEqual(order, ['start a', 'start x', 'end x', 'end a', 'start b', 'end b', 'start c', 'end c']);
  assert.equal(q.size, 0);
  assert.deepEqual(errors, []);
});

test('a failing task is reported and the next one still runs', async () => {
  const errors: string[] = [];
  const q = new ConversationQueue({ maxWaiting: 0, onError: (e) => errors.push((e as Error).message) });
  const ran: string[] = [];
  q.push('room', async () => {
    throw new Error('boom');
  });
  assert.equal(q.push('room', async () => {}), false); // maxWaiting 0: only the one in flight
  await q.idle();
  q.push('room', async () => void ran.push('after'));
  await q.idle();
  assert.deepEqual(errors, ['boom']);
  assert.deepEqual(ran, ['after']);
});
