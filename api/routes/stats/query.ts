// The query every statistics endpoint takes: a period (from–to, or the last `days`) of whole local
// days, and district / category / channel filters; field-level messages in Chinese.
import { z } from 'zod';
import type { StatsQuery } from '../../../core/analytics/overview';
import { CHANNELS } from '../../../core/messages/incoming';
import { ApiError } from '../../errors';
import { boundedDateTime } from '../../validate';

export const MAX_PERIOD_DAYS = 366;

const dimension = (name: string) =>
  z.string().trim().min(1, `${name}不能为空 (must not be empty)`).max(40, `${name}最长 40 字 (at most 40 characters)`).optional();

export const statsQuerySchema = z.object({
  from: boundedDateTime().optional(),
  to: boundedDateTime().optional(),
  days: z.coerce
    .number({ message: '天数须为整数 (days must be a whole number)' })
    .int('天数须为整数 (days must be a whole number)')
    .min(1, '天数至少为 1 (days must be at least 1)')
    .max(MAX_PERIOD_DAYS, `天数最多为 ${MAX_PERIOD_DAYS} (days must be at most ${MAX_PERIOD_DAYS})`)
    .default(30),
  district: dimension('区县'),
  category: dimension('诉求分类'),
  channel: z.enum(CHANNELS, { message: `渠道须为 ${CHANNELS.join('、')} 之一 (channel must be one of ${CHANNELS.join(', ')})` }).optional(),
});
export type StatsQueryInput = z.infer<typeof statsQuerySchema>;

/** The period the query names: `to` defaults to now, `from` to `days` before `to`; at most a year long. */
export function statsWindow(q: StatsQueryInput, now = new Date()): StatsQuery {
  const { from, to } = checkedPeriod(q, now);
  return { from, to, district: q.district, category: q.category, channel: q.channel };
}

/** `from`–`to` of a query (`to` defaults to now, `from` to `days` before it), refused in Chinese when backwards or over a year */
export function checkedPeriod(q: { from?: string; to?: string; days: number }, now = new Date()): { from: Date; to: Date } {
  const to = q.to ? new Date(q.to) : now;
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - q.days * 86_400_000);
  if (from >= to) throw new ApiError('validation_failed', '提交的内容有误：开始时间须早于结束时间', [{ field: 'from', message: '开始时间须早于结束时间 (from must be before to)' }]);
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000) {
    throw new ApiError('validation_failed', `提交的内容有误：时段不得超过 ${MAX_PERIOD_DAYS} 天`, [
      { field: 'from', message: `时段不得超过 ${MAX_PERIOD_DAYS} 天 (the period must not exceed ${MAX_PERIOD_DAYS} days)` },
    ]);
  }
  return { from, to };
}
