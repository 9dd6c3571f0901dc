// 热点 and 每月一题, under /api/v1/stats: `GET /topics?days=7` or `?from=&to=` (public: aggregates, masked samples of
// public messages, no case ids) and `GET /recurring` (staff: with the cases behind each problem;
// a department user gets only the problems with cases of its own department, and only those cases;
// `to` ends the look-back at the cockpit's period end, `district` keeps one district's problems).
// Both take the cockpit's district / channel / category filter (./filter.ts) and answer from the
// topic tables and rollups the workers keep (core/opinion), never from raw messages.
import { Hono } from 'hono';
import { z } from 'zod';
import { departmentScope, STAFF_AREAS } from '../../../core/auth/permissions';
import { getHotTopics, getRecurringProblems } from '../../../core/opinion/read';
import { requireStaff } from '../../auth';
import type { AppDeps } from '../../deps';
import type { StaffEnv } from '../../auth';
import { boundedDateTime, validate } from '../../validate';
import { checkedPeriod } from '../stats/query';
import { categoryFilter, channelFilter, districtFilter, topicFilter } from './filter';

export const topicsQuery = z.object({
  /** a period of one's own (the cockpit's from–to; at most a year): it replaces `days` */
  from: boundedDateTime().optional(),
  to: boundedDateTime().optional(),
  days: z.coerce.number({ message: 'days 须为整数' }).int('days 须为整数').min(1, 'days 至少为 1').max(90, 'days 至多为 90').default(7),
  limit: z.coerce.number({ message: 'limit 须为整数' }).int('limit 须为整数').min(1, 'limit 至少为 1').max(50, 'limit 至多为 50').default(10),
  minVolume: z.coerce.number({ message: 'minVolume 须为整数' }).int('minVolume 须为整数').min(1, 'minVolume 至少为 1').max(1000, 'minVolume 至多为 1000').default(2),
  /** topics of one district (未识别: those placed in none) */
  district: districtFilter,
  /** only messages of this channel count, and the ranking is by the filtered heat (README, 领导驾驶舱) */
  channel: channelFilter,
  /** only messages the NLP read as this category count (unknown: read as none) */
  category: categoryFilter,
});

export const recurringQuery = z.object({
  weeks: z.coerce.number({ message: 'weeks 须为整数' }).int('weeks 须为整数').min(2, 'weeks 至少为 2').max(104, 'weeks 至多为 104').optional(),
  minWeeks: z.coerce.number({ message: 'minWeeks 须为整数' }).int('minWeeks 须为整数').min(2, 'minWeeks 至少为 2').max(104, 'minWeeks 至多为 104').optional(),
  limit: z.coerce.number({ message: 'limit 须为整数' }).int('limit 须为整数').min(1, 'limit 至少为 1').max(100, 'limit 至多为 100').default(20),
  /** the period's end (the cockpit's `to`); the look-back of `weeks` ends there */
  to: boundedDateTime().optional(),
  /** one district's problems (未识别: those placed in none) */
  district: districtFilter,
  /** a week counts with messages of this channel; the cases listed are those of its messages */
  channel: channelFilter,
  /** a week counts with messages read as this category; the cases listed are those of its messages */
  category: categoryFilter,
});

/** every recurring problem, ranked: a scoped list (a department's, a district's) is cut from all of them, not from the city's top few */
const ALL_PROBLEMS = 100_000;

export function topicsRoutes(deps: AppDeps) {
  return new Hono<StaffEnv>()
    .get('/topics', validate('query', topicsQuery), async (c) => {
      const q = c.req.valid('query');
      let period: { from: Date; to: Date } | undefined;
      if (q.from || q.to) period = checkedPeriod(q);
      return c.json(await getHotTopics(deps.db.sql, {
        days: q.days, limit: q.limit, minVolume: q.minVolume, filter: topicFilter(q), ...(period ? { from: period.from, now: period.to } : {}),
      }));
    })
    .get('/recurring', requireStaff(deps, STAFF_AREAS.cases), validate('query', recurringQuery), async (c) => {
      const q = c.req.valid('query');
      // the cases behind a problem follow the case lists' rule: a department user sees only its own
      const departmentCode = departmentScope(c.get('staff'));
      const scoped = departmentCode !== undefined || q.district !== undefined;
      const facets = topicFilter({ channel: q.channel, category: q.category });
      const r = await getRecurringProblems(deps.db.sql, {
        weeks: q.weeks, minWeeks: q.minWeeks, limit: scoped ? ALL_PROBLEMS : q.limit, to: q.to ? new Date(q.to) : undefined, departmentCode, facets,
      });
      // a department's list is its own problems: a city-wide problem with none of its cases says nothing to it
      const problems = r.problems
        .filter((p) => q.district === undefined || (p.district ?? '未识别') === q.district)
        .filter((p) => departmentCode === undefined || p.caseCount > 0)
        .slice(0, q.limit);
      return c.json({ ...r, problems, departmentOnly: departmentCode !== undefined, filter: { district: q.district ?? null, channel: q.channel ?? null, category: q.category ?? null } });
    });
}
