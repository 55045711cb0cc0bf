/**
 * The long connection to WeCom through @wecom/aibot-node-sdk, and what staff read about it. The
 * SDK authenticates (aibot_subscribe), pings every 30 s, and after a drop reconnects with backoff
 * (1 s doubling to 30 s); on WeCom's disconnected_event (another connection took this bot id) it
 * stops without reconnecting. This class starts it, turns its events into one log line per
 * incident with what to do, and keeps the state. It never logs the secret.
 */
import type { WSClient, WSClientOptions } from '@wecom/aibot-node-sdk';
import { ConfigError, describeError, TongxinError } from '../../errors.ts';
import type { Logger } from '../../log.ts';

export type WecomState = 'idle' | 'connecting' | 'online' | 'lost' | 'replaced' | 'auth-failed' | 'stopped';

/** SDK timings; defaults are the SDK's, except reconnecting without end (see below). */
export interface WecomTiming {
  /** Base of the reconnect backoff; SDK default 1000 ms. */
  reconnectBaseMs?: number;
  /** Heartbeat interval; SDK default and WeCom's advice 30000 ms. */
  heartbeatMs?: number;
  /** Failed authentications in a row after which the SDK gives up; SDK default 5. */
  maxAuthFailures?: number;
  /** start() fails when not authenticated this long after connecting; default 20000 ms. */
  startTimeoutMs?: number;
}

export interface WecomConnectionOptions {
  botId: string;
  botSecret: string;
  wsUrl: string;
  logger: Logger;
  timing?: WecomTiming;
  /** Passed to the `ws` socket (a private deployment's CA, say). */
  wsOptions?: WSClientOptions['wsOptions'];
  /** Receives each new client before it connects, to subscribe to its messages. */
  onClient: (client: WSClient) => void;
  /** Each successful authentication; `first` on the first since start(). */
  onOnline: (first: boolean) => void;
}

const WHERE = '企业微信管理后台 → 智能机器人 → the bot → API 模式 → 长连接';

export class WecomConnection {
  readonly #o: WecomConnectionOptions;
  #state: WecomState = 'idle';
  #client: WSClient | undefined;
  /** The current outage: since when, reconnect attempts, errors already logged. */
  #outage: { since: number; attempts: number; seen: Set<string>; repeats: number } | undefined;
  #authFailuresLogged = false;
  #newStreamId: (() => string) | undefined;
  #starting: Promise<void> | undefined;

  constructor(options: WecomConnectionOptions) {
    this.#o = options;
  }

  get state(): WecomState {
    return this.#state;
  }

  get client(): WSClient | undefined {
    return this.#client;
  }

