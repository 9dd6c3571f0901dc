// The burst detector (core/opinion/bursts.ts), on made-up hourly series: each series against its own
// baseline with its hour-of-day profile; a topic with no history is new, not a burst, unless its
// volume alone is significant (the old code marked every topic 突增 when the previous window was empty).
import { describe, expect, it } from 'vitest';
import { expectedRate, poissonTail, testBurst, type HourCount } from '../core/opinion/bursts';
import { opinionConfig } from '../core/opinion/config';
import { heatIndex, heatParts } from '../core/opinion/heat';

const HOUR = 3_600_000;
const cfg = () => opinionConfig().bursts;
// 2026-03-02 is a Monday; local time is UTC+8
const NOW = new Date('2026-03-30T02:00:00Z'); // 10:00 local

function history(perHour: (localHour: number) => number, days = 28): HourCount[] {
  const out: HourCount[] = [];
  for (let h = days * 24; h >= 3; h--) {
    const hour = new Date(NOW.getTime() - h * HOUR);
    const n = perHour(new Date(hour.getTime() + 8 * HOUR).getUTCHours());
    if (n > 0) out.push({ hour, count: n });
  }
  return out;
}
const recent = (n: number, withinMinutes: number) => Array.from({ length: n }, (_, i) => new Date(NOW.getTime() - (i * withinMinutes * 60_000) / Math.max(1, n)));

describe('burst detector', () => {
  it('computes the Poisson upper tail', () => {
    expect(poissonTail(0, 0.5)).toBe(1);
    expect(poissonTail(3, 0.1)).toBeCloseTo(1 - Math.exp(-0.1) * (1 + 0.1 + 0.005), 8);
    expect(poissonTail(10, 2)).toBeCloseTo(4.65e-5, 6);
    expect(poissonTail(5, 0)).toBe(0);
  });

  it('measures a series against its own baseline', () => {
    const busy = history(() => 2); // two messages every hour for four weeks
    expect(expectedRate(busy, NOW, cfg())).toBeGreaterThan(1.5);
    expect(testBurst(recent(3, 60), busy, NOW, cfg()).burst).toBe(false); // an ordinary hour
    expect(testBurst(recent(20, 60), busy, NOW, cfg()).burst).toBe(true); // ten times the usual
    const quiet = history((h) => (h === 9 ? 1 : 0)); // one message a day, at nine
    expect(testBurst(recent(2, 60), quiet, NOW, cfg()).burst).toBe(false); // below the minimum count
    expect(testBurst(recent(8, 90), quiet, NOW, cfg()).burst).toBe(true);
  });

  it('uses the hour-of-day profile: the morning rush is not a burst, the same count at night is', () => {
    const mornings = history((h) => (h >= 9 && h <= 11 ? 4 : 0));
    const at10 = NOW; // 10:00 local
    const at3 = new Date(NOW.getTime() - 7 * HOUR); // 03:00 local
    const at3Recent = recent(8, 60).map((d) => new Date(d.getTime() - 7 * HOUR));
    expect(testBurst(recent(8, 60), mornings, at10, cfg()).burst).toBe(false);
    expect(testBurst(at3Recent, mornings, at3, cfg()).burst).toBe(true);
  });

  it('calls a topic with no history new, not a burst, unless its volume alone is significant', () => {
    // the old failure: a topic whose previous window is empty was always 突增
    expect(testBurst(recent(3, 60), [], NOW, cfg(), { isNew: true }).burst).toBe(false);
    expect(testBurst(recent(cfg().newTopicMinCount - 1, 10), [], NOW, cfg(), { isNew: true }).burst).toBe(false);
    const many = testBurst(recent(10, 90), [], NOW, cfg(), { isNew: true });
    expect(many.burst).toBe(true);
    expect(many.pValue).toBeLessThan(cfg().alpha);
  });
});

describe('heat index', () => {
  const base = { size: 10, recent: 10, previous: 0, engagement: 0, negative: 5, channels: 1, districts: 1, activeDays: 1, lastAt: NOW, now: NOW };
  const heat = (x: Partial<typeof base>) => heatIndex(heatParts({ ...base, ...x }, opinionConfig().heat), opinionConfig().heat);
  it('rises with volume, engagement, spread and recency, each bounded', () => {
    expect(heat({ size: 40, recent: 40 })).toBeGreaterThan(heat({}));
    expect(heat({ engagement: 300 })).toBeGreaterThan(heat({}));
    expect(heat({ channels: 3, districts: 2, activeDays: 10 })).toBeGreaterThan(heat({}));
    expect(heat({ lastAt: new Date(NOW.getTime() - 30 * 86_400_000) })).toBeLessThan(heat({}));
    expect(heat({ previous: 20 })).toBeLessThan(heat({})); // falling, not growing
    const max = heat({ size: 1e6, recent: 1e6, engagement: 1e9, negative: 1e6, channels: 9, districts: 9, activeDays: 999 });
    expect(max).toBeLessThanOrEqual(100);
  });
});
