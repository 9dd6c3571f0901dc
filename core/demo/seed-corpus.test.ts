import { describe, expect, it } from 'vitest';
import { REQUEST_TYPES } from '../nlp/types';
import { CATEGORIES, loadSeedMessages } from './seed-corpus';

describe('seed corpus', () => {
  const rows = loadSeedMessages();

  it('has at least 700 valid rows, 100 per category', () => {
    expect(rows.length).toBeGreaterThanOrEqual(700);
    for (const c of CATEGORIES) expect(rows.filter((r) => r.category === c).length, c).toBeGreaterThanOrEqual(100);
  });

  it('covers every request type, both urgencies and all sentiments', () => {
    for (const t of REQUEST_TYPES) expect(rows.some((r) => r.type === t), t).toBe(true);
    expect(new Set(rows.map((r) => r.urgency))).toEqual(new Set(['urgent', 'normal']));
    expect(new Set(rows.map((r) => r.sentiment))).toEqual(new Set(['negative', 'neutral', 'positive']));
  });

  it('has no duplicate texts and realistic lengths', () => {
    expect(new Set(rows.map((r) => r.text)).size).toBe(rows.length);
    for (const r of rows) {
      expect(r.text.length).toBeGreaterThanOrEqual(15);
      expect(r.text.length).toBeLessThanOrEqual(400);
    }
  });

  it('mixes channel styles (posts, letters, hotline summaries)', () => {
    expect(rows.filter((r) => r.text.startsWith('来电人') || r.text.startsWith('市民来电')).length).toBeGreaterThan(100);
    expect(rows.filter((r) => /^尊敬的|^领导您好|^您好！/.test(r.text)).length).toBeGreaterThan(100);
    expect(rows.filter((r) => r.text.length < 60).length).toBeGreaterThan(150);
  });
});
