import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { fuzzyPlaceHits, pinyinPlaceHits, withinOneEdit } from './fuzzy-place';
import { extractPlace } from './place';

describe('mistyped place names', () => {
  it('finds a name one edit away before its suffix, and says when two fit equally', () => {
    const names = [{ name: '弋江区', target: 'y' }, { name: '鸠江区', target: 'j' }, { name: '赭山街道', target: 'z' }];
    const [hit] = fuzzyPlaceHits('家住赫山街道', names, new Set<string>());
    expect(hit).toMatchObject({ text: '赫山街道', name: '赭山街道', distance: 1, alternatives: [] });
    const [tie] = fuzzyPlaceHits('戈江区路灯坏了', names, new Set<string>());
    expect(tie.alternatives.map((a) => a.name)).toEqual(['鸠江区']);
    expect(fuzzyPlaceHits('小区门口路灯坏了', names, new Set<string>())).toEqual([]);
  });
  it('lets the places written right decide between equal fits, and never overrides them', () => {
    expect(extractPlace('我住在戈江区中南街道，路灯坏了', { fuzzy: false }).district).toBe('弋江区'); // the street alone says so
    const p = extractPlace('我住在戈江区，中南街道的路灯坏了');
    expect(p).toMatchObject({ district: '弋江区', street: '中南街道' });
    expect(p.matches.some((m) => m.fuzzy?.name === '弋江区')).toBe(true);
    expect(extractPlace('戈江区的路灯坏了').district).toBeNull(); // 弋江区 or 鸠江区: not a guess
    expect(extractPlace('家住弋江区中男街道银湖花园')).toMatchObject({ district: '弋江区', street: '中南街道' });
    expect(extractPlace('家住弋江区中男街道银湖花园', { fuzzy: false }).street).toBeNull();
  });

  it('tells names one edit apart exactly as the restricted Damerau–Levenshtein distance does', () => {
    const { DamerauLevenshteinDistance: d } = createRequire(import.meta.url)('natural/lib/natural/distance/levenshtein_distance');
    const alphabet = ['弋', '鸠', '江', '区'];
    const words: string[] = [''];
    for (let len = 1; len <= 3; len++) for (const w of words.filter((x) => x.length === len - 1)) for (const c of alphabet) words.push(w + c);
    for (const a of words) for (const b of words) expect(withinOneEdit(a, b)).toBe(d(a, b, { restricted: true }) <= 1);
  });

  it('marks a short core one character off as weak, but not a character typed twice or a swap', () => {
    const names = [{ name: '镜湖区', target: 'j' }, { name: '烟墩社区', target: 'y' }, { name: '湖滨村', target: 'h' }];
    const weak = (t: string) => fuzzyPlaceHits(t, names, new Set<string>()).map((h) => [h.name, h.weak]);
    expect(weak('通湖区有人占道')).toEqual([['镜湖区', true]]);
    expect(weak('烟墩墩社区门口')).toEqual([['烟墩社区', false]]); // not 墩社区 missing 烟 (weak)
    expect(weak('滨湖村门口')).toEqual([['湖滨村', false]]);
  });

  it('matches names written in pinyin, with or without tones and spaces, one letter off only in long keys', () => {
    const names = [
      { name: '弋江区', target: 'y' },
      { name: '中南街道', target: 'z' },
      { name: '新华村', target: 'x1' },
      { name: '新华村', target: 'x2' },
      { name: '镜湖', target: 'j' },
    ];
    const read = (t: string) => pinyinPlaceHits(t, names).map((h) => [h.text, h.name, h.distance]);
    expect(read('家住yijiang qu中南街道')).toEqual([['yijiang qu', '弋江区', 0]]);
    expect(read('Yìjiāng Qū, zhong1 nan2 jie1 dao4 路灯坏了')).toEqual([['Yìjiāng Qū', '弋江区', 0], ['zhong1 nan2 jie1 dao4', '中南街道', 0]]);
    expect(read('yijiang区的路灯')).toEqual([['yijiang区', '弋江区', 0]]);
    expect(read('yijang qu')).toEqual([['yijang qu', '弋江区', 1]]);
    expect(read('jinghu 这边')).toEqual([['jinghu', '镜湖', 0]]);
    expect(read('jinhu 这边')).toEqual([]); // a key of six letters: exact only
    expect(read('the road lamps in our compound are not working')).toEqual([]);
    // one name in two places: both returned, the caller decides by the other places named
    const [hit] = pinyinPlaceHits('xinhua cun 门口', names);
    expect([hit.target, ...hit.alternatives.map((a) => a.target)].sort()).toEqual(['x1', 'x2']);
  });
});
