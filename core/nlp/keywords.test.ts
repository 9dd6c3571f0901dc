import { describe, expect, it } from 'vitest';
import { analyzeMessage } from './analyze';
import { createRequire } from 'node:module';
import { extractKeywords, tfidfFromTokens } from './keywords';

describe('keywords', () => {
  it('name what a message is about, not how it is said', () => {
    // through the analyser, which registers the gazetteer's names with the segmenter first
    const k = analyzeMessage('鸠江区湾里街道幸福家园小区门口的路灯一周都不亮了，晚上出行很不安全').keywords;
    expect(k).toContain('路灯');
    expect(k).toContain('湾里街道'); // a gazetteer word, kept although the tagger does not know it
    for (const scrap of ['不亮', '一周', '晚上', '很']) expect(k).not.toContain(scrap);
  });

  it('drop time words, numerals and complement scraps', () => {
    const k = extractKeywords('对面工地晚上十一点还在打桩，噪音吵得根本睡不着');
    expect(k).toEqual(expect.arrayContaining(['打桩', '噪音', '工地']));
    for (const scrap of ['十一点', '晚上', '吵得', '根本']) expect(k).not.toContain(scrap);
  });

  it('returns nothing for text without words', () => {
    expect(extractKeywords('')).toEqual([]);
    expect(extractKeywords('😀😀！！')).toEqual([]);
  });

  it('computes jieba\'s TF-IDF pick from the shared tokens exactly as nodejieba.extract does, ties and order included', () => {
    const jieba: { extract(t: string, n: number): { word: string; weight: number }[]; cut(t: string, hmm: boolean): string[] } = createRequire(import.meta.url)('nodejieba');
    const texts = [
      '对面工地晚上十一点还在打桩，噪音吵得根本睡不着，工地工地噪音',
      '小区物业不作为，已经打了12345热线，网格员也来看过，物业说没办法，物业费照收',
      '路灯 路灯 停水 停电 abc ABC 123 𠀀𠀁 停水',
      '公交线路调整以后，老人去医院要换乘两次，希望增开一条直达线路，方便市民出行。',
    ];
    for (const t of texts) {
      for (const n of [3, 8, 24, 100]) {
        expect(tfidfFromTokens(jieba.cut(t, true), n)).toEqual(jieba.extract(t, n).map((k) => ({ word: k.word, weight: k.weight })));
      }
    }
  });
});
