import type { Config } from '../../config.ts';
import { ConfigError } from '../../errors.ts';

/** Where a county office finds both values (README, 企业微信智能机器人). */
const WHERE = '企业微信管理后台 → 安全与管理 → 管理工具 → 智能机器人 → the bot → API 模式 → 长连接 (Bot ID and Secret)';

/**
 * Stops start-up when the wecom channel is chosen without its credentials, naming the variable.
 * No SDK import here, so `npm start` can check every chosen channel before connecting any.
 */
export function checkWecomConfig(config: Pick<Config, 'wecom'>): { botId: string; botSecret: string; wsUrl: string } {
  const { botId, botSecret, wsUrl } = config.wecom;
  const missing = [botId ? undefined : 'WECOM_BOT_ID', botSecret ? undefined : 'WECOM_BOT_SECRET'].filter(Boolean);
  if (!botId || !botSecret) {
    throw new ConfigError(`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set, and the wecom channel needs both: copy them from ${WHERE} into .env`);
  }
  return { botId, botSecret, wsUrl };
}
