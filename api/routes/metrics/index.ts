// 三率 and department rankings: GET /api/v1/stats/metrics (public, cached), GET /api/v1/stats/departments
// (staff: rates and 超期在办 by office name single offices), and GET /api/v1/stats/service-times (staff:
// per-department response and resolution times with 超期在办). Every one takes the period and filters of ../stats/query.ts.
import { Hono } from 'hono';
import { z } from 'zod';
import { getDepartmentRanking, getMetrics, getServiceTimes } from '../../../core/analytics/metrics';
import { requireStaff } from '../../auth';
import type { AppDeps, AppEnv } from '../../deps';
import { validate } from '../../validate';
import { cacheKey, setCacheHeaders, statsCacheFor } from '../stats/cache';
import { statsQuerySchema, statsWindow } from '../stats/query';

export const rankingQuery = statsQuerySchema.extend({
  minVolume: z.coerce
    .number({ message: '最小办件量须为整数 (minVolume must be a whole number)' })
    .int('最小办件量须为整数 (minVolume must be a whole number)')
    .min(1, '最小办件量至少为 1 (minVolume must be at least 1)')
    .max(100_000, '最小办件量最多为 100000 (minVolume must be at most 100000)')
    .default(20),
  rankBy: z.enum(['onTime', 'response', 'satisfaction'], { message: '排序须为 onTime、response、satisfaction 之一 (rankBy must be onTime, response or satisfaction)' }).default('onTime'),
});

/** who may see per-department service times and 超期在办 */
export const SERVICE_TIMES_ROLES = ['admin', 'centre', 'leader'] as const;

export function metricsRoutes(deps: AppDeps) {
  const cache = statsCacheFor(deps);
  return new Hono<AppEnv>()
    .get('/metrics', validate('query', statsQuerySchema), async (c) => {
      const q = c.req.valid('query');
      const window = statsWindow(q);
      const body = await cache.get(cacheKey('metrics', q), () => getMetrics(deps.db.sql, window));
      setCacheHeaders(c, 'public');
      return c.json(body);
    })
    // per-department 超期在办 and rates name and shame single offices: staff only (README, Who may read what)
    .get('/departments', requireStaff(deps), validate('query', rankingQuery), async (c) => {
      const q = c.req.valid('query');
      const window = statsWindow(q);
      const body = await cache.get(cacheKey('departments', q), () => getDepartmentRanking(deps.db.sql, { ...window, minVolume: q.minVolume, rankBy: q.rankBy }));
      setCacheHeaders(c, 'private');
      return c.json(body);
    })
    .get('/service-times', requireStaff(deps, SERVICE_TIMES_ROLES), validate('query', statsQuerySchema), async (c) => {
      const q = c.req.valid('query');
      const window = statsWindow(q);
      const body = await cache.get(cacheKey('service-times', q), () => getServiceTimes(deps.db.sql, window));
      setCacheHeaders(c, 'private');
      return c.json(body);
    });
}
