import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { MP_REPLIES } from '../../../src/channels/mp/mp-replies.ts';
import { mpSignature } from '../../../src/channels/mp/mp-crypto.ts';
import { useKnowledgeBase } from '../wechat-harness.ts';
import { startMp } from './mp-harness.ts';

const knowledgeBase = useKnowledgeBase();

/** Whole questions (none reads as a follow-up), so each reply is the core's answer to it alone. */
const BURST_QUESTIONS = [
  '什么是三会一课',
  '支部党员大会多久召开一次',
  '第一书记在村里发挥什么作用',
  '扶余市的三三工作法是什么',
  '辽源市五老群体做了哪些事',
  '五个一城市党建同心圆是什么',
  '长春市党史工作有哪些成果',
  '松原市党史著作体系包括什么',
  '两下沉一精准扶贫机制是什么',
  '新时代中国特色社会主义思想的核心内容',
];
const RESIDENTS = 50;
const ROUNDS = 10;

// 500 messages in about two seconds: every 200 ms each of 50 followers sends their next
// question, in safe mode. Every 10th message is also retried by WeChat, and a forged push
// rides along with every round; none of those may reach the engine.
test('a 500-message burst from 50 followers: each answered once, in time, nothing else reaches the engine', async () => {
  const kb = knowledgeBase();
  const h = await startMp({ asker: kb, mode: 'safe' });
  try {
    const expected = new Map<string, string>();
    for (const q of BURST_QUESTIONS) expected.set(q, (await kb.ask(q)).answer);

    const results: Array<{ resident: number; q: string; content: string | undefined; ms: number; retry: boolean }> = [];
    const forged: number[] = [];
    const inFlight: Array<Promise<void>> = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (let r = 0; r < RESIDENTS; r++) {
        const q = BURST_QUESTIONS[(round + r) % BURST_QUESTIONS.length]!;
        const push = { from: `oResident${String(r).padStart(3, '0')}`, content: q, msgId: String(7_100_000_000 + round * 1000 + r) };
        const send = async (retry: boolean) => {
          const start = performance.now();
          const reply = await h.wechat.push(push, { mode: 'safe' });
          results.push({ resident: r, q, content: reply.fields?.Content, ms: performance.now() - start, retry });
        };
        inFlight.push(send(false));
        if ((round * RESIDENTS + r) % 10 === 0) inFlight.push(delay(20).then(() => send(true)));
      }
      const ts = String(Math.floor(Date.now() / 1000));
      inFlight.push(
        h.wechat
          .push({ from: 'oForger', content: '伪造的问题', msgId: String(7_200_000 + round) }, { mode: 'safe', query: { signature: mpSignature('guess', ts, '1') } })
          .then((r) => void forged.push(r.status)),
      );
      await delay(200);
    }
    await Promise.all(inFlight);

    const firsts = results.filter((r) => !r.retry);
    assert.equal(firsts.length, RESIDENTS * ROUNDS);
    assert.equal(results.length, RESIDENTS * ROUNDS + (RESIDENTS * ROUNDS) / 10);
    // Every reply is the core's answer to that question: none late, declined or mixed up.
    const wrong = results.filter((r) => r.content !== expected.get(r.q));
    assert.deepEqual(wrong.map((r) => [r.resident, r.q, r.content === MP_REPLIES.late ? 'late' : r.content?.slice(0, 20)]), []);
    assert.deepEqual(forged, Array(ROUNDS).fill(403));
    // One engine call per genuine message: retries shared theirs, forgeries got none.
    assert.equal(h.asker.calls.length, RESIDENTS * ROUNDS);
    assert.deepEqual(
      h.asker.calls.map(([q]) => q).sort(),
      firsts.map((r) => r.q).sort(),
    );

    const ms = firsts.map((r) => r.ms).sort((a, b) => a - b);
    const at = (p: number) => ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)]!;
    // Timings are reported, not asserted (the 4.5 s bound is the server's own deadline above).
    process.stderr.write(`mp burst passive-reply latency: p50 ${at(50).toFixed(1)} ms, p90 ${at(90).toFixed(1)} ms, p99 ${at(99).toFixed(1)} ms, max ${ms[ms.length - 1]!.toFixed(1)} ms\n`);
  } finally {
    await h.stop();
  }
});
