import { describe, expect, it } from 'vitest';
import { MAX_XML_DEPTH, parseWechatXml, WechatXmlError } from './xml';

const nested = (n: number) => `<xml><A>${'<b>'.repeat(n)}x${'</b>'.repeat(n)}</A></xml>`;

describe('parseWechatXml bounds', () => {
  it('refuses nesting past the limit with a WechatXmlError, at any depth', () => {
    for (const n of [MAX_XML_DEPTH, 101, 5000]) expect(() => parseWechatXml(nested(n))).toThrow(WechatXmlError);
    expect(parseWechatXml(nested(MAX_XML_DEPTH - 3)).A).toContain('x');
  });
  it('refuses text larger than the channel limit', () => {
    expect(() => parseWechatXml(`<xml><A>${'x'.repeat(70_000)}</A></xml>`)).toThrow(/larger than 64 KiB/);
  });
  it('does not count tags inside CDATA or self-closing tags', () => {
    expect(parseWechatXml(`<xml><A><![CDATA[${'<a>'.repeat(20)}]]></A><B><C><D/></C></B></xml>`)).toEqual({ A: '<a>'.repeat(20), B: '{"C":{"D":""}}' });
  });
});
