/**
 * The 公众号 XML: the pushed message read with fast-xml-parser, and the passive reply written.
 * A body with a DOCTYPE or an entity declaration is refused before parsing: WeChat never sends
 * one, and refusing it shuts out XXE and entity expansion whatever the parser's defaults.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export class MpXmlError extends Error {
  constructor(readonly reason: string) {
    super(`公众号 XML refused: ${reason}`);
    this.name = 'MpXmlError';
  }
}

/** The fields of `<xml>…</xml>` that are plain text, as strings (MsgId keeps all its digits). */
export type MpFields = Record<string, string>;

const parser = new XMLParser({
  ignoreAttributes: true,
  // Numbers stay strings: a 64-bit MsgId would lose digits as a JS number.
  parseTagValue: false,
  trimValues: true,
  // Only the five predefined XML entities; DOCTYPE-declared ones cannot reach here (see above).
  processEntities: true,
  htmlEntities: false,
});

const DECLARATION = /<!(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i;

/** Reads a pushed message; throws MpXmlError on anything that is not one flat `<xml>` element. */
export function parseMpXml(text: string): MpFields {
  if (DECLARATION.test(text)) throw new MpXmlError('DOCTYPE or entity declaration');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new MpXmlError(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(text) as Record<string, unknown>;
  const root = doc.xml;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) throw new MpXmlError('no <xml> root element');
  const fields: MpFields = {};
  for (const [name, value] of Object.entries(root as Record<string, unknown>)) {
    // Nested elements (ScanCodeInfo, SendPicsInfo …) are events the bot does not read.
    if (typeof value === 'string') fields[name] = value;
  }
  return fields;
}

/** A CDATA section; `]]>` inside the text is split across two sections, as XML requires. */
function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/**
 * The passive text reply (被动回复用户消息, 回复文本消息). Written by hand: five fixed
 * elements, where a general builder would need a CDATA option and still not split `]]>`.
 */
export function textReplyXml(r: { toUser: string; fromUser: string; createTime: number; content: string }): string {
  return (
    `<xml><ToUserName>${cdata(r.toUser)}</ToUserName><FromUserName>${cdata(r.fromUser)}</FromUserName>` +
    `<CreateTime>${r.createTime}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(r.content)}</Content></xml>`
  );
}

/** The safe-mode envelope around an encrypted reply (消息加解密说明, 回复加密消息). */
export function encryptedReplyXml(r: { encrypt: string; signature: string; timestamp: string; nonce: string }): string {
  return (
    `<xml><Encrypt>${cdata(r.encrypt)}</Encrypt><MsgSignature>${cdata(r.signature)}</MsgSignature>` +
    `<TimeStamp>${r.timestamp}</TimeStamp><Nonce>${cdata(r.nonce)}</Nonce></xml>`
  );
}
