/**
 * The gate of the 公众号 callback: decides whether a request comes from WeChat and opens it.
 * Nothing reaches the engine without passing every check here: the URL signature, the
 * timestamp window, the nonce bound to one body, the body size, in compatible and safe mode the
 * msg_signature and the appid sealed inside, and XML without DOCTYPE or entities.
 */
import type { Clock } from '../../chat/clock.ts';
import { decryptMessage, encryptMessage, MpCryptoError, mpSignature, signatureMatches } from './mp-crypto.ts';
import { encryptedReplyXml, MpXmlError, parseMpXml, type MpFields } from './mp-xml.ts';
import { NonceGuard } from './nonce-guard.ts';

/** A request refused before the engine: the HTTP status and one English line for the log. */
export class MpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`公众号 request refused (${status}): ${reason}`);
    this.name = 'MpRefusal';
  }
}

export interface MpGateOptions {
  token: string;
  /** Required with `aesKey`: the appid sealed in every encrypted message must be this one. */
  appId: string | undefined;
  /** The AES key from MP_ENCODING_AES_KEY; undefined in plaintext mode. */
  aesKey: Buffer | undefined;
  clock: Clock;
  /** Requests whose timestamp is further than this from our clock are refused. Default 300 s. */
  windowMs?: number;
}

export type Opened =
  | { kind: 'verify'; echostr: string }
  | {
      kind: 'message';
      fields: MpFields;
      /** The request came encrypted (compatible or safe mode): the reply goes back encrypted. */
      encrypted: boolean;
    };

/** Five minutes either way: WeChat's clock and ours agree to seconds, and retries span 15 s. */
export const DEFAULT_WINDOW_MS = 300_000;

export class MpGate {
  readonly #o: MpGateOptions;
  readonly #windowMs: number;
  readonly #nonces: NonceGuard;

  constructor(options: MpGateOptions) {
    this.#o = options;
    this.#windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    this.#nonces = new NonceGuard({ windowMs: this.#windowMs, clock: options.clock });
  }

  /** Checks and opens one request; throws MpRefusal for anything that does not pass. */
  open(method: string, query: URLSearchParams, body: Buffer): Opened {
    const timestamp = query.get('timestamp') ?? '';
    const nonce = query.get('nonce') ?? '';
    if (!/^\d{1,12}$/.test(timestamp) || !nonce) throw new MpRefusal(400, 'timestamp or nonce missing');
    if (!signatureMatches(query.get('signature') ?? undefined, mpSignature(this.#o.token, timestamp, nonce))) {
      throw new MpRefusal(403, 'bad signature');
    }
    const skew = Math.abs(this.#o.clock.now() - Number(timestamp) * 1000);
    if (skew > this.#windowMs) throw new MpRefusal(403, `timestamp ${timestamp} outside the ${this.#windowMs / 1000} s window`);

    if (method === 'GET') {
      const echostr = query.get('echostr');
      if (!echostr) throw new MpRefusal(400, 'GET without echostr');
      return { kind: 'verify', echostr };
    }
    if (!this.#nonces.admit(timestamp, nonce, body)) throw new MpRefusal(403, 'nonce replayed with another body');
    const outer = this.#parse(body.toString('utf8'));
    const encrypted = query.get('encrypt_type') === 'aes';
    if (!encrypted) {
      // With a key set the account runs in safe or compatible mode, where WeChat always
      // encrypts; a plaintext push then is a forgery relying on the weaker URL-only signature.
      if (this.#o.aesKey) throw new MpRefusal(403, 'plaintext push while MP_ENCODING_AES_KEY is set');
      return { kind: 'message', fields: outer, encrypted: false };
    }
    if (!this.#o.aesKey) {
      throw new MpRefusal(403, 'encrypted push but MP_ENCODING_AES_KEY is empty: set it to the EncodingAESKey of 基本配置');
    }
    const encrypt = outer.Encrypt;
    if (!encrypt) throw new MpRefusal(400, 'encrypt_type=aes without an Encrypt element');
    const expected = mpSignature(this.#o.token, timestamp, nonce, encrypt);
    if (!signatureMatches(query.get('msg_signature') ?? undefined, expected)) throw new MpRefusal(403, 'bad msg_signature');
    let opened: { message: string; appId: string };
    try {
      opened = decryptMessage(encrypt, this.#o.aesKey);
    } catch (err) {
      if (err instanceof MpCryptoError) throw new MpRefusal(400, err.reason);
      throw err;
    }
    if (opened.appId !== this.#o.appId) throw new MpRefusal(403, `sealed for appid ${opened.appId}, not MP_APP_ID`);
    return { kind: 'message', fields: this.#parse(opened.message), encrypted: true };
  }

  /** The safe-mode envelope for a reply, signed with a fresh timestamp and nonce of ours. */
  seal(replyXml: string, timestamp: string, nonce: string): string {
    if (!this.#o.aesKey || !this.#o.appId) throw new Error('MpGate.seal needs MP_ENCODING_AES_KEY and MP_APP_ID');
    const encrypt = encryptMessage(replyXml, this.#o.appId, this.#o.aesKey);
    return encryptedReplyXml({ encrypt, signature: mpSignature(this.#o.token, timestamp, nonce, encrypt), timestamp, nonce });
  }

  #parse(text: string): MpFields {
    try {
      return parseMpXml(text);
    } catch (err) {
      if (err instanceof MpXmlError) throw new MpRefusal(400, err.reason);
      throw err;
    }
  }
}
