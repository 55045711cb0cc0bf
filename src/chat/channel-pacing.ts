/**
 * How a channel's replies are paced: the one thing about the channel the engine needs to know.
 * A personal WeChat account (Wechaty) must look human and not flood a group, so its replies are
 * spaced out and each person gets a pause; a 公众号 passive reply answers exactly one request in
 * its own HTTP response, floods no one and must leave within WeChat's 5 s, so none of that
 * applies there and a per-person rate limit against abuse does instead.
 */
export interface ChannelPacing {
  /** Replies go through the Pacer: BOT_ROOM_INTERVAL_MS, BOT_MAX_PER_MINUTE and BOT_JITTER_MS. */
  paceSends: boolean;
  /** The per-person pause BOT_COOLDOWN_MS holds questions and staff commands to. */
  cooldown: boolean;
  /** Declines are withheld when they would flood a conversation (see ChatEngine#decline). */
  limitDeclines: boolean;
  /** Most messages for the bot a person may send in any 60 s; absent: no such limit. */
  maxPerPersonPerMinute?: number;
  /** Every reply is one message of at most this many UTF-8 bytes; absent: chat parts by characters. */
  maxReplyBytes?: number;
  /**
   * Set only when a model composes answers: the offline answer is asked at the same time and is
   * used when the model's is not ready this long after the message arrived.
   */
  answerWithinMs?: number;
}

/** Wechaty's pacing, unchanged: every limit of the BOT_* settings applies. */
export const GROUP_CHAT_PACING: ChannelPacing = { paceSends: true, cooldown: true, limitDeclines: true };

/** Passive replies (公众号): answered at once, one message each, limited per person. */
export function passiveReplyPacing(options: {
  maxPerPersonPerMinute: number;
  maxReplyBytes: number;
  answerWithinMs?: number;
}): ChannelPacing {
  return {
    paceSends: false,
    cooldown: false,
    limitDeclines: false,
    maxPerPersonPerMinute: options.maxPerPersonPerMinute,
    maxReplyBytes: options.maxReplyBytes,
    ...(options.answerWithinMs !== undefined ? { answerWithinMs: options.answerWithinMs } : {}),
  };
}
