import { describe, expect, it } from 'vitest';
import { addWords, cut, isStopWord, segment, sharedCut, tagsOfTokens, tagWords } from './segment';

describe('segment', () => {
  it('keeps user-dictionary words whole', () => {
    const tokens = segment('小区物业不作为，已经打了12345热线，网格员也来看过');
    expect(tokens).toContain('物业');
    expect(tokens).toContain('12345热线');
    expect(tokens).toContain('网格员');
  });

  it('drops punctuation, whitespace and stop words', () => {
    const tokens = segment('我们的  公积金，怎么提取？');
    expect(tokens).toContain('公积金');
    expect(tokens).not.toContain('，');
    expect(tokens).not.toContain('的');
    expect(isStopWord('的')).toBe(true);
    expect(isStopWord('投诉')).toBe(false);
  });

  it('accepts words at run time', () => {
    addWords(['鹊江花园北区']);
    expect(segment('鹊江花园北区停水')).toContain('鹊江花园北区');
  });

  it('never throws on bad input', () => {
    expect(cut('')).toEqual([]);
    expect(segment('')).toEqual([]);
    expect(segment(undefined as unknown as string)).toEqual([]);
    expect(() => segment('停水\uD800\uDC00\uDFFF')).not.toThrow();
    expect(segment('😀😀')).toEqual(expect.any(Array));
    expect(segment('路'.repeat(100_000)).length).toBeGreaterThan(0);
  });

  it('segments a text once for every reader, and again after the dictionary changes', () => {
    const text = '新开的蓝莓果园区门口积水严重';
    const first = cut(text);
    first.push('changed by a caller');
    expect(cut(text)).not.toContain('changed by a caller'); // callers get copies
    expect(sharedCut(text)).toEqual(cut(text));
    expect(cut(text)).not.toContain('蓝莓果园区');
    addWords(['蓝莓果园区']);
    expect(cut(text)).toContain('蓝莓果园区');
    expect(segment(text)).toContain('蓝莓果园区');
  });

  it('tags a list of tokens as the tagger tags them inside their text', () => {
    const text = '小区物业不作为，已经打了12345热线，网格员也来看过 abc 3号楼';
    const whole = tagWords(text).filter((t) => t.word.trim() && t.word !== '\n');
    const tags = tagsOfTokens(whole.map((t) => t.word));
    expect(tags).not.toBeNull();
    for (const t of whole) expect(tags!.get(t.word)).toBe(t.tag);
  });
});
