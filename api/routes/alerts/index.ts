// 舆情预警: GET /api/v1/alerts (staff, newest first, with rule, topic and evidence),
// GET /api/v1/alerts/:id, POST /api/v1/alerts/:id/ack (staff but read-only leaders).
import { Hono } from 'hono';
import { z } from 'zod';
import { ackAlert, getAlert, listAlerts } from '../../../core/alerts/alerts-view';
import { STAFF_AREAS } from '../../../core/auth/permissions';
import { requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError } from '../../errors';
import { validate } from '../../validate';

export const listQuery = z.object({
  limit: z.coerce.number({ error: 'limit 须为数字' }).int('limit 须为整数').min(1, 'limit 至少为 1').max(200, 'limit 最大 200').default(50),
  offset: z.coerce.number({ error: 'offset 须为数字' }).int('offset 须为整数').min(0, 'offset 不能小于 0').max(1_000_000).default(0),
  unacked: z.enum(['1', '0', 'true', 'false'], { error: 'unacked 须为 1 或 0' }).optional().transform((v) => v === '1' || v === 'true'),
});
export const idParam = z.object({ id: z.coerce.number({ error: '预警编号须为数字' }).int('预警编号须为整数').positive('预警编号须为正整数') });
export const ackBody = z.strictObject({ note: z.string({ error: '备注须为文字' }).trim().max(500, '备注最多 500 个字').optional() }, { error: '须为对象' });

/** who may acknowledge: every staff role that acts (leaders only read) */
export const ACK_ROLES = ['admin', 'centre', 'department'] as const;

export function alertsRoutes(deps: AppDeps) {
  return new Hono<StaffEnv>()
    .use('*', requireStaff(deps, STAFF_AREAS.alerts))
    .get('/', validate('query', listQuery), async (c) => c.json(await listAlerts(deps.db.sql, c.req.valid('query'))))
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
