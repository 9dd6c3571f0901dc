// 舆情预警: GET /api/v1/alerts (staff, newest first, with rule, topic and evidence; ?from&to&district
// &category&channel for the cockpit's period and filters),
// GET /api/v1/alerts/:id, POST /api/v1/alerts/:id/ack (staff but read-only leaders).
import { Hono } from 'hono';
import { z } from 'zod';
import { CHANNELS } from '../../../core/messages/incoming';
import { ackAlert, getAlert, listAlerts } from '../../../core/alerts/alerts-view';
import { STAFF_AREAS } from '../../../core/auth/permissions';
import { requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError } from '../../errors';
import { boundedDateTime, validate } from '../../validate';

export const listQuery = z.object({
  limit: z.coerce.number({ error: 'limit 须为数字' }).int('limit 须为整数').min(1, 'limit 至少为 1').max(200, 'limit 最大 200').default(50),
  offset: z.coerce.number({ error: 'offset 须为数字' }).int('offset 须为整数').min(0, 'offset 不能小于 0').max(1_000_000).default(0),
  unacked: z.enum(['1', '0', 'true', 'false'], { error: 'unacked 须为 1 或 0' }).optional().transform((v) => v === '1' || v === 'true'),
  /** alerts opened in [from, to) (the cockpit's period) */
  from: boundedDateTime().optional(),
  to: boundedDateTime().optional(),
  /** the alert's district (预警所在区县); 未识别 = alerts with none (city-wide rules) */
  district: z.string({ error: '区县须为文字' }).trim().min(1, '区县不能为空').max(40, '区县最长 40 字').optional(),
  /** alerts with messages of this category in their window (unknown: read as none) */
  category: z.string({ error: '诉求分类须为文字' }).trim().min(1, '诉求分类不能为空').max(40, '诉求分类最长 40 字').optional(),
  /** alerts with messages from this channel in their window */
  channel: z.enum(CHANNELS, { error: `渠道须为 ${CHANNELS.join('、')} 之一` }).optional(),
}).refine((q) => !q.from || !q.to || new Date(q.from) < new Date(q.to), { path: ['from'], message: '开始时间须早于结束时间' });
export const idParam = z.object({ id: z.coerce.number({ error: '预警编号须为数字' }).int('预警编号须为整数').positive('预警编号须为正整数') });
export const ackBody = z.strictObject({ note: z.string({ error: '备注须为文字' }).trim().max(500, '备注最多 500 个字').optional() }, { error: '须为对象' });

/** who may acknowledge: every staff role that acts (leaders only read) */
export const ACK_ROLES = ['admin', 'centre', 'department'] as const;

export function alertsRoutes(deps: AppDeps) {
  return new Hono<StaffEnv>()
    .use('*', requireStaff(deps, STAFF_AREAS.alerts))
    .get('/', validate('query', listQuery), async (c) => {
      const q = c.req.valid('query');
      return c.json(await listAlerts(deps.db.sql, { ...q, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined }));
    })
    .get('/:id', validate('param', idParam), async (c) => {
      const alert = await getAlert(deps.db.sql, c.req.valid('param').id);
      if (!alert) throw new ApiError('not_found', '预警不存在 (no such alert)');
      return c.json(alert);
    })
    .post('/:id/ack', requireStaff(deps, ACK_ROLES), validate('param', idParam), validate('json', ackBody), async (c) => {
      const r = await ackAlert(deps.db.sql, c.req.valid('param').id, c.get('staff').username, c.req.valid('json').note ?? null, new Date());
      if (!r) throw new ApiError('not_found', '预警不存在 (no such alert)');
      return c.json(r);
    });
}
