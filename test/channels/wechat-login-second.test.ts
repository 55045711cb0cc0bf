import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settle } from '../chat/manual-clock.ts';
import { BOT_NAME, startHarness, useKnowledgeBase, withoutMention } from './wechat-harness.ts';

const knowledgeBase = useKnowledgeBase();

// WeChat times messages in whole seconds (the puppet payload's timestamp is seconds), while the
// login is timed in ms: a question sent in the login's own second used to be dropped as backlog.
test('a question sent in the same second as the login is answered; one from the second before is backlog', async () => {
  const kb = knowledgeBase();
  const h = await startHarness({ asker: kb });
  try {
    const alice = h.contact('Alice');
    const room = h.room('党员之家', [alice]);
    // The manual clock has not moved since the login: its time is the login's, in ms.
    const loginSecond = Math.floor(h.clock.now() / 1000);
    const ask = (id: string, seconds: number, q: string) =>
      h.deliver({ id, talkerId: alice.id, roomId: room.id, text: `@${BOT_NAME}\u2005${q}`, timestamp: seconds, mentionIdList: [h.me.id] });
    ask('backlog-second', loginSecond - 1, '党费怎么交');
    ask('login-second', loginSecond, '什么是三会一课');
    await h.waitSent(1);
    await h.bot.tongxin.engine.idle();
    await settle();
    assert.deepEqual(h.sentTo(room.id).map((t) => withoutMention(t, 'Alice')), [(await kb.ask('什么是三会一课')).answer]);
    const outcomes = h.logs.filter((l) => l.msg === 'message').map((l) => [l.messageId, l.outcome]);
    assert.deepEqual(
      outcomes.filter(([id]) => id === 'backlog-second' || id === 'login-second'),
      [['backlog-second', 'ignored:before-login'], ['login-second', 'queued']],
    );
  } finally {
    await h.stop();
  }
});
