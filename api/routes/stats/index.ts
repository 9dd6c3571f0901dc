import { Hono } from 'hono';
import { getOverview } from '../../../core/analytics/overview';
import type { AppDeps, AppEnv } from '../../deps';

export function statsRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get('/overview', async (c) => c.json(await getOverview(deps.db.sql)));
}
