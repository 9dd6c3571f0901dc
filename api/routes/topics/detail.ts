// `GET /api/v1/topics/:id` (staff): one 舆情 topic with its members (masked text, public messages
// only), hourly and daily counts for trend lines and its burst episodes, from the topic tables;
// `channel` / `category` cut the members and counts (the facet rollup).
import { Hono } from 'hono';
import { z } from 'zod';
import { STAFF_AREAS } from '../../../core/auth/permissions';
import { getTopicDetail } from '../../../core/opinion/read';
import { requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError } from '../../errors';
import { validate } from '../../validate';
import { categoryFilter, channelFilter, topicFilter } from './filter';
import { topicInstructionRoutes } from './instructions';

export const idParam = z.object({ id: z.coerce.number({ message: 'id 须为正整数' }).int('id 须为正整数').positive('id 须为正整数').max(Number.MAX_SAFE_INTEGER, 'id 过大') });
export const detailQuery = z.object({
  days: z.coerce.number({ message: 'days 须为整数' }).int('days 须为整数').min(1, 'days 至少为 1').max(365, 'days 至多为 365').default(90),
  /** members and counts of this channel only (the cockpit's 话题趋势 under a channel filter) */
  channel: channelFilter,
  /** members and counts of messages read as this category only */
  category: categoryFilter,
});

export function topicDetailRoutes(deps: AppDeps) {
  return new Hono<StaffEnv>()
    .use('*', requireStaff(deps, STAFF_AREAS.cases))
    // 批示 on a topic (before '/:id': /instructions is no topic id)
    .route('/', topicInstructionRoutes(deps))
    .get('/:id', validate('param', idParam), validate('query', detailQuery), async (c) => {
      const q = c.req.valid('query');
      const detail = await getTopicDetail(deps.db.sql, c.req.valid('param').id, { days: q.days, facets: topicFilter({ channel: q.channel, category: q.category }) });
      if (!detail) throw new ApiError('not_found', '没有这个话题 (no such topic)');
      return c.json(detail);
    });
}
