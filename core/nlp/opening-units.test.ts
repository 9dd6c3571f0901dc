import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openingUnits, UnitPresence } from './opening-units';
import { seededRandom } from '../util/seeded-random';

describe('opening units of a pattern', () => {
  it('holds for every shipped urgency pattern wherever it matches', () => {
    const cfg = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../lexicons/urgency.json'), 'utf8')) as { hazards: [string, string][]; outages: [string, string][] };
    const sources = [...cfg.hazards, ...cfg.outages].map(([s]) => s);
    const alphabet = [...new Set(sources.join('').replace(/[\\^$.|?*+()[\]{}0-9,]/g, ''))];
    const rand = seededRandom(5);
    let read = 0;
    for (const src of sources) {
      const units = openingUnits(src);
      if (units === null) continue;
      read++;
      const re = new RegExp(src, 'g');
      for (let n = 0; n < 300; n++) {
        let text = '';
        for (let i = 0; i < 10; i++) text += alphabet[Math.floor(rand() * alphabet.length)];
        for (const m of text.matchAll(re)) expect(units).toContain(text.charCodeAt(m.index!));
      }
    }
    expect(read).toBeGreaterThan(sources.length / 2);
  });
  it('marks the units of the last text only', () => {
    const p = new UnitPresence();
    p.mark('停水了');
    expect(p.mayOpen(openingUnits('停水|断水'))).toBe(true);
    p.mark('断电了', 1, 3);
    expect(p.mayOpen(openingUnits('停水|断水'))).toBe(false);
    expect(p.mayOpen(openingUnits('电'))).toBe(true);
    expect(p.mayOpen(null)).toBe(true);
  });
});
