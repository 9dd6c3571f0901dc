import { describe, expect, it } from 'vitest';
import { loadGazetteer } from '../../../core/places/gazetteer';
import { addressVariants, mistypedAddresses } from './place-variants';

describe('generated mistyped addresses', () => {
  const g = loadGazetteer();
  it('replays for a seed and writes each kind as it says', () => {
    const a = addressVariants(g, 120, 3);
    expect(addressVariants(g, 120, 3)).toEqual(a);
    expect(new Set(a.map((x) => x.key.split(':')[0]))).toEqual(new Set(['pinyin', 'drop-suffix', 'extra', 'typo']));
    for (const x of a) {
      const part = x.key.split(':')[1] as 'district' | 'street' | 'community';
      const name = part === 'district' ? x.district : part === 'street' ? x.street : x.community;
      // the part is never written right (an extra character may leave the name whole: 鸠鸠江区)
      if (!x.key.startsWith('extra')) expect(x.text.includes(name)).toBe(false);
      if (x.key.startsWith('pinyin')) expect(x.text).toMatch(/[a-z]/i);
      else expect(x.text).not.toMatch(/[a-z]/i);
    }
  });
  it('keeps the original set as it was', () => {
    const a = mistypedAddresses(g, 50, 1);
    expect(a).toHaveLength(50);
    expect(a.every((x) => x.named.street && !x.named.community)).toBe(true);
  });
});
