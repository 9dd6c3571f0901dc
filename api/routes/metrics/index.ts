// 三率 and department rankings: GET /api/v1/stats/metrics and /api/v1/stats/departments.
import { Hono } from 'hono';
import { z } from 'zod';
import { getDepartmentRanking, getMetrics } from '../../../core/analytics/metrics';
import { requireStaff } from '../../auth';
import type { AppDeps, AppEnv } from '../../deps';
import { ApiError } from '../../errors';
import { boundedDateTime, validate } from '../../validate';

export const period = z.object({
  from: boundedDateTime().optional(),
  to: boundedDateTime().optional(),
  days: z.coerce.number().int().min(1).max(366).default(30),
});
export const rankingQuery = period.extend({
  minVolume: z.coerce.number().int().min(1).max(100_000).default(20),
  rankBy: z.enum(['onTime', 'response', 'satisfaction']).default('onTime'),
});

function window(q: z.infer<typeof period>) {
  const now = new Date();
  const to = q.to ? new Date(q.to) : now;
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - q.days * 86_400_000);
  if (from >= to) throw new ApiError('validation_failed', 'from must be before to', [{ field: 'from', message: 'must be before to' }]);
  return { from, to, now };
}

export function metricsRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/metrics', validate('query', period), async (c) => c.json(await getMetrics(deps.db.sql, window(c.req.valid('query')))))
    // per-department 超期在办 and rates name and shame single offices: staff only (README, Who may read what)
    .get('/departments', requireStaff(deps), validate('query', rankingQuery), async (c) => {
      const q = c.req.valid('query');
      return c.json(await getDepartmentRanking(deps.db.sql, { ...window(q), minVolume: q.minVolume, rankBy: q.rankBy }));
    });
}
