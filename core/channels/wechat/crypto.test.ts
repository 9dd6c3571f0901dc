// The published WeChat/WeCom encryption sample (WXBizMsgCrypt's Sample: token QDG6eK,
// EncodingAESKey jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C, appid wx5823bf96d3bd56c7) as a test vector.
import { describe, expect, it } from 'vitest';
import { WechatCrypto, WechatCryptoError } from './crypto';
import { wechatSignature } from './signature';
import { parseWechatXml } from './xml';
import { mapWechatMessage } from './message';

const TOKEN = 'QDG6eK';
const AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const APP_ID = 'wx5823bf96d3bd56c7';
const ENCRYPT =
  'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';

describe('WeChat safe mode: the published sample', () => {
  const crypto = new WechatCrypto(AES_KEY);

  it('checks the sample msg_signature of a pushed message', () => {
    expect(wechatSignature(TOKEN, '1409659813', '1372623149', ENCRYPT)).toBe('477715d11cdb4164915debcba66cb864d751f3e6');
  });

  it('decrypts the sample message to its XML and appid', () => {
    const { message, appId } = crypto.decrypt(ENCRYPT);
    expect(appId).toBe(APP_ID);
    const fields = parseWechatXml(message);
    expect(fields).toMatchObject({ ToUserName: APP_ID, FromUserName: 'mycreate', CreateTime: '1409659813', MsgType: 'text', Content: 'hello', MsgId: '4561255354251345929' });
    const mapped = mapWechatMessage(fields, message);
    expect(mapped.kind).toBe('message');
    expect(mapped.incoming).toMatchObject({ channel: 'wechat', externalId: '4561255354251345929', body: 'hello', contactHandle: 'mycreate' });
  });

  it('checks and decrypts the sample URL-verification echostr', () => {
    const echostr = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';
    expect(wechatSignature(TOKEN, '1409659589', '263014780', echostr)).toBe('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3');
    expect(crypto.decrypt(echostr)).toEqual({ message: '1616140317555161061', appId: APP_ID });
  });

  it('round-trips with padding to 32-byte blocks, Chinese text counted in bytes', () => {
    for (const msg of ['', 'a', '测试一下中文的情况，消息长度是按字节来算的', 'x'.repeat(1000)]) {
      const enc = crypto.encrypt(msg, APP_ID);
      expect(Buffer.from(enc, 'base64').length % 32).toBe(0);
      expect(crypto.decrypt(enc)).toEqual({ message: msg, appId: APP_ID });
    }
  });

  it('refuses tampered ciphertext', () => {
    const bytes = Buffer.from(ENCRYPT, 'base64');
    bytes[bytes.length - 1] ^= 0xff;
    expect(() => crypto.decrypt(bytes.toString('base64'))).toThrow(WechatCryptoError);
  });
});
