// 批量派单 for the centre: the same dispatch as one case's (the staff action's declaration, its
// permission and the lifecycle), done for each selected case in its own transaction; the answer says
// for each case whether it went, and if not why (in Chinese), so one refusal never blocks the rest.
import { Hono } from 'hono';
import { z } from 'zod';
import { STAFF_AREAS } from '../../../core/auth/permissions';
import { actOnCase } from '../../../core/cases/act-on-case';
import { actionForRoute, permit } from '../../../core/cases/staff-actions';
import { departmentIdField } from '../../../core/cases/action-fields';
import { getCase } from '../../../core/db/cases';
import { requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError } from '../../errors';
import { validate } from '../../validate';
import { caseServiceDeps, translateErrors } from './service';

export const bulkBody = z.object({
  caseIds: z.array(z.number({ message: '工单编号须为数字' }).int().positive(), { message: '请选择要派发的工单' })
    .min(1, '请至少选择一件工单').max(100, '一次最多派发 100 件工单'),
  departmentId: departmentIdField,
  /** the versions the user saw, by case id: a case changed meanwhile is skipped, not overwritten */
  versions: z.record(z.string(), z.number().int().nonnegative()).optional(),
});

export function bulkRoutes(deps: AppDeps) {
  const svc = caseServiceDeps(deps);
  return new Hono<StaffEnv>()
    .post('/bulk/dispatch', requireStaff(deps, STAFF_AREAS.triage), validate('json', bulkBody), async (c) => {
      const body = c.req.valid('json');
      const user = c.get('staff');
      const results: { caseId: number; ok: boolean; status?: string; error?: string }[] = [];
      for (const caseId of [...new Set(body.caseIds)]) {
        const row = await getCase(deps.db.sql, caseId);
        if (!row) { results.push({ caseId, ok: false, error: `没有编号为 ${caseId} 的工单` }); continue; }
        const action = actionForRoute('dispatch', {}, row.status)!;
        const permission = permit(user, action, { ownerDepartmentId: row.departmentCode });
        if (!permission.ok) { results.push({ caseId, ok: false, error: permission.message }); continue; }
        const parsed = action.parse({ departmentId: body.departmentId, reason: '批量派单', version: body.versions?.[String(caseId)] });
        if (!parsed.ok || parsed.request.kind !== 'transition') { results.push({ caseId, ok: false, error: parsed.ok ? '不能批量执行' : parsed.error.issues[0].message }); continue; }
        const request = parsed.request;
        try {
          const r = await translateErrors(() => actOnCase(svc, caseId, request.action, { actor: permission.actor, expectedVersion: request.version }));
          results.push({ caseId, ok: true, status: r.state.status });
        } catch (err) {
          if (err instanceof ApiError) results.push({ caseId, ok: false, error: err.message.split(' / ')[0] });
          else throw err;
        }
      }
      return c.json({ departmentId: body.departmentId, dispatched: results.filter((r) => r.ok).length, results });
    });
}
