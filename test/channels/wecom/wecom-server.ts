/**
 * A loopback WeCom long-connection server on 127.0.0.1 (a random port) speaking the frames of
 * document 101463: it answers aibot_subscribe (errcode 0, or a refusal), acks ping and every reply
 * command, pushes aibot_msg_callback and aibot_event_callback frames, and can drop, replace
 * (disconnected_event) or stop acking a connection. It records every frame the bot sends.
 */
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { waitFor } from '../../chat/manual-clock.ts';

export interface ReceivedFrame {
  /** Connection number, from 1, in the order the bot connected. */
  conn: number;
  cmd: string;
  headers: { req_id: string };
  body?: Record<string, any>;
  /** performance.now() on arrival, for latency. */
  at: number;
  /** The bot's clock on arrival, when the server was given one (see `clock`). */
  clock?: number;
}

/** errcode WeCom answered a wrong secret with, as reported by a third-party client's test. */
export const AUTH_REFUSED = { errcode: 853000, errmsg: 'invalid bot_id or secret' };

export class WecomServer {
  readonly frames: ReceivedFrame[] = [];
  /** Connections accepted so far. */
  connections = 0;
  /** Credentials accepted by aibot_subscribe. */
  botId = 'aib-test-bot';
  secret = 'test-secret-123';
  /** When false, ping frames get no ack (a dead connection as the SDK sees it). */
  ackPings = true;
  /** Read on each frame's arrival into `ReceivedFrame.clock` (the harness's manual clock). */
  clock: (() => number) | undefined;
  /** The ack for aibot_respond_msg; set an errcode to refuse replies. */
  replyAck: { errcode: number; errmsg: string } = { errcode: 0, errmsg: 'ok' };
  readonly #wss: WebSocketServer;
  readonly #sockets = new Map<number, WebSocket>();
  /** performance.now() when each callback req_id was pushed. */
  readonly pushedAt = new Map<string, number>();

  private constructor(wss: WebSocketServer) {
    this.#wss = wss;
    wss.on('connection', (ws) => {
      const conn = ++this.connections;
      this.#sockets.set(conn, ws);
      ws.on('close', () => this.#sockets.delete(conn));
      ws.on('message', (data) => this.#onFrame(conn, ws, data.toString()));
    });
  }

  static async start(): Promise<WecomServer> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    return new WecomServer(wss);
  }

  get url(): string {
    const address = this.#wss.address();
    if (!address || typeof address === 'string') throw new Error('the server is not listening on a port');
    return `ws://127.0.0.1:${address.port}`;
  }

  /** Connections currently open. */
  get open(): number {
    return this.#sockets.size;
  }

  /** Frames of one command, in arrival order. */
  sent(cmd: string): ReceivedFrame[] {
    return this.frames.filter((f) => f.cmd === cmd);
  }

  /** Reply frames (aibot_respond_msg) for one callback req_id. */
  replies(reqId: string): ReceivedFrame[] {
    return this.frames.filter((f) => f.cmd === 'aibot_respond_msg' && f.headers.req_id === reqId);
  }

  /** Pushes a message callback on the newest connection; returns its req_id. */
  pushMessage(body: Record<string, unknown>): string {
    return this.#push('aibot_msg_callback', { msgid: randomUUID(), aibotid: this.botId, ...body });
  }

  /** Pushes an event callback on the newest connection; returns its req_id. */
  pushEvent(body: Record<string, unknown>): string {
    return this.#push('aibot_event_callback', { msgid: randomUUID(), aibotid: this.botId, create_time: Math.floor(Date.now() / 1000), msgtype: 'event', ...body });
  }

  /** Closes every socket from the server side, as a network drop or a server restart would. */
  dropAll(): void {
    for (const ws of this.#sockets.values()) ws.terminate();
  }

  /** Tells the newest connection another one took the bot (disconnected_event), then closes it. */
  replace(): void {
    const ws = this.#newest();
    ws.send(JSON.stringify({ cmd: 'aibot_event_callback', headers: { req_id: randomUUID() }, body: { msgid: randomUUID(), create_time: Math.floor(Date.now() / 1000), aibotid: this.botId, msgtype: 'event', event: { eventtype: 'disconnected_event' } } }));
    setTimeout(() => ws.close(), 20);
  }

  /** Waits until the bot has authenticated on connection `n`. */
  waitAuthenticated(n: number): Promise<void> {
    return waitFor(() => this.frames.some((f) => f.conn === n && f.cmd === 'aibot_subscribe') && this.#sockets.has(n), `authentication on connection ${n}`);
  }

  async close(): Promise<void> {
    for (const ws of this.#sockets.values()) ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #push(cmd: string, body: Record<string, unknown>): string {
    const reqId = randomUUID();
    this.pushedAt.set(reqId, performance.now());
    this.#newest().send(JSON.stringify({ cmd, headers: { req_id: reqId }, body }));
    return reqId;
  }

  #newest(): WebSocket {
    const ws = this.#sockets.get(Math.max(...this.#sockets.keys()));
    if (!ws) throw new Error('no connection to push on');
    return ws;
  }

  #onFrame(conn: number, ws: WebSocket, raw: string): void {
    const at = performance.now();
    const frame = JSON.parse(raw) as { cmd: string; headers: { req_id: string }; body?: Record<string, any> };
    this.frames.push({ conn, ...frame, at, ...(this.clock ? { clock: this.clock() } : {}) });
    const ack = (extra: Record<string, unknown> = { errcode: 0, errmsg: 'ok' }) =>
      ws.send(JSON.stringify({ headers: { req_id: frame.headers.req_id }, ...extra }));
    switch (frame.cmd) {
      case 'aibot_subscribe': {
        const ok = frame.body?.bot_id === this.botId && frame.body?.secret === this.secret;
        ack(ok ? { errcode: 0, errmsg: 'ok' } : AUTH_REFUSED);
        return;
      }
      case 'ping':
        if (this.ackPings) ack();
        return;
      case 'aibot_respond_msg':
        ack(this.replyAck);
        return;
      case 'aibot_respond_welcome_msg':
      case 'aibot_send_msg':
        ack();
        return;
      default:
        ack({ errcode: 40008, errmsg: `unknown cmd ${frame.cmd}` });
    }
  }
}
