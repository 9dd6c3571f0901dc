// The public statistics' cache and concurrency bound (api/routes/stats/cache.ts): identical
// requests share one computation, distinct ones run at most STATS_CONCURRENCY at a time, and past
// the wait list the answer is 503 with Retry-After instead of a pile-up on the database pool.
import { describe, expect, it } from 'vitest';
import { cacheKey, createStatsCache } from '../api/routes/stats/cache';
import { ApiError } from '../api/errors';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('stats cache', () => {
  it('shares one computation among identical requests and keeps the answer', async () => {
    const cache = createStatsCache({ ttlMs: 60_000, concurrency: 2 });
    let runs = 0;
    const g = gate();
    const compute = async () => {
      runs++;
      await g.opened;
      return { n: runs };
    };
    const all = Array.from({ length: 48 }, () => cache.get('k', compute));
    g.open();
    expect(new Set((await Promise.all(all)).map((r) => r.n))).toEqual(new Set([1]));
    expect(await cache.get('k', compute)).toEqual({ n: 1 });
    expect(runs).toBe(1);
  });

  it('runs at most `concurrency` distinct computations at once and refuses past the wait list', async () => {
    const cache = createStatsCache({ ttlMs: 60_000, concurrency: 2, maxWaiting: 40 });
    let running = 0;
    let most = 0;
    const g = gate();
    const compute = (i: number) => async () => {
      running++;
      most = Math.max(most, running);
      await g.opened;
      running--;
      return { i };
    };
    const settled = Array.from({ length: 48 }, (_, i) => cache.get(`k${i}`, compute(i)).then((r) => r.i, (e: unknown) => e));
    await new Promise((r) => setTimeout(r, 0));
    g.open();
    const out = await Promise.all(settled);
    expect(most).toBe(2);
    const refused = out.filter((x): x is ApiError => x instanceof ApiError);
    // 2 running + 40 waiting were taken; the other 6 were told to come back
    expect(refused).toHaveLength(6);
    expect(refused[0].status).toBe(503);
    expect(refused[0].headers).toMatchObject({ 'Retry-After': expect.any(String) });
    expect(out.filter((x) => typeof x === 'number')).toHaveLength(42);
  });

  it('keys a request by its validated query, in any order', () => {
    expect(cacheKey('overview', { days: 7, channel: 'portal', district: undefined })).toBe(cacheKey('overview', { channel: 'portal', days: 7 }));
    expect(cacheKey('overview', { days: 7 })).not.toBe(cacheKey('metrics', { days: 7 }));
  });
});
