import type { Config } from '../../config.ts';
import { ConfigError } from '../../errors.ts';
import { aesKeyFrom } from './mp-crypto.ts';

const WHERE = '公众平台 → 设置与开发 → 基本配置 → 服务器配置';

export interface MpCredentials {
  token: string;
  appId: string | undefined;
  /** The AES key; undefined in plaintext mode (MP_ENCODING_AES_KEY empty). */
  aesKey: Buffer | undefined;
}

/**
 * Stops start-up when the mp channel is chosen without what it needs, naming the variable:
 * MP_TOKEN always; with MP_ENCODING_AES_KEY (compatible or safe mode) a valid key and MP_APP_ID.
 */
export function checkMpConfig(config: Pick<Config, 'mp'>): MpCredentials {
  const { token, appId, encodingAESKey, path } = config.mp;
  if (!token) throw new ConfigError(`MP_TOKEN is not set, and the mp channel needs it: copy the Token of ${WHERE} into .env`);
  if (!path.startsWith('/')) throw new ConfigError(`MP_PATH="${path}" must start with / (default /wechat/mp)`);
  if (encodingAESKey === undefined) return { token, appId, aesKey: undefined };
  const aesKey = aesKeyFrom(encodingAESKey);
  if (!aesKey) {
    throw new ConfigError(`MP_ENCODING_AES_KEY must be the 43 letters and digits of EncodingAESKey in ${WHERE} (empty: plaintext mode)`);
  }
  if (!appId) throw new ConfigError(`MP_APP_ID is not set, and MP_ENCODING_AES_KEY needs it (encrypted messages carry the AppID): copy the AppID of 基本配置 into .env`);
  return { token, appId, aesKey };
}
