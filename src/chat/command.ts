/** The bot's commands; anything else is a question. */
export type Command =
  | { kind: 'help' }
  /** 原文 N; `n` is null when the number is missing. */
  | { kind: 'source'; n: number | null }
  | { kind: 'status' }
  | { kind: 'reload' };

/** Commands staff may use, only in a private chat and only when listed in BOT_ADMINS. */
export const STAFF_COMMANDS: ReadonlySet<Command['kind']> = new Set(['status', 'reload']);

/**
 * Commands outside the per-person cooldown: reading 原文 1, 2 and 3 after an answer is normal use.
 * A flood of them is still bounded by the conversation queue, the pacer and the decline caps.
 */
export const COOLDOWN_FREE_COMMANDS: ReadonlySet<Command['kind']> = new Set(['help', 'source']);

export function parseCommand(text: string): Command | null {
  // NFKC: full-width digits and letters (原文３) read as ASCII.
  const t = text.normalize('NFKC').trim().replace(/[。.!！?？\s]+$/u, '');
  if (/^(?:帮助|help|菜单|使用说明)$/i.test(t)) return { kind: 'help' };
  const source = /^原文\s*(\d{1,3})?$/.exec(t);
  if (source) return { kind: 'source', n: source[1] === undefined ? null : Number(source[1]) };
  if (t === '状态') return { kind: 'status' };
  if (t === '重载' || t === '重新加载') return { kind: 'reload' };
  return null;
}
