/**
 * Every text the bot adds to the core's answers: Chinese, short and polite (STYLE habit 9). The
 * core's own fixed texts (the refusal, the empty question) are in answer/answer-text.ts and are
 * reused here, so each is written once; a source is called 来源 everywhere, as in every answer.
 */
import { citationLocation, EMPTY_QUESTION_TEXT } from '../answer/answer-text.ts';
import type { Citation, KnowledgeBaseStats } from '../answer/types.ts';

export const REPLIES = {
  error: '抱歉，系统暂时出了点问题，请稍后再试。',
  busy: '现在提问的人比较多，请稍后再问，谢谢理解。',
  cooldown: '您提问有点快，请稍等片刻再问，谢谢。',
  rateLimited: '您一分钟内提问较多，请稍后再问，谢谢理解。',
  blocked: '抱歉，这个问题我不便回答，请咨询社区党组织工作人员。',
  // Nothing after the @-mention or keyword, or a blank private message: the core's text, which
  // fits every channel (an "@ me" hint would be wrong in private chat and after a keyword).
  emptyQuestion: EMPTY_QUESTION_TEXT,
  staffOnly: '抱歉，该指令仅限管理员私聊使用。',
  sourceUsage: '请回复“原文 编号”，例如“原文 1”，查看上一条回答中对应来源的全文。',
  noSource: '暂无可查看的原文：您还没有提问，或上一条回答没有引用资料。',
  reloadUnchanged: '知识库没有变化，无需重载。',
  reloadFailed: '新的知识库加载失败，仍在使用原来的知识库，详情请查看日志。',
  // Channels where every message is addressed to the bot (WeCom) answer pictures, files, voice …
  textOnly: '抱歉，我目前只能阅读文字消息，请用文字写下您的问题。',
} as const;

/** Appended where a long reply is cut (split-reply.ts). */
export const REPLY_CUT_NOTE = '……（篇幅所限，完整内容请回复“原文 编号”查看）';

/** The reply to 重载 when a new index was swapped in. */
export function reloadedText(stats: Pick<KnowledgeBaseStats, 'documents' | 'passages'>): string {
  return `已加载新的知识库：${stats.documents} 份文件，${stats.passages} 段。`;
}

export function sourceOutOfRange(n: number, count: number): string {
  return `上一条回答没有第 ${n} 条来源（共 ${count} 条），请回复“原文 1”到“原文 ${count}”。`;
}

type SourceCitation = Pick<Citation, 'n' | 'title' | 'heading' | 'part' | 'parts' | 'text' | 'loc' | 'articleText'>;

/** The full passage behind source N (its whole article when it holds part of one), headed as in the answer's source list. */
export function sourceText(c: SourceCitation): string {
  return `【来源 ${c.n}】《${c.title}》${citationLocation(c)}\n${c.articleText ?? c.text}`;
}

/** The reply to 原文 N (`n` null: the number left out), given the citations of the last answer. */
export function sourceReply(citations: readonly SourceCitation[], n: number | null): string {
  if (citations.length === 0) return REPLIES.noSource;
  if (n === null) return REPLIES.sourceUsage;
  const c = citations.find((x) => x.n === n);
  return c ? sourceText(c) : sourceOutOfRange(n, citations.length);
}

/**
 * The reply to 帮助. `howToAsk` replaces the line on groups and private chat for channels that
 * have no groups (a 公众号 follower just writes to the account).
 */
export function helpText(stats: KnowledgeBaseStats | undefined, keywords: string[], howToAsk?: string): string {
  const lines = [
    '您好，我是“同心”党建问答助手，根据本地收录的党建政策文件回答问题，并注明来源。',
    howToAsk ?? `在群里请@我提问${keywords.length ? `，或以“${keywords[0]}”开头` : ''}；私聊可直接提问。`,
    '回复“原文 编号”可查看上一条回答中对应来源的全文。',
  ];
  if (stats) lines.push(`目前收录 ${stats.documents} 份文件、${stats.passages} 段内容。`);
  lines.push('我只根据收录的文件作答，找不到依据时会如实说明。');
  return lines.join('\n');
}

export interface StatusInfo {
  stats: KnowledgeBaseStats;
  uptimeMs: number;
  answered: number;
  refused: number;
  queued: number;
}

export function statusText(s: StatusInfo): string {
  return [
    '【运行状态】',
    `文件：${s.stats.documents} 份；段落：${s.stats.passages} 段`,
    `向量检索：${s.stats.dense ? `开（${s.stats.embeddingModel ?? '未知模型'}）` : '关（仅关键词检索）'}`,
    `索引生成：${s.stats.builtAt}（${s.stats.generation}）`,
    `已运行：${formatDuration(s.uptimeMs)}`,
    `已回答：${s.answered} 个问题，其中 ${s.refused} 个未找到依据`,
    `排队中：${s.queued} 个`,
  ].join('\n');
}

export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  return `${days ? `${days}天` : ''}${days || hours ? `${hours}小时` : ''}${mins}分钟`;
}
