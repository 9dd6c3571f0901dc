// 热点: GET /api/v1/stats/topics?days=7 — public (aggregates with masked samples, no case ids).
import { Hono } from 'hono';
import { z } from 'zod';
import { getHotTopics } from '../../../core/analytics/hot-topics';
import type { AppDeps, AppEnv } from '../../deps';
import { validate } from '../../validate';

export const topicsQuery = z.object({
  days: z.coerce.number().int().min(1).max(90).default(7),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  minVolume: z.coerce.number().int().min(1).max(1000).default(2),
});

export function topicsRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get('/topics', validate('query', topicsQuery), async (c) => {
    const q = c.req.valid('query');
    return c.json(await getHotTopics(deps.db.sql, { days: q.days, limit: q.limit, minVolume: q.minVolume }));
  });
}
