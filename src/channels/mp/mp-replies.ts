/** What a 公众号 follower sees besides the engine's own replies: short, polite Chinese. */
export const MP_REPLIES = {
  /** Before the 帮助 text, on the subscribe event. */
  welcome: '感谢关注！',
  /** 帮助 on the 公众号: there are no groups, a follower just writes to the account. */
  howToAsk: '直接发送文字即可提问。',
  notText: '抱歉，目前只能回答文字提问，请直接发送文字问题。',
  /** The engine had no reply ready before WeChat's 5 s ran out (overload). */
  late: '抱歉，现在提问的人比较多，请稍后再问一次，谢谢理解。',
} as const;