  /** A unique stream id, as the SDK makes them (`stream_<ms>_<random>`); only once started. */
  newStreamId(): string {
    if (!this.#newStreamId) throw new TongxinError('BAD_INPUT', 'WecomConnection.newStreamId before start()');
    return this.#newStreamId();
  }

  /**
   * Connects and authenticates. Rejects, and stops the client, when the first attempt fails:
   * credentials refused (a ConfigError naming WECOM_BOT_ID and WECOM_BOT_SECRET: retrying cannot
   * fix them) or WeCom unreachable (npm start retries a failing channel). Callable again after.
   */
  start(): Promise<void> {
    // Running already (or reconnecting by itself): nothing to do; starting: the same attempt.
    if (this.#state === 'stopped') return Promise.reject(new TongxinError('BAD_INPUT', 'the wecom channel was stopped; create a new one to connect again'));
    if (this.#state === 'online' || this.#state === 'lost') return Promise.resolve();
    if (this.#starting) return this.#starting;
    this.#starting = this.#connect().finally(() => (this.#starting = undefined));
    return this.#starting;
  }

  async #connect(): Promise<void> {
    this.#client?.disconnect();
    const { WSClient, generateReqId } = await import('@wecom/aibot-node-sdk');
    if (this.#state === 'stopped') throw new TongxinError('BAD_INPUT', 'the wecom channel was stopped while starting');
    this.#newStreamId = () => generateReqId('stream');
    const t = this.#o.timing ?? {};
    const client = new WSClient({
      botId: this.#o.botId,
      secret: this.#o.botSecret,
      wsUrl: this.#o.wsUrl,
      ...(this.#o.wsOptions ? { wsOptions: this.#o.wsOptions } : {}),
      reconnectInterval: t.reconnectBaseMs ?? 1_000,
      // The SDK stops after 10 attempts (about 3 minutes) by default; an unattended county
      // machine must come back after a longer outage, so it keeps trying, 30 s apart at most.
      maxReconnectAttempts: -1,
      maxAuthFailureAttempts: t.maxAuthFailures ?? 5,
      heartbeatInterval: t.heartbeatMs ?? 30_000,
      logger: sdkLogger(this.#o.logger),
    });
    this.#client = client;
    this.#state = 'connecting';
    this.#outage = undefined;
    this.#authFailuresLogged = false;
    this.#o.onClient(client);

    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(
        () => fail(new TongxinError('CHANNEL_FAILED', `WeCom did not confirm the bot within ${t.startTimeoutMs ?? 20_000} ms at ${this.#o.wsUrl} (WECOM_WS_URL): check the address and this machine's network`)),
        t.startTimeoutMs ?? 20_000,
      );
      const done = () => {
        settled = true;
        clearTimeout(timer);
      };
      const fail = (err: TongxinError) => {
        if (settled || this.#client !== client) return;
        done();
        this.#state = err instanceof ConfigError ? 'auth-failed' : 'idle';
        client.disconnect();
        this.#o.logger.error('wecom channel could not start', { err });
        reject(err);
      };
      client.on('authenticated', () => {
        if (this.#client !== client) return;
        const first = !settled;
        if (first) done();
        this.#online(first);
        if (first) resolve();
      });
      client.on('error', (err) => {
        if (this.#client !== client) return;
        if (!settled) {
          fail(
            isAuthFailure(err)
              ? new ConfigError(`WeCom refused WECOM_BOT_ID and WECOM_BOT_SECRET (${describeError(err)}): copy both again from ${WHERE}; a secret regenerated there replaces the old one, and a bot set to a callback URL has no long-connection secret`, { cause: err })
              : new TongxinError('CHANNEL_FAILED', `cannot reach WeCom at ${this.#o.wsUrl} (WECOM_WS_URL): ${describeError(err)}; check this machine's network (outbound wss, port 443; no public IP is needed)`, { cause: err }),
          );
          return;
        }
        this.#error(err);
      });
      client.on('disconnected', (reason) => {
        if (this.#client === client && settled) this.#lost(reason);
      });
      client.on('reconnecting', (attempt) => {
        if (this.#client !== client) return;
        if (this.#outage) this.#outage.attempts = attempt;
        this.#o.logger.debug('wecom reconnecting', { attempt });
      });
      client.on('event.disconnected_event', () => {
        if (this.#client !== client) return;
        this.#state = 'replaced';
        this.#o.logger.error('wecom connection replaced by another connection with the same WECOM_BOT_ID', {
          hint:
            'WeCom keeps one connection per bot and closed this one for a newer one (another program, or a second Tongxin, uses this bot id). ' +
            'This process no longer receives WeCom messages and does not reconnect, so the two do not keep replacing each other: stop the other one, then restart this one.',
        });
      });
      client.connect();
    });
  }

  /** Disconnects for good; safe to call twice. */
  stop(): void {
    this.#state = 'stopped';
    const client = this.#client;
    this.#client = undefined;
    client?.disconnect();
  }

  #online(first: boolean): void {
    const outage = this.#outage;
    this.#outage = undefined;
    this.#authFailuresLogged = false;
    this.#state = 'online';
    if (first) this.#o.logger.info('wecom connected', { wsUrl: this.#o.wsUrl });
    else if (outage) {
      this.#o.logger.info('wecom connection restored', {
        downMs: Date.now() - outage.since,
        attempts: outage.attempts,
        ...(outage.repeats ? { repeatedErrors: outage.repeats } : {}),
      });
    }
    this.#o.onOnline(first);
  }

  #lost(reason: string): void {
    // Only a connection that was up is lost: a failed start, a replaced or stopped one is not.
    if (this.#state !== 'online' && this.#state !== 'lost') return;
    if (this.#outage) {
      this.#o.logger.debug('wecom connection closed again while reconnecting', { reason });
      return;
    }
    this.#state = 'lost';
    this.#outage = { since: Date.now(), attempts: 0, seen: new Set(), repeats: 0 };
    this.#o.logger.warn('wecom connection lost; reconnecting with backoff (1 s doubling to 30 s, until it is back)', {
      reason,
      hint: "questions sent meanwhile are not seen; if it stays down, check that this machine reaches WECOM_WS_URL (outbound wss, port 443)",
    });
  }

  #error(err: Error): void {
    const code = (err as { code?: unknown }).code;
    if (code === 'WS_AUTH_FAILURE_EXHAUSTED') {
      this.#state = 'auth-failed';
      this.#o.logger.error('wecom gave up after repeated authentication failures; the channel is down', {
        err,
        hint: `fix WECOM_BOT_ID / WECOM_BOT_SECRET (${WHERE}), then restart npm start`,
      });
      return;
    }
    if (isAuthFailure(err)) {
      if (this.#authFailuresLogged) {
        this.#o.logger.debug('wecom authentication failed again', { err });
        return;
      }
      this.#authFailuresLogged = true;
      this.#o.logger.error('wecom refused the bot id and secret on reconnecting; the SDK retries a few times, then gives up', {
        err,
        hint: `was the secret regenerated or the bot deleted? Copy WECOM_BOT_ID and WECOM_BOT_SECRET again from ${WHERE}`,
      });
      return;
    }
    // Errors of the socket while the connection is down: the first of each kind per outage.
    const outage = this.#outage;
    const key = describeError(err);
    if (outage?.seen.has(key)) {
      outage.repeats += 1;
      this.#o.logger.debug('wecom connection error (repeat)', { err });
      return;
    }
    outage?.seen.add(key);
    this.#o.logger.warn('wecom connection error', { err });
  }
}

/** The SDK reports "Authentication failed: <errmsg> (code: <errcode>)" for a refused subscribe. */
function isAuthFailure(err: Error): boolean {
  return err.message.startsWith('Authentication failed');
}

/**
 * The SDK's own lines go to debug: every event it reports is logged above once, with what to do;
 * at info they would repeat each reconnect attempt ("Connecting to WebSocket…", "Auth frame sent").
 */
function sdkLogger(logger: Logger): NonNullable<WSClientOptions['logger']> {
  const line = (level: string) => (message: string, ...args: unknown[]) =>
    logger.debug(`wecom sdk: ${message}`, { sdkLevel: level, ...(args.length ? { args: args.map((a) => (a instanceof Error ? a.message : String(a))) } : {}) });
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}
