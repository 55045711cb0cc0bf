import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aesKeyFrom, decryptMessage, encryptMessage, MpCryptoError, mpSignature } from '../../../src/channels/mp/mp-crypto.ts';

// The official sample values. GET and plaintext POST: 消息推送 / 消息加解密说明 on
// developers.weixin.qq.com (Token "AAAAA"). Encrypted: the WXBizMsgCrypt sample code those pages
// link (Sample.py and its ports: token spamtest, appid wx2c2769f8efd9abc2).
const SAMPLE = {
  token: 'spamtest',
  encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appId: 'wx2c2769f8efd9abc2',
  timestamp: '1409735669',
  nonce: '1320562132',
  msgSignature: '5d197aaffba7e9b25a30732f161a50dee96bd5fa',
  encrypt:
    'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=',
  plain:
    '<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n' +
    '<CreateTime>1409735668</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[abcdteT]]></Content>\n' +
    '<MsgId>6054768590064713728</MsgId>\n</xml>',
};

test('the URL signature matches the documented GET and POST samples', () => {
  // GET: signature=f464b2…&echostr=4375120948345356249&timestamp=1714036504&nonce=1514711492
  assert.equal(mpSignature('AAAAA', '1714036504', '1514711492'), 'f464b24fc39322e44b38aa78f5edd27bd1441696');
  // POST (明文模式): signature=899cf8…&timestamp=1714037059&nonce=486452656
  assert.equal(mpSignature('AAAAA', '1714037059', '486452656'), '899cf89e464efb63f54ddac96b0a0a235f53aa78');
});

test('msg_signature and decryption match the official WXBizMsgCrypt sample', () => {
  assert.equal(mpSignature(SAMPLE.token, SAMPLE.timestamp, SAMPLE.nonce, SAMPLE.encrypt), SAMPLE.msgSignature);
  const key = aesKeyFrom(SAMPLE.encodingAESKey)!;
  assert.equal(key.length, 32);
  assert.deepEqual(decryptMessage(SAMPLE.encrypt, key), { message: SAMPLE.plain, appId: SAMPLE.appId });
});

test('encryption inverts decryption, pads to 32-byte blocks and is exact for a fixed random', () => {
  const key = aesKeyFrom(SAMPLE.encodingAESKey)!;
  const random = Buffer.from('0123456789abcdef');
  const sealed = encryptMessage('<xml>同心</xml>', SAMPLE.appId, key, random);
  assert.equal(sealed, encryptMessage('<xml>同心</xml>', SAMPLE.appId, key, random));
  // 16 random + 4 length + 15 bytes of message + 18 of appid = 53, padded to 64.
  assert.equal(Buffer.from(sealed, 'base64').length, 64);
  assert.deepEqual(decryptMessage(sealed, key), { message: '<xml>同心</xml>', appId: SAMPLE.appId });
  // The sample's own plaintext sealed again decrypts to itself.
  assert.deepEqual(decryptMessage(encryptMessage(SAMPLE.plain, SAMPLE.appId, key), key), { message: SAMPLE.plain, appId: SAMPLE.appId });
});

test('a wrong key, a cut ciphertext or a key that is not an EncodingAESKey is refused', () => {
  const other = aesKeyFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg')!;
  assert.throws(() => decryptMessage(SAMPLE.encrypt, other), MpCryptoError);
  assert.throws(() => decryptMessage(SAMPLE.encrypt.slice(0, 40), aesKeyFrom(SAMPLE.encodingAESKey)!), /whole 32-byte blocks/);
  assert.equal(aesKeyFrom('short'), null);
  assert.equal(aesKeyFrom(SAMPLE.encodingAESKey + 'x'), null);
  assert.equal(aesKeyFrom('abcdefghijklmnopqrstuvwxyz0123456789ABCDEF!'), null);
});
