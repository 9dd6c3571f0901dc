// The centre's work queues: 待派单 (cases no department has: unroutable ones with the routing
// explanation, returned ones with the 退单 reason; each with the departments the routing table
// suggests and why), 答复审核 (replies held by the review policy) and 延期 (pending extension
// requests). Each item carries the actions the user may take now, from the lifecycle's table.
import { Hono } from 'hono';
import { z } from 'zod';
import { STAFF_AREAS } from '../../../core/auth/permissions';
import { stateOf, waitsForDispatch } from '../../../core/cases/case-state';
import { reviewReason, shippedReviewPolicy } from '../../../core/cases/review-policy';
import { countQueues, listQueue, type CaseRow, type QueueItem, type QueueKind } from '../../../core/db/cases';
import { requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';
import { validate } from '../../validate';
import { allowedFor, caseServiceDeps } from './service';

export const kindParam = z.object({ kind: z.enum(['dispatch', 'replies', 'extensions'], { message: '队列须为 dispatch（待派单）、replies（答复审核）或 extensions（延期审批）' }) });
export const queueQuery = z.object({ limit: z.coerce.number({ message: 'limit 须为数字' }).int().min(1, 'limit 至少为 1').max(200, 'limit 最多 200').default(100) });

/** The departments the routing table suggests for a case no department has, best first, with why. */
export function suggestFor(deps: AppDeps, row: CaseRow, returnedBy: readonly string[]) {
  const names = new Map(deps.shipped.departments.map((d) => [d.code, d.shortName]));
  return deps.shipped.router.suggest({
    category: row.category, requestType: row.requestType, keywords: row.keywords, text: `${row.title ?? ''} ${row.summary}`,
    place: { district: row.district, street: row.street, community: row.community },
  }, 4).map((s) => ({ ...s, name: names.get(s.department) ?? s.department, returnedBefore: returnedBy.includes(s.department) }));
}

export function queueRoutes(deps: AppDeps) {
  const centre = requireStaff(deps, STAFF_AREAS.triage);
  const names = new Map(deps.shipped.departments.map((d) => [d.code, d.shortName]));

  function why(item: QueueItem, kind: QueueKind): string | null {
    if (kind === 'replies') return reviewReason(shippedReviewPolicy(), { category: item.category, departmentId: item.departmentCode }, names.get(item.departmentCode ?? ''));
    if (kind === 'extensions') return item.pendingExtension ? `申请延期 ${item.pendingExtension.workingDays} 个工作日：${item.pendingExtension.reason}` : null;
    const w = item.why;
    if (w?.type === 'returned') {
      const d = w.data as { departmentId?: string; reason?: string; toCentre?: boolean };
      return `${names.get(d.departmentId ?? '') ?? '承办单位'}退单：${d.reason ?? ''}${d.toCentre ? '（已达退单上限，须由协调中心指定承办）' : ''}`;
    }
    if (w?.type === 'awaiting-dispatch') return String((w.data as { reason?: string }).reason ?? '无规则命中');
    return '待人工派单';
  }

  return new Hono<StaffEnv>()
    .get('/queues', centre, async (c) => c.json(await countQueues(deps.db.sql)))
    .get('/queues/:kind', centre, validate('param', kindParam), validate('query', queueQuery), async (c) => {
      const { kind } = c.req.valid('param');
      const user = c.get('staff');
      const svc = caseServiceDeps(deps);
      const rows = await listQueue(deps.db.sql, kind, c.req.valid('query').limit);
      return c.json({
        kind,
        items: rows.map((item) => {
          const { why: _raw, pendingExtension, lifecycle, ...row } = item;
          const state = stateOf(row, lifecycle, svc);
          // the table's suggestions for the case as it reads now; a department that returned it is named as such
          const suggestions = kind === 'dispatch' ? suggestFor(deps, row, state.returnedBy) : [];
          return {
            case: row,
            why: why(item, kind),
            pendingExtension,
            suggestions,
            awaitingDesignation: state.awaitingDesignation,
            /** 待派单: when the centre's 派单 deadline falls (from receipt, or from the 退单) */
            dispatchDue: waitsForDispatch(state) ? state.dispatchDeadline?.due ?? null : null,
            actions: allowedFor(deps, user, state, 1),
          };
        }),
      });
    });
}
