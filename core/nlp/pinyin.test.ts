import { describe, expect, it } from 'vitest';
import { hanziSyllables, latinKey, latinWords } from './pinyin';

describe('pinyin keys', () => {
  it('reads hanzi as toneless syllables, ü as u', () => {
    expect(hanziSyllables('弋江区')).toEqual(['yi', 'jiang', 'qu']);
    expect(hanziSyllables('绿影社区')).toEqual(['lu', 'ying', 'she', 'qu']);
  });
  it('gives one key for pinyin with tone marks, tone digits, capitals, spaces or none', () => {
    for (const w of ['yijiang qu', 'Yìjiāng Qū', 'yi4 jiang1 qu1', 'YIJIANGQU', "yi'jiang-qu"]) expect(latinKey(w)).toBe('yijiangqu');
    expect(latinKey('lǜ yǐng')).toBe(latinKey('lv ying'));
  });
  it('splits Latin runs at anything but spaces, apostrophes and hyphens', () => {
    const runs = latinWords('家住 yi jiang qu，zhongnan jiedao 路灯坏了');
    expect(runs.map((r) => r.map((w) => w.word))).toEqual([['yi', 'jiang', 'qu'], ['zhongnan', 'jiedao']]);
    expect(runs[0][0].start).toBe(3);
  });
});
