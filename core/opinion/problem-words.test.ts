// Problem words come from the shipped lexicons; urging words and negations' stems are not problem words.
import { describe, expect, it } from 'vitest';
import { genericFromCounts } from './generic-words';
import { isProblemWord } from './problem-words';

describe('isProblemWord', () => {
  it('takes hazard kinds and objects, routing fields, department names, negative sentiment entries', () => {
    for (const w of ['安全', '事故', '高压线', '派出所', '诈骗']) expect(isProblemWord(w)).toBe(true);
  });
  it('not an urging word, nor the stem of a negated entry or a fragment of a pattern', () => {
    for (const w of ['加快', '尽快', '刻不容缓', '希望', '及时', '一直', '情况', '市民']) expect(isProblemWord(w)).toBe(false);
  });
  it('keeps a problem word out of the mined list however even it is', () => {
    const groups = new Map([['a', 100], ['b', 100]]);
    const words = new Map([['事故', new Map([['a', 10], ['b', 10]])], ['加快', new Map([['a', 10], ['b', 10]])]]);
    const crit = { minDocShare: 0.01, minCategories: 2, minEvenness: 0.9 };
    expect(genericFromCounts(groups, words, 200, crit, isProblemWord).map((w) => w.word)).toEqual(['加快']);
  });
});
