/**
 * The public API for programs: configuration, ingest, a knowledge base to ask, and the bot.
 * Wechaty is loaded only when createBot is called, so programs that only ask stay light.
 */
export { loadConfig, type Config, type LoadConfigOptions } from './config.ts';
export { TongxinError, ConfigError, IndexError, EmbeddingError, LlmError, LoadError } from './errors.ts';
export { createLogger, type Logger } from './log.ts';
export { ingest, type IngestOptions, type IngestReport } from './index/ingest.ts';
export { openKnowledgeBase, KnowledgeBase, type OpenKnowledgeBaseOptions } from './knowledge-base.ts';
export type { Answer, AskOptions, Asker, Citation, KnowledgeBaseStats, RetrievedPassage } from './answer/types.ts';
export type { Embedder } from './embed/embedder.ts';
export type { ChatModel, ChatMessage } from './answer/chat-model.ts';
import type { CreateBotOptions, TongxinBot } from './channels/wechat-bot.ts';
export type { CreateBotOptions, TongxinBot };

/** A Wechaty bot wired to the knowledge base, not yet started (see docs/WECHAT.md). */
export async function createBot(options: CreateBotOptions = {}): Promise<TongxinBot> {
  const { createBot: create } = await import('./channels/wechat-bot.ts');
  return create(options);
}
