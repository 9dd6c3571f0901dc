// The shipped mined generic words (lexicons/opinion.json minedGenericWords) are the miner's answer
// on our seed corpus, not a hand-typed list; and the miner keeps problem words and place names out.
import { describe, expect, it } from 'vitest';
import { loadGazetteer } from '../places/gazetteer';
import { opinionConfig } from './config';
import { gazetteerNames, mineGenericWords, seedCorpusDocs } from './generic-words';

describe('generic words mined from the seed corpus', () => {
  const mined = mineGenericWords(seedCorpusDocs(), gazetteerNames(loadGazetteer()));
  it('the shipped list is the miner’s answer', () => {
    expect([...opinionConfig().minedGenericWords].sort()).toEqual(mined.map((w) => w.word).sort());
  });
  it('finds words used about every kind of problem, never a problem word or a place name', () => {
    const words = new Set(mined.map((w) => w.word));
    for (const w of ['尽快', '恳请', '多次']) expect(words.has(w)).toBe(true);
    for (const w of ['停水', '噪音', '路灯', '油烟', '拖欠', '学校', '芜湖', '镜湖区', '赭山']) expect(words.has(w)).toBe(false);
    for (const w of mined) expect(w.evenness).toBeGreaterThanOrEqual(0.9);
  });
});
