/**
 * The reply to one WeCom message: a stream (aibot_respond_msg, msgtype `stream`) on the message's
 * req_id. When the answer takes longer than THINKING_AFTER_MS, a holding frame (正在查找…,
 * finish=false) opens the stream first; the answer then finishes that same stream. A reply in
 * several parts (rare: see WECOM_MAX_REPLY_CHARS) sends each further part as a stream of its own,
 * which WeCom shows as a new message (a new stream id on the same req_id, per document 101463).
 * The holding frame skips the engine's pacer: it opens the message the answer later fills, so a
 * question still costs its conversation one message of WeCom's 30 a minute.
 */
import type { WsFrame, WsFrameHeaders } from '@wecom/aibot-node-sdk';
import type { ReplyPort } from '../../chat/chat-engine.ts';
import type { Clock } from '../../chat/clock.ts';
import { REPLIES } from '../../chat/replies.ts';
import { TongxinError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { toWecomMarkdown } from './wecom-markdown.ts';

/** Shown while the answer is being looked up. */
export const THINKING_TEXT = '正在查找…';
/** "Only if the answer takes over about a second" (issue 10): a quick answer needs no placeholder. */
export const THINKING_AFTER_MS = 1_000;
/**
 * WeCom drops a stream not finished within 6 minutes of its first frame (document 101463); one
 * still open at 5 minutes (an answer that never came) is finished with the error text so the
 * resident is not left looking at 正在查找… for good.
 */
export const STREAM_GUARD_MS = 5 * 60_000;

/** The part of the SDK's WSClient a stream reply uses. */
export interface StreamSender {
  replyStream(frame: WsFrameHeaders, streamId: string, content: string, finish?: boolean): Promise<WsFrame>;
}

export interface StreamReplyOptions {
  sender: StreamSender;
  /** The callback frame: its req_id ties every reply frame to the message. */
  frame: WsFrameHeaders;
  clock: Clock;
  logger: Logger;
  /** Unique stream ids (the SDK's generateReqId('stream')). */
  newStreamId: () => string;
  /** When the callback arrived, on `clock`. */
  receivedAt: number;
  /** Called once, when the first answer part goes out. */
  onAnswered?: () => void;
}

export class StreamReply {
  readonly #o: StreamReplyOptions;
  readonly #cancel = new AbortController();
  /** A stream shown with the holding text and not finished yet. */
  #open: string | undefined;
  #answered = false;

  constructor(options: StreamReplyOptions) {
    this.#o = options;
  }

  /** The engine's reply port: each part finishes a stream (the open one first). */
  readonly port: ReplyPort = async (text) => {
    if (!this.#answered) this.#o.onAnswered?.();
    this.#answered = true;
    this.#cancel.abort();
    const id = this.#open ?? this.#o.newStreamId();
    this.#open = undefined;
    await this.#frame(id, toWecomMarkdown(text), true);
  };

  /**
   * Opens the stream with 正在查找… if no answer went out THINKING_AFTER_MS after arrival.
   * Returns whether the timer was armed (false: the answer is already out).
   */
  holdIfSlow(): boolean {
    if (this.#answered) return false;
    const { clock, receivedAt } = this.#o;
    const signal = this.#cancel.signal;
    const run = async () => {
      await clock.sleep(Math.max(0, receivedAt + THINKING_AFTER_MS - clock.now()), signal);
      if (this.#answered) return;
      const id = this.#o.newStreamId();
      this.#open = id;
      try {
        await this.#frame(id, THINKING_TEXT, false);
      } catch (err) {
        // The answer still goes out: a first frame under the same id starts the stream then.
        this.#o.logger.warn('wecom holding frame failed', { err });
      }
      await clock.sleep(STREAM_GUARD_MS, signal);
      if (this.#open !== id) return;
      this.#o.logger.error('wecom stream still open after 5 minutes with no answer; finishing it with the error text', { guardMs: STREAM_GUARD_MS });
      try {
        await this.port(REPLIES.error, { mention: false });
      } catch (err) {
        this.#o.logger.error('wecom stream guard reply failed', { err });
      }
    };
    run().catch((err) => {
      // Aborted: the answer came (or the channel stopped) before the timer ran out.
      if (!signal.aborted) this.#o.logger.error('wecom holding frame timer failed', { err });
    });
    return true;
  }

  /** Cancels the timers (the channel stops). */
  close(): void {
    this.#cancel.abort();
  }

  async #frame(id: string, content: string, finish: boolean): Promise<void> {
    try {
      await this.#o.sender.replyStream(this.#o.frame, id, content, finish);
    } catch (err) {
      throw replyError(err);
    }
  }
}

/** The SDK rejects with the server's ack frame on errcode ≠ 0, or with an Error (timeout, closed socket). */
export function replyError(err: unknown): TongxinError {
  if (err instanceof Error) return new TongxinError('CHANNEL_FAILED', `WeCom reply not delivered: ${err.message}`, { cause: err });
  const ack = err as { errcode?: unknown; errmsg?: unknown } | null;
  return new TongxinError('CHANNEL_FAILED', `WeCom refused the reply: errcode ${String(ack?.errcode)} (${String(ack?.errmsg)})`, { cause: err });
}
