import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer, Asker, KnowledgeBaseStats } from '../../src/answer/types.ts';
import { ReloadPoller } from '../../src/chat/reload-poller.ts';
import { createLogger } from '../../src/log.ts';
import { ManualClock } from './manual-clock.ts';

/** A real Asker whose reload() follows a script: swapped, unchanged, or failing. */
class ScriptedReloadAsker implements Asker {
  calls = 0;
  constructor(private readonly script: Array<boolean | Error>) {}
  async ask(): Promise<Answer> {
    throw new Error('not used');
  }
  stats(): KnowledgeBaseStats {
    return { documents: 1, passages: 2, dense: false, embeddingModel: null, builtAt: 't', generation: `g${this.calls}` };
  }
  async reload(): Promise<boolean> {
    const step = this.script[this.calls++];
    if (step instanceof Error) throw step;
    return step ?? false;
  }
}

test('polls every interval; a failed reload is logged and polling goes on; stop ends it', async () => {
  const clock = new ManualClock(0);
  const lines: string[] = [];
  const logger = createLogger({ format: 'json', write: (l) => lines.push(l) });
  const asker = new ScriptedReloadAsker([false, new Error('manifest unreadable'), true]);
  const poller = new ReloadPoller({ asker, intervalMs: 1000, clock, logger });
  poller.start();
  await clock.advance(999);
  assert.equal(asker.calls, 0);
  await clock.advance(1);
  assert.equal(asker.calls, 1);
  await clock.advance(2000);
  assert.equal(asker.calls, 3);
  const msgs = lines.map((l) => JSON.parse(l) as { level: string; msg: string; err?: { message: string } });
  assert.deepEqual(
    msgs.map((m) => [m.level, m.msg]),
    [
      ['error', 'knowledge base reload failed; keeping the loaded index'],
      ['info', 'knowledge base reloaded'],
    ],
  );
  assert.equal(msgs[0]?.err?.message, 'manifest unreadable');
  await poller.stop();
  assert.equal(poller.running, false);
  assert.equal(clock.pending, 0);
  await clock.advance(5000);
  assert.equal(asker.calls, 3);
});

test('the same failure poll after poll is logged once; a new one is logged, and again after a good reload', async () => {
  const clock = new ManualClock(0);
  const lines: string[] = [];
  const logger = createLogger({ format: 'json', write: (l) => lines.push(l) });
  const damaged = () => new Error('gen-2/passages.json is damaged');
  const asker = new ScriptedReloadAsker([damaged(), damaged(), damaged(), new Error('gen-3 is damaged'), false, damaged(), true]);
  const poller = new ReloadPoller({ asker, intervalMs: 1000, clock, logger });
  poller.start();
  await clock.advance(7000);
  await poller.stop();
  assert.equal(asker.calls, 7);
  const msgs = lines.map((l) => JSON.parse(l) as { level: string; msg: string; err?: { message: string } });
  assert.deepEqual(
    msgs.map((m) => [m.level, m.msg, m.err?.message]),
    [
      ['error', 'knowledge base reload failed; keeping the loaded index', 'gen-2/passages.json is damaged'],
      ['error', 'knowledge base reload failed; keeping the loaded index', 'gen-3 is damaged'],
      ['error', 'knowledge base reload failed; keeping the loaded index', 'gen-2/passages.json is damaged'],
      ['info', 'knowledge base reloaded', undefined],
    ],
  );
});
