/**
 * Plays WeChat's side of the 公众号 callback over real HTTP: signed GET verification and POST
 * pushes in plaintext, compatible and safe mode (消息加解密说明), and the reading of replies,
 * decrypting safe-mode ones after checking their msg_signature.
 */
import { randomBytes, randomInt } from 'node:crypto';
import http from 'node:http';
import { aesKeyFrom, decryptMessage, encryptMessage, mpSignature } from '../../../src/channels/mp/mp-crypto.ts';
import { parseMpXml } from '../../../src/channels/mp/mp-xml.ts';

export const TOKEN = 'tongxinTestToken2026';
export const APP_ID = 'wx1234567890abcdef';
export const ENCODING_AES_KEY = 'Tongxin0123456789abcdefghijklmnopqrstuvwxyz';
export const ACCOUNT = 'gh_tongxin0001';
export const MP_PATH = '/wechat/mp';

export type Mode = 'plaintext' | 'compatible' | 'safe';

export interface Push {
  /** The follower (FromUserName). */
  from: string;
  msgType?: string;
  content?: string;
  event?: string;
  msgId?: string;
  /** Seconds; default now. */
  createTime?: number;
}

export interface PushOptions {
  mode: Mode;
  /** Overrides of the URL parameters (forged signatures, stale timestamps, reused nonces). */
  query?: Record<string, string>;
  /** Seconds for the URL timestamp; default now. */
  timestamp?: number;
  nonce?: string;
  /** Seal for another appid (a forged or misrouted push). */
  appId?: string;
  /** Send this body as is instead of the push's XML (hostile bodies). */
  rawBody?: string;
  /** The plain XML to seal or send, instead of building it from the push. */
  xml?: string;
  /** The 16 random bytes sealed in front of the message; default fresh ones. */
  random?: Buffer;
}

export interface Reply {
  status: number;
  body: string;
  /** The reply's fields (decrypted in safe mode); null for `success` and refusals. */
  fields: Record<string, string> | null;
  /** The reply came in the safe-mode envelope, with a valid msg_signature. */
  sealed: boolean;
}

export function pushXml(p: Push): string {
  const time = p.createTime ?? Math.floor(Date.now() / 1000);
  const type = p.msgType ?? (p.event ? 'event' : 'text');
  return (
    `<xml><ToUserName><![CDATA[${ACCOUNT}]]></ToUserName><FromUserName><![CDATA[${p.from}]]></FromUserName>` +
    `<CreateTime>${time}</CreateTime><MsgType><![CDATA[${type}]]></MsgType>` +
    (p.content !== undefined ? `<Content><![CDATA[${p.content}]]></Content>` : '') +
    (p.event ? `<Event><![CDATA[${p.event}]]></Event>` : '') +
    (p.msgId ? `<MsgId>${p.msgId}</MsgId>` : '') +
    `</xml>`
  );
}

export class WeChatPush {
  readonly #key = aesKeyFrom(ENCODING_AES_KEY)!;
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
  constructor(readonly port: number) {}

  close(): void {
    this.#agent.destroy();
  }

  /** The signed URL query for a request at `timestamp` with `nonce`. */
  query(timestamp: number, nonce: string): Record<string, string> {
    return { signature: mpSignature(TOKEN, String(timestamp), nonce), timestamp: String(timestamp), nonce };
  }

  async verify(echostr: string, query?: Record<string, string>): Promise<{ status: number; body: string }> {
    const ts = Math.floor(Date.now() / 1000);
    const q = { ...this.query(ts, String(randomInt(1e9))), echostr, ...query };
    return this.request('GET', MP_PATH + '?' + new URLSearchParams(q).toString(), '');
  }

  async push(p: Push, o: PushOptions): Promise<Reply> {
    const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
    const nonce = o.nonce ?? String(randomInt(1e9));
    const xml = o.xml ?? pushXml(p);
    let q: Record<string, string> = this.query(ts, nonce);
    let body = xml;
    if (o.mode !== 'plaintext') {
      const encrypt = encryptMessage(xml, o.appId ?? APP_ID, this.#key, o.random ?? randomBytes(16));
      q = { ...q, encrypt_type: 'aes', msg_signature: mpSignature(TOKEN, String(ts), nonce, encrypt) };
      const to = `<ToUserName><![CDATA[${ACCOUNT}]]></ToUserName>`;
      // Compatible mode carries the plaintext fields beside the ciphertext; safe mode only the latter.
      body = o.mode === 'compatible' ? xml.replace('</xml>', `<Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`) : `<xml>${to}<Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
    }
    const r = await this.request('POST', MP_PATH + '?' + new URLSearchParams({ ...q, ...o.query }).toString(), o.rawBody ?? body);
    return this.read(r);
  }

  read(r: { status: number; body: string }): Reply {
    if (r.status !== 200 || !r.body.startsWith('<xml>')) return { ...r, fields: null, sealed: false };
    const outer = parseMpXml(r.body);
    if (!outer.Encrypt) return { ...r, fields: outer, sealed: false };
    if (outer.MsgSignature !== mpSignature(TOKEN, outer.TimeStamp!, outer.Nonce!, outer.Encrypt)) {
      throw new Error(`reply msg_signature does not verify: ${r.body}`);
    }
    const opened = decryptMessage(outer.Encrypt, this.#key);
    if (opened.appId !== APP_ID) throw new Error(`reply sealed for ${opened.appId}`);
    return { ...r, fields: parseMpXml(opened.message), sealed: true };
  }

  request(method: string, path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: this.port, method, path, agent: this.#agent, headers: { 'content-type': 'text/xml', ...headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}
