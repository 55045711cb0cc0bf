import type { Config } from '../config.ts';
import { createLogger, type Logger } from '../log.ts';

/**
 * The logger every entry point uses: level and format from config, and every secret the
 * config holds (API keys, the puppet token, the WeCom bot secret, the 公众号 Token and EncodingAESKey) masked in every line, whatever logs it.
 */
export function configLogger(config: Config): Logger {
  const secrets = [config.llm.apiKey, config.embedding.apiKey, config.wechaty.puppetToken, config.wecom.botSecret, config.mp.token, config.mp.encodingAESKey].filter((s): s is string => Boolean(s));
  return createLogger({ level: config.log.level, format: config.log.format, secrets });
}
