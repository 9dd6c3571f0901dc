import { describe, expect, it } from 'vitest';
import { analyzeMessage } from './analyze';
import { extractKeywords } from './keywords';

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
});
