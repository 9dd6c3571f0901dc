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
});
