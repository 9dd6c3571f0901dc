// The rollups' arithmetic: duration buckets and the percentiles read from them stay within a
// bucket's width of the exact value; a case's counters follow the 三率 definitions and say when the
// clock alone next changes them.
import { describe, expect, it } from 'vitest';
import { caseFact, CASE_COUNTERS, DURATION_BUCKETS_MIN, durationBucket, localDay, quantileFromBuckets, type CaseForRollup } from '../core/analytics/rollups';
import { seededRandom } from '../core/util/seeded-random';

describe('duration buckets', () => {
  it('reads the median and the 90th percentile within a bucket (a quarter) of the exact figures, a few percent on average', () => {
    const rnd = seededRandom(7);
    const errs: number[] = [];
    for (let trial = 0; trial < 20; trial++) {
      // log-normal-ish durations from minutes to weeks
      const mins = Array.from({ length: 500 }, () => Math.exp(2 + rnd() * 8)).sort((a, b) => a - b);
      const counts = new Map<number, number>();
      for (const m of mins) counts.set(durationBucket(m * 60_000), (counts.get(durationBucket(m * 60_000)) ?? 0) + 1);
      for (const q of [0.5, 0.9]) {
        const exact = mins[Math.ceil(q * mins.length) - 1];
        const read = quantileFromBuckets(counts, q)!;
        errs.push(Math.abs(read - exact) / exact);
        expect(errs.at(-1)).toBeLessThanOrEqual(0.25);
      }
    }
    expect(errs.reduce((a, b) => a + b, 0) / errs.length).toBeLessThan(0.05);
    expect(quantileFromBuckets(new Map(), 0.5)).toBeNull();
    expect(durationBucket(0)).toBe(0);
    expect(durationBucket(10 ** 12)).toBe(DURATION_BUCKETS_MIN.length);
  });
});

describe('caseFact', () => {
  const base: CaseForRollup = {
    createdAt: new Date('2026-03-01T23:30:00+08:00'), district: '镜湖区', category: null, channel: 'portal', sentiment: 'negative', requestType: '投诉',
    departmentCode: 'housing', status: 'accepted', needsReview: false, responseDueAt: new Date('2026-03-03T17:30:00+08:00'), firstResponseAt: null,
    resolveDueAt: new Date('2026-03-16T17:30:00+08:00'), replyPending: false, replySentAt: null, everClosed: false, rating: null, resolved: null,
  };
  const counters = (f: ReturnType<typeof caseFact>) => Object.fromEntries(CASE_COUNTERS.map((k, i) => [k, f.counters[i]]));

  it('counts by the local day and flips when a deadline passes', () => {
    const before = caseFact(base, new Date('2026-03-02T12:00:00+08:00'));
    expect(before.dims).toMatchObject({ day: '2026-03-01', category: '', department: 'housing' });
    expect(counters(before)).toMatchObject({ n: 1, respDue: 0, onTimeDue: 0, overdueOpen: 0 });
    expect(before.flipAt!.getTime()).toBe(base.responseDueAt!.getTime() + 1);
    const after = caseFact(base, new Date('2026-03-20T12:00:00+08:00'));
    expect(counters(after)).toMatchObject({ respDue: 1, respHit: 0, onTimeDue: 1, onTimeHit: 0, overdueOpen: 1 });
    expect(after.flipAt).toBeNull();
  });

  it('a replied, rated case: on time, satisfied, resolved; merged cases carry no durations', () => {
    const done = { ...base, status: 'rated', firstResponseAt: new Date('2026-03-02T09:00:00+08:00'), replySentAt: new Date('2026-03-10T09:00:00+08:00'), everClosed: true, rating: '基本满意', resolved: true };
    const f = caseFact(done, new Date('2026-03-20T12:00:00+08:00'));
    expect(counters(f)).toMatchObject({ respHit: 1, onTimeHit: 1, overdueOpen: 0, closed: 1, rated: 1, satisfied: 1, resolvedYes: 1, resolvedAsked: 1 });
    expect(DURATION_BUCKETS_MIN[f.responseBucket!]).toBeGreaterThanOrEqual(570);
    expect(caseFact({ ...done, status: 'merged' }, new Date()).responseBucket).toBeNull();
    expect(localDay(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
  });

  it('a reply held for 答复审核 counts from its approval: late and 超期在办 past the deadline while held, on time if approved by it', () => {
    const held = { ...base, status: 'replied', firstResponseAt: new Date('2026-03-10T09:00:00+08:00'), replyPending: true, replySentAt: null };
    expect(counters(caseFact(held, new Date('2026-03-12T12:00:00+08:00')))).toMatchObject({ onTimeDue: 0, onTimeHit: 0, overdueOpen: 0 });
    expect(counters(caseFact(held, new Date('2026-03-20T12:00:00+08:00')))).toMatchObject({ onTimeDue: 1, onTimeHit: 0, overdueOpen: 1 });
    const approvedLate = { ...held, replyPending: false, replySentAt: new Date('2026-03-18T10:00:00+08:00') };
    expect(counters(caseFact(approvedLate, new Date('2026-03-20T12:00:00+08:00')))).toMatchObject({ onTimeDue: 1, onTimeHit: 0, overdueOpen: 0 });
    const approvedInTime = { ...held, replyPending: false, replySentAt: new Date('2026-03-16T10:00:00+08:00') };
    expect(counters(caseFact(approvedInTime, new Date('2026-03-20T12:00:00+08:00')))).toMatchObject({ onTimeDue: 1, onTimeHit: 1 });
  });
});
