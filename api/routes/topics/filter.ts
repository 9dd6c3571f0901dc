// The cockpit's filters as the topic reads take them (热点, 话题趋势, 每月一题): a district (未识别:
// topics placed in none), a channel and a category (the message's own reading; unknown: read as none).
// Each refused value names its field in Chinese.
import { z } from 'zod';
import { CHANNELS } from '../../../core/messages/incoming';
import { categoryLabels } from '../../../core/nlp/category';
import type { TopicFilter } from '../../../core/opinion/read';

export const channelFilter = z
  .enum(CHANNELS, { message: `渠道须为 ${CHANNELS.join('、')} 之一 (channel must be one of ${CHANNELS.join(', ')})` })
  .optional();

export const categoryFilter = z
  .string({ message: '诉求分类须为文字' })
  .trim()
  .min(1, '诉求分类不能为空 (category must not be empty)')
  .max(40, '诉求分类最长 40 字 (at most 40 characters)')
  .refine((v) => v === 'unknown' || categoryLabels().includes(v), '没有这个诉求分类 (no such category)')
  .optional();

export const districtFilter = z.string({ message: '区县须为文字' }).trim().min(1, '区县不能为空').max(40, '区县最长 40 字').optional();

/** the query's filter as the readers take it (absent fields: all) */
export function topicFilter(q: { district?: string; channel?: string; category?: string }): TopicFilter {
  return {
    ...(q.district !== undefined ? { district: q.district } : {}),
    ...(q.channel !== undefined ? { channel: q.channel } : {}),
    ...(q.category !== undefined ? { category: q.category } : {}),
  };
}
