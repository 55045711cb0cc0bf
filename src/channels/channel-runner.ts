/**
 * Runs several channels in one process: each is started on its own, and one whose start fails
 * (a port in use, the network down, a puppet that cannot log in) is logged and tried again with
 * a growing pause while the others keep answering. A ConfigError is not retried: the same
 * settings would fail the same way, so it is logged with its fix and that channel stays down.
 */
import type { Clock } from '../chat/clock.ts';
import { systemClock } from '../chat/clock.ts';
import { ConfigError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Channel, ChannelName } from './channel.ts';

export type ChannelState = 'starting' | 'running' | 'retrying' | 'failed' | 'stopped';

export interface ChannelRunnerOptions {
  logger: Logger;
  clock?: Clock;
  /** First pause before a retry; doubled each time up to `maxRetryMs`. Default 1 s. */
  firstRetryMs?: number;
  /** Longest pause between two tries. Default 60 s. */
  maxRetryMs?: number;
}

export class ChannelRunner {
  readonly #channels: Channel[];
  readonly #o: Required<ChannelRunnerOptions>;
  readonly #state = new Map<ChannelName, ChannelState>();
  readonly #abort = new AbortController();
  readonly #loops: Array<Promise<void>> = [];
  #stopping: Promise<void> | undefined;

  constructor(channels: Channel[], options: ChannelRunnerOptions) {
    this.#channels = channels;
    this.#o = { clock: systemClock, firstRetryMs: 1_000, maxRetryMs: 60_000, ...options };
    for (const c of channels) this.#state.set(c.name, 'starting');
  }

  /** Each channel's state, for logs and tests. */
  get states(): Record<string, ChannelState> {
    return Object.fromEntries(this.#state);
  }

  /**
   * Starts every channel at once; resolves when each has started or failed its first try (those
   * go on retrying in the background). Never rejects.
   */
  async start(): Promise<void> {
    const firstTries = this.#channels.map(
      (channel) =>
        new Promise<void>((firstTry) => {
          this.#loops.push(this.#run(channel, firstTry));
        }),
    );
    await Promise.all(firstTries);
  }

  /** Stops retrying and stops every channel; a channel's failure to stop is logged. */
  stop(): Promise<void> {
    return (this.#stopping ??= (async () => {
      this.#abort.abort();
      await Promise.all(this.#loops);
      await Promise.all(
        this.#channels.map(async (channel) => {
          try {
            await channel.stop();
          } catch (err) {
            this.#o.logger.error('channel failed to stop', { channel: channel.name, err });
          }
          this.#state.set(channel.name, 'stopped');
        }),
      );
    })());
  }

  async #run(channel: Channel, firstTry: () => void): Promise<void> {
    const { logger, clock } = this.#o;
    let pause = this.#o.firstRetryMs;
    for (let attempt = 1; !this.#abort.signal.aborted; attempt++) {
      try {
        await channel.start();
        // A stop that came while starting wins: the channel stops with the others.
        if (this.#abort.signal.aborted) break;
        this.#state.set(channel.name, 'running');
        logger.info('channel started', { channel: channel.name, attempt });
        firstTry();
        return;
      } catch (err) {
        if (err instanceof ConfigError) {
          this.#state.set(channel.name, 'failed');
          logger.error('channel cannot start: fix its settings and restart', { channel: channel.name, err });
          firstTry();
          return;
        }
        this.#state.set(channel.name, 'retrying');
        logger.error('channel failed to start; the others keep running, retrying', { channel: channel.name, err, attempt, retryInMs: pause });
      }
      firstTry();
      try {
        await clock.sleep(pause, this.#abort.signal);
      } catch {
        break; // stopped while waiting
      }
      pause = Math.min(pause * 2, this.#o.maxRetryMs);
    }
    firstTry();
  }
}
