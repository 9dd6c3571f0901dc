// The public board's (公开留言选登) query and answers: what the route validates with and the OpenAPI document shows.
import { z } from 'zod';

export const boardQuery = z.object({
  q: z.string().trim().max(50, '搜索词最多 50 个字').optional().transform((s) => (s ? s : undefined)),
  category: z.string().trim().max(50).optional().transform((s) => (s ? s : undefined)),
  page: z.coerce.number({ error: '页码须为整数' }).int('页码须为整数').min(1, '页码从 1 开始').max(10_000).default(1),
  pageSize: z.coerce.number({ error: '每页条数须为整数' }).int('每页条数须为整数').min(1, '每页至少 1 条').max(50, '每页最多 50 条').default(10),
});

export const boardParam = z.object({ trackingNo: z.string().regex(/^MS\d{13}$/, '受理编号格式不正确 (MS followed by 13 digits)') });

export const boardItem = z.object({
  trackingNo: z.string(),
  title: z.string().nullable(),
  body: z.string(),
  category: z.string().nullable(),
  district: z.string().nullable(),
  department: z.string().nullable(),
  status: z.string(),
  statusLabel: z.string(),
  receivedAt: z.string().meta({ format: 'date-time' }),
  repliedAt: z.string().meta({ format: 'date-time' }).nullable(),
  reply: z.string().nullable(),
  rating: z.enum(['满意', '基本满意', '不满意']).nullable(),
});

export const boardPage = z.object({ total: z.number().int().describe('exact up to 10,000 entries past the page, else that bound'), totalExact: z.boolean(), page: z.number().int(), pageSize: z.number().int(), items: z.array(boardItem) });
