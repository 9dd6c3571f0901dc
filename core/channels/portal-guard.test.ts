import { describe, expect, it } from 'vitest';
import { QUERY_CODE_LIMITS, QueryCodeGuard, RateLimiter } from './portal';

describe('QueryCodeGuard', () => {
  it('locks a tracking number after the burst of wrong codes and lets it go a minute after the guessing stops', async () => {
    let t = 0;
    const now = () => t;
    const guard = new QueryCodeGuard(new RateLimiter(QUERY_CODE_LIMITS.perNumber, QUERY_CODE_LIMITS.windowMs, now), new RateLimiter(1000, QUERY_CODE_LIMITS.windowMs, now));
    for (let i = 0; i < QUERY_CODE_LIMITS.perNumber; i++) {
      expect(await guard.lockedFor('MS2612010000001', 'a')).toBe(0);
      await guard.wrong('MS2612010000001', 'a');
    }
    const wait = await guard.lockedFor('MS2612010000001', 'b');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await guard.lockedFor('MS2612010000002', 'b')).toBe(0);
    t += wait * 1000;
    expect(await guard.lockedFor('MS2612010000001', 'b')).toBe(0);
  });
});
