/**
 * One way residents reach the bot. `npm start` runs the channels CHANNELS names in one process,
 * each a thin edge over its own ChatEngine and the one shared knowledge base.
 */
export type ChannelName = 'wechaty' | 'wecom' | 'mp';

export interface Channel {
  readonly name: ChannelName;
  /** Connects or listens; resolves once running, rejects with a TongxinError naming what is wrong. */
  start(): Promise<void>;
  /** Disconnects, stops pacing and flushes the question log; safe to call twice. */
  stop(): Promise<void>;
}
