// GET /api/v1/stats/overview — public: counts of messages and cases for a period, by district,
// category, channel, status and sentiment, and per day; from the rollups, cached (./cache.ts).
import { Hono } from 'hono';
import { getOverview } from '../../../core/analytics/overview';
import type { AppDeps, AppEnv } from '../../deps';
import { validate } from '../../validate';
import { cacheKey, setCacheHeaders, statsCacheFor } from './cache';
import { statsQuerySchema, statsWindow } from './query';

export function statsRoutes(deps: AppDeps) {
  const cache = statsCacheFor(deps);
  return new Hono<AppEnv>().get('/overview', validate('query', statsQuerySchema), async (c) => {
    const q = c.req.valid('query');
    const window = statsWindow(q);
    const body = await cache.get(cacheKey('overview', q), () => getOverview(deps.db.sql, window));
    setCacheHeaders(c, 'public');
    return c.json(body);
  });
}
