import { describe, expect, it } from 'vitest';
import { aliyunTimestamp, canonicalQuery, percentEncode, sendSmsParams, sign, signedUrl, stringToSign } from './aliyun';

describe('Aliyun RPC signature (HMAC-SHA1, SignatureVersion 1.0)', () => {
  // the worked example of Aliyun's SendSms documentation (AccessKeyId testId, secret testSecret)
  const example = {
    AccessKeyId: 'testId', Action: 'SendSms', Format: 'XML', OutId: '123', PhoneNumbers: '15300000001', RegionId: 'cn-hangzhou',
    SignName: '阿里云短信测试专用', SignatureMethod: 'HMAC-SHA1', SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466', SignatureVersion: '1.0',
    TemplateCode: 'SMS_71390007', TemplateParam: '{"customer":"test"}', Timestamp: '2017-07-12T02:42:19Z', Version: '2017-05-25',
  };

  it('gives the documented signature of the documented request', () => {
    expect(sign(example, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
    expect(stringToSign(example).startsWith('GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123')).toBe(true);
  });

  it('encodes as Aliyun does: space %20, * %2A, ~ kept, UTF-8 bytes upper-case', () => {
    expect(percentEncode('a b*c~d')).toBe('a%20b%2Ac~d');
    expect(percentEncode("!'()")).toBe('%21%27%28%29');
    expect(percentEncode('民')).toBe('%E6%B0%91');
    expect(canonicalQuery({ b: '2', a: '1', A: '0' })).toBe('A=0&a=1&b=2');
  });

  it('builds a SendSms request whose URL carries the signature of its own parameters', () => {
    const s = { accessKeyId: 'id', accessKeySecret: 'secret', signName: '民声', templateCode: 'SMS_1', endpoint: 'http://127.0.0.1:9/' };
    const p = sendSmsParams(s, { phone: '13900001111', templateParam: { trackingNo: 'MS2612020000001', code: 'ABC234' } }, new Date('2026-12-02T06:30:00.123Z'), 'nonce-1');
    expect(p.Timestamp).toBe(aliyunTimestamp(new Date('2026-12-02T06:30:00Z')));
    expect(p).toMatchObject({ Action: 'SendSms', Version: '2017-05-25', SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', Format: 'JSON', SignatureNonce: 'nonce-1' });
    const url = new URL(signedUrl(s, p));
    const got = Object.fromEntries(url.searchParams);
    const { Signature, ...rest } = got;
    expect(rest).toEqual(p);
    expect(Signature).toBe(sign(p, 'secret'));
    // another secret, another signature
    expect(sign(p, 'other')).not.toBe(Signature);
  });
});
