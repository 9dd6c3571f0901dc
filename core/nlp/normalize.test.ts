import { describe, expect, it } from 'vitest';
import { hanRatio, normalizeText, toWellFormed } from './normalize';

describe('normalizeText', () => {
  it('turns full-width letters, digits and ASCII symbols half-width but keeps Chinese punctuation', () => {
    expect(normalizeText('ＡＢＣ１２３＠ｑｑ．ｃｏｍ，好的！').text).toBe('ABC123@qq.com，好的！');
  });
  it('collapses whitespace and drops spaces between Chinese characters', () => {
    expect(normalizeText('  停水 了\n\t 三天  ').text).toBe('停水了三天');
    expect(normalizeText('call 12345  now').text).toBe('call 12345 now');
  });
  it('removes emoji (with skin tones, flags, ZWJ sequences)', () => {
    expect(normalizeText('点赞👍🏻👨‍👩‍👧🇨🇳！').text).toBe('点赞！');
  });
  it('keeps URLs aside', () => {
    const r = normalizeText('详见https://example.cn/a?b=1，谢谢');
    expect(r.urls).toEqual(['https://example.cn/a?b=1']);
    expect(r.text).toBe('详见，谢谢');
  });
  it('folds repeated punctuation', () => {
    expect(normalizeText('太过分了！！！！到底管不管？？？？。。。').text).toBe('太过分了！到底管不管？…');
    expect(normalizeText('真的吗？！？！').text).toBe('真的吗？');
  });
  it('turns ASCII punctuation between Chinese characters into Chinese punctuation, not in numbers', () => {
    expect(normalizeText('停电了,请处理!时间10:30').text).toBe('停电了，请处理！时间10:30');
  });
  it('replaces lone surrogates', () => {
    expect(toWellFormed('a\uD800b\uDC00c')).toBe('a\uFFFDb\uFFFDc');
    expect(toWellFormed('😀')).toBe('😀');
    expect(normalizeText('坏\uD83D了').text).toBe('坏\uFFFD了');
  });
  it('returns empty text for empty or non-string input', () => {
    expect(normalizeText('')).toEqual({ text: '', urls: [] });
    expect(normalizeText(null)).toEqual({ text: '', urls: [] });
    expect(normalizeText(42)).toEqual({ text: '', urls: [] });
  });
  it('measures how Chinese a text is', () => {
    expect(hanRatio('全是中文')).toBe(1);
    expect(hanRatio('all english')).toBe(0);
    expect(hanRatio('！！')).toBe(0);
  });

  it('counts Han letters as a per-character Unicode test does', () => {
    const slow = (t: string) => {
      let han = 0, letters = 0;
      for (const ch of t) if (/\p{L}/u.test(ch)) { letters++; if (/\p{Script=Han}/u.test(ch)) han++; }
      return letters ? han / letters : 0;
    };
    for (const t of ['路灯不亮abc', '〇⺀〆々𠀀𠀁 A1 é ñ', '123 !!', '', '\uD800x\uDFFF停水', 'Ｆｕｌｌ宽度ｘ', '한국어 日本語 かな']) expect(hanRatio(t)).toBe(slow(t));
  });
});
