import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Channel, ChannelName } from '../../src/channels/channel.ts';
import { ChannelRunner } from '../../src/channels/channel-runner.ts';
import { ConfigError, TongxinError } from '../../src/errors.ts';
import { createLogger } from '../../src/log.ts';
import { ManualClock } from '../chat/manual-clock.ts';

/** A channel whose starts fail with the given errors in turn, then succeed. */
class ScriptedChannel implements Channel {
  starts = 0;
  stops = 0;
  constructor(
    readonly name: ChannelName,
    private readonly failures: Error[],
  ) {}
  async start(): Promise<void> {
    const err = this.failures[this.starts++];
    if (err) throw err;
  }
  async stop(): Promise<void> {
    this.stops += 1;
  }
}

test('start failures are retried with a doubling pause up to the cap; a ConfigError is not; stop ends retries', async () => {
  const clock = new ManualClock(0);
  const logs: Array<{ msg: string; channel?: string; retryInMs?: number }> = [];
  const logger = createLogger({ level: 'debug', format: 'json', write: (l) => logs.push(JSON.parse(l)) });
  const down = () => new TongxinError('BAD_INPUT', 'network down');
  const wechaty = new ScriptedChannel('wechaty', []);
  const wecom = new ScriptedChannel('wecom', [down(), down(), down(), down()]);
  const mp = new ScriptedChannel('mp', [new ConfigError('MP_TOKEN is not set')]);
  const runner = new ChannelRunner([wechaty, wecom, mp], { logger, clock, firstRetryMs: 1_000, maxRetryMs: 4_000 });
  await runner.start();
  assert.deepEqual(runner.states, { wechaty: 'running', wecom: 'retrying', mp: 'failed' });
  await clock.advance(1_000 + 2_000 + 4_000 + 4_000);
  assert.deepEqual(runner.states, { wechaty: 'running', wecom: 'running', mp: 'failed' });
  assert.equal(wecom.starts, 5);
  assert.equal(mp.starts, 1);
  assert.deepEqual(
    logs.filter((l) => l.channel === 'wecom' && l.retryInMs !== undefined).map((l) => l.retryInMs),
    [1_000, 2_000, 4_000, 4_000],
  );
  assert.ok(logs.some((l) => l.msg === 'channel cannot start: fix its settings and restart' && l.channel === 'mp'));
  await runner.stop();
  assert.deepEqual([wechaty.stops, wecom.stops, mp.stops], [1, 1, 1]);

  // Stopped while waiting to retry: no further start.
  const flaky = new ScriptedChannel('mp', [down(), down()]);
  const second = new ChannelRunner([flaky], { logger, clock, firstRetryMs: 1_000 });
  await second.start();
  await second.stop();
  await clock.advance(10_000);
  assert.equal(flaky.starts, 1);
  assert.deepEqual(second.states, { mp: 'stopped' });
});
