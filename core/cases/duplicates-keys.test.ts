// The place-scoped index keys find exactly the cases the place gate of scoreFeatures does not veto.
import { describe, expect, it } from 'vitest';
import { dupCandidateQualifies, dupKeyKind, lookupDupKeys, scoreFeatures, storedDupKeys, type DuplicateFeatures } from './duplicates';

const places = [
  { district: '甲区', street: '一街道' }, { district: '甲区', street: '二街道' }, { district: '甲区', street: null },
  { district: '乙区', street: '一街道' }, { district: null, street: '一街道' }, { district: '乙区', street: null }, { district: null, street: null },
];
const f = (p: { district: string | null; street: string | null }): DuplicateFeatures => ({
  fingerprint: null, category: null, district: p.district, street: p.street, community: null, bigrams: ['路灯', '灯坏'], keywords: ['路灯'], topics: [], buildings: [],
});

describe('place-scoped duplicate keys', () => {
  it('a message looks up a case exactly when the place gate lets them merge (district veto aside: both named, different)', () => {
    for (const m of places) for (const c of places) {
      const look = new Set(lookupDupKeys(['t:路灯'], m));
      const found = storedDupKeys(['t:路灯'], c).some((k) => look.has(k));
      const veto = scoreFeatures(f(m), f(c)).veto;
      const placeOk = veto === null;
      // same street in two named districts is found and then vetoed by the score ('district')
      if (veto === 'district') continue;
      expect({ m, c, found }).toEqual({ m, c, found: placeOk });
    }
  });
  it('kinds and the candidate rule', () => {
    expect(dupKeyKind('s:一街道|b2:ab12')).toBe('band');
    expect(dupKeyKind('d:甲区|t:路灯')).toBe('object');
    expect(dupKeyKind('n:甲区|k:业主')).toBe('keyword');
    expect(dupCandidateQualifies({ band: 1, object: 0, keyword: 0 })).toBe(true);
    expect(dupCandidateQualifies({ band: 0, object: 1, keyword: 0 })).toBe(false);
    expect(dupCandidateQualifies({ band: 0, object: 1, keyword: 1 })).toBe(true);
    expect(dupCandidateQualifies({ band: 0, object: 0, keyword: 1 })).toBe(false);
    expect(dupCandidateQualifies({ band: 0, object: 0, keyword: 2 })).toBe(true);
  });
});
