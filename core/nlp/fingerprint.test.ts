import { describe, expect, it } from 'vitest';
import { EMPTY_FINGERPRINT, hammingDistance, isNearDuplicate, similarity, simhash } from './fingerprint';
import { extractKeywords } from './keywords';

const a = '弋江区花津南路附近的混凝土搅拌站每天大货车进进出出，灰尘漫天，晚上十点以后还在作业，噪音严重影响休息。';
const b = '花津南路附近混凝土搅拌站每天大货车进出，灰尘漫天，晚上十点后还在作业，噪音严重影响居民休息！';
const c = '请问芜湖办理居住证需要带哪些材料？我是外地户口，在弋江区租房住。';
const d = '感谢社区网格员小李，我家老人独居，水管爆了是她第一时间联系了师傅。';

describe('SimHash fingerprint', () => {
  it('is 16 hex digits and stable', () => {
    expect(simhash(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(simhash(a)).toBe(simhash(a));
  });
  it('puts near-duplicates closer than unrelated texts', () => {
    const near = hammingDistance(simhash(a), simhash(b));
    expect(near).toBeLessThan(hammingDistance(simhash(a), simhash(c)));
    expect(near).toBeLessThan(hammingDistance(simhash(a), simhash(d)));
    expect(near).toBeLessThan(hammingDistance(simhash(b), simhash(c)));
    expect(isNearDuplicate(simhash(a), simhash(b))).toBe(true);
    expect(isNearDuplicate(simhash(a), simhash(c))).toBe(false);
    expect(similarity(simhash(a), simhash(b))).toBeGreaterThan(similarity(simhash(a), simhash(c)));
  });
  it('measures distance and similarity', () => {
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('00000000000000ff', '0000000000000000')).toBe(8);
    expect(similarity('123456789abcdef0', '123456789abcdef0')).toBe(1);
    expect(() => hammingDistance('xyz', '0000000000000000')).toThrow();
  });
  it('gives the empty fingerprint for nothing to read, never a duplicate', () => {
    expect(simhash('')).toBe(EMPTY_FINGERPRINT);
    expect(simhash('！！')).toBe(EMPTY_FINGERPRINT);
    expect(isNearDuplicate(EMPTY_FINGERPRINT, EMPTY_FINGERPRINT)).toBe(false);
  });
});

describe('keywords', () => {
  it('returns up to 8 content words without stop words, numbers or filler', () => {
    const k = extractKeywords(a);
    expect(k.length).toBeGreaterThan(3);
    expect(k.length).toBeLessThanOrEqual(8);
    expect(k).toContain('搅拌站');
    for (const w of k) {
      expect(w.length).toBeGreaterThan(1);
      expect(['的', '我们', '问题', '反映']).not.toContain(w);
    }
  });
  it('returns nothing for empty text', () => {
    expect(extractKeywords('')).toEqual([]);
    expect(extractKeywords('😀😀')).toEqual([]);
  });
});
