import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES, extractKeys } from './features';

const keys = (tokens: string[], cfg: Partial<typeof DEFAULT_FEATURES>) => {
  // the text itself yields no character n-grams ('' ) so only the word view is counted
  const [buf, k] = extractKeys('', { ...DEFAULT_FEATURES, words: true, ...cfg }, new Float64Array(8), () => tokens);
  return Array.from(buf.subarray(0, k));
};

describe('word features', () => {
  it('adds word pairs within a clause only when asked', () => {
    expect(keys(['服务', '很', '好'], {})).toHaveLength(3);
    expect(keys(['服务', '很', '好'], { wordMaxN: 2 })).toHaveLength(5);
    // punctuation breaks the pair chain: no 好 + 价格 pair
    expect(keys(['服务', '好', '，', '价格', '贵'], { wordMaxN: 2 })).toHaveLength(6);
  });
  it('marks words after a negation with a NOT_ twin until the clause ends', () => {
    const plain = keys(['不', '满意', '，', '满意'], {});
    const scoped = keys(['不', '满意', '，', '满意'], { negationScope: 3 });
    expect(plain).toHaveLength(3);
    expect(scoped).toHaveLength(4); // only the 满意 inside the scope gets a twin
    const twin = scoped.find((k) => !plain.includes(k));
    expect(twin).toBeDefined();
    // the twin of 满意 differs from 满意 itself, and the scope is bounded by its length
    expect(keys(['不', '是', '很', '满意'], { negationScope: 1 })).toHaveLength(5);
  });
  it('keys a word pair as the hash of "first \\u0001 second", as the shipped models were trained', () => {
    // the model files hold these keys: the pair's key must not change when it is computed
    // without building the joined string
    const reference = (w: string) => {
      let h1 = 0x510e527f | 0;
      let h2 = 0x1f83d9ab | 0;
      for (let j = 0; j < w.length; j++) {
        const c = w.charCodeAt(j);
        h1 = Math.imul(h1 ^ c, 0x01000193);
        h2 = Math.imul(h2 ^ c, 0x5bd1e995);
        h2 ^= h2 >>> 15;
      }
      return (h1 >>> 0) + (h2 & 0x1fffff) * 4294967296;
    };
    const unigrams = keys(['服务', '很好'], {});
    const withPair = keys(['服务', '很好'], { wordMaxN: 2 });
    const pair = withPair.filter((k) => !unigrams.includes(k));
    expect(pair).toEqual([reference('服务\u0001很好')]);
    // a different split of the same characters is a different pair
    const other = keys(['服务很', '好'], { wordMaxN: 2 }).filter((k) => !keys(['服务很', '好'], {}).includes(k));
    expect(other).toEqual([reference('服务很\u0001好')]);
    expect(other[0]).not.toBe(pair[0]);
  });
});
