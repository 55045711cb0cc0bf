/**
 * 公众号 message signatures and encryption, on node:crypto, after the official 消息加解密说明
 * (developers.weixin.qq.com, doc/subscription/guide/dev/push/encryption) and the WXBizMsgCrypt
 * sample code it links:
 * - signature = sha1(sort(token, timestamp, nonce)) on every request (GET and POST);
 * - msg_signature = sha1(sort(token, timestamp, nonce, Encrypt)) in compatible and safe mode;
 * - Encrypt = base64(AES-256-CBC(random(16) + msg_len(4, network order) + msg + appid)) with
 *   key = base64decode(EncodingAESKey + '='), IV = the key's first 16 bytes and PKCS#7 padding
 *   to 32-byte blocks (not AES's own 16), so Node's auto padding is off.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const BLOCK = 32;

/** A request or payload that does not pass; `reason` is one short English line for the log. */
export class MpCryptoError extends Error {
  constructor(readonly reason: string) {
    super(`公众号 payload refused: ${reason}`);
    this.name = 'MpCryptoError';
  }
}

/** sha1 over the parts sorted as strings and joined, the one signature scheme of the docs. */
export function mpSignature(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** Compares a received signature with the expected one in constant time. */
export function signatureMatches(received: string | undefined, expected: string): boolean {
  if (typeof received !== 'string' || received.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(received.toLowerCase()), Buffer.from(expected));
}

/**
 * The 32-byte AES key from the 43-character EncodingAESKey; null when it is not one (the
 * caller names MP_ENCODING_AES_KEY in its error).
 */
export function aesKeyFrom(encodingAESKey: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAESKey)) return null;
  const key = Buffer.from(encodingAESKey + '=', 'base64');
  return key.length === 32 ? key : null;
}

/** Decrypts an Encrypt field: the message and the appid it was sealed for. */
export function decryptMessage(encrypt: string, key: Buffer): { message: string; appId: string } {
  const data = Buffer.from(encrypt, 'base64');
  if (data.length === 0 || data.length % BLOCK !== 0) throw new MpCryptoError('Encrypt is not whole 32-byte blocks');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new MpCryptoError('Encrypt does not decrypt');
  }
  const pad = plain[plain.length - 1]!;
  if (pad < 1 || pad > BLOCK || plain.subarray(plain.length - pad).some((b) => b !== pad)) {
    throw new MpCryptoError('bad PKCS#7 padding (wrong EncodingAESKey?)');
  }
  const body = plain.subarray(0, plain.length - pad);
  if (body.length < 20) throw new MpCryptoError('decrypted payload too short');
  const length = body.readUInt32BE(16);
  if (20 + length > body.length) throw new MpCryptoError('message length beyond the payload');
  return {
    message: body.subarray(20, 20 + length).toString('utf8'),
    appId: body.subarray(20 + length).toString('utf8'),
  };
}

/** Seals a reply for `appId`; `random` (16 bytes) is injectable so tests can be exact. */
export function encryptMessage(message: string, appId: string, key: Buffer, random: Buffer = randomBytes(16)): string {
  const msg = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(msg.length);
  const body = Buffer.concat([random, length, msg, Buffer.from(appId, 'utf8')]);
  const pad = BLOCK - (body.length % BLOCK);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}
