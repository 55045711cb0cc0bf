/**
 * The real WeCom channel (the real @wecom/aibot-node-sdk inside) against the loopback server,
 * over the real knowledge base, with a manual clock for the engine's pacing and the holding
 * frame's timer. The SDK's own timers (heartbeat, reconnect backoff) run in real time, shortened.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Asker } from '../../../src/answer/types.ts';
import { createWecomChannel, type WecomChannel, type WecomTiming } from '../../../src/channels/wecom/wecom-channel.ts';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/log.ts';
import { ManualClock, settle, waitFor } from '../../chat/manual-clock.ts';
import { LEXICAL_ENV } from '../wechat-harness.ts';
import { WecomServer, type ReceivedFrame } from './wecom-server.ts';

export type LogLine = { level: string; msg: string; [k: string]: unknown };

export interface WecomHarness {
  server: WecomServer;
  channel: WecomChannel;
  clock: ManualClock;
  logs: LogLine[];
  logDir: string;
  /** Log lines with this message. */
  lines(msg: string): LogLine[];
  /**
   * Waits for the finishing frame (finish=true) of a callback, moving the manual clock on in
   * half-second steps (10 ms of real time each) while the pacer holds it; returns every reply frame for it.
   */
  answered(reqId: string, finals?: number): Promise<ReceivedFrame[]>;
  stop(): Promise<void>;
}

/** Shared with the other channels' tests. */
export { useKnowledgeBase } from '../wechat-harness.ts';

export const FAST: WecomTiming = { reconnectBaseMs: 20, heartbeatMs: 60_000, maxAuthFailures: 2, startTimeoutMs: 5_000 };

export async function startWecom(options: { asker: Asker; env?: Record<string, string>; timing?: WecomTiming; connect?: boolean; server?: WecomServer }): Promise<WecomHarness> {
  const server = options.server ?? (await WecomServer.start());
  const logDir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-wecomlog-'));
  const clock = new ManualClock();
  server.clock = () => clock.now();
  const logs: LogLine[] = [];
  const config = loadConfig({
    env: {
      ...LEXICAL_ENV,
      WECOM_BOT_ID: server.botId,
      WECOM_BOT_SECRET: server.secret,
      WECOM_WS_URL: server.url,
      BOT_LOG_DIR: logDir,
      BOT_COOLDOWN_MS: '0',
      BOT_QUEUE_SIZE: '5',
      BOT_RELOAD_POLL_MS: '3600000',
      ...options.env,
    },
    dotenvDir: false,
  });
  const logger = createLogger({ level: 'debug', format: 'json', write: (l) => logs.push(JSON.parse(l)), secrets: [config.wecom.botSecret!] });
  const channel = await createWecomChannel({ config, asker: options.asker, logger, clock, timing: options.timing ?? FAST });
  const h: WecomHarness = {
    server,
    channel,
    clock,
    logs,
    logDir,
    lines: (msg) => logs.filter((l) => l.msg === msg),
    answered: async (reqId, finals = 1) => {
      const done = () => server.replies(reqId).filter((f) => f.body?.stream?.finish === true).length >= finals;
      // Real time for the socket between steps; manual time for the pacer, at most 50 s of it.
      for (let step = 0; !done() && step < 100; step++) {
        await new Promise((r) => setTimeout(r, 10));
        if (!done()) await clock.advance(500);
      }
      await waitFor(done, `final reply to ${reqId}`);
      return server.replies(reqId);
    },
    stop: async () => {
      await channel.stop();
      await settle();
      await server.close();
      await rm(logDir, { recursive: true, force: true });
    },
  };
  if (options.connect !== false) {
    await channel.start();
    await server.waitAuthenticated(server.connections);
  }
  return h;
}

/** A group message that @-mentions the bot, as WeCom pushes it. */
export function groupText(userid: string, content: string, chatid = 'wrkgrp-1'): Record<string, unknown> {
  return { chatid, chattype: 'group', from: { userid }, msgtype: 'text', text: { content } };
}

/** A private (single) chat message. */
export function privateText(userid: string, content: string): Record<string, unknown> {
  return { chattype: 'single', from: { userid }, msgtype: 'text', text: { content } };
}
