// Staff views of cases: the queue and one case with its history. Staff only (personal data):
// department users see their own department's cases; centre, leaders and admins see all.
import { Hono } from 'hono';
import { z } from 'zod';
import { canSeeCase, departmentScope, STAFF_AREAS } from '../../../core/auth/permissions';
import { provisionalNote, stillProvisional } from '../../../core/cases/calendar-coverage';
import { stateOf } from '../../../core/cases/case-state';
import { getCaseWithLifecycle, listCaseEvents, listCases } from '../../../core/db/cases';
import { listMessagesForCase } from '../../../core/db/messages';
import { listCaseTimers } from '../../../core/db/sla-timers';
import { requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError } from '../../errors';
import { validate } from '../../validate';
import { caseActionRoutes } from './actions';
import { allowedFor, caseServiceDeps, idParam } from './service';

export const listQuery = z.object({
  status: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined)),
  department: z.string().max(64).optional(),
  category: z.string().max(64).optional(),
  district: z.string().max(64).optional(),
  needsReview: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true')),
  overdue: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export function casesRoutes(deps: AppDeps) {
  const staff = requireStaff(deps, STAFF_AREAS.cases);
  return new Hono<StaffEnv>()
    .get('/', staff, validate('query', listQuery), async (c) => {
      const q = c.req.valid('query');
      const user = c.get('staff');
      const scope = departmentScope(user);
      if (scope !== undefined && q.department && q.department !== scope) {
        throw new ApiError('forbidden', '只能查看本单位的工单 (department users see only their own department’s cases)');
      }
      const result = await listCases(deps.db.sql, {
        status: q.status,
        departmentCode: scope ?? q.department,
        category: q.category,
        district: q.district,
        needsReview: q.needsReview,
        overdue: q.overdue,
        q: q.q,
        limit: q.limit,
        offset: q.offset,
      });
      return c.json(result);
    })
    .get('/:id', staff, validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      const loaded = await getCaseWithLifecycle(deps.db.sql, id);
      if (!loaded) throw new ApiError('not_found', `no case ${id}`);
      const { row } = loaded;
      const user = c.get('staff');
      if (!canSeeCase(user, row.departmentCode)) throw new ApiError('forbidden', '只能查看本单位的工单 (not your department’s case)');
      const [events, messages, timers] = await Promise.all([
        listCaseEvents(deps.db.sql, id), listMessagesForCase(deps.db.sql, id), listCaseTimers(deps.db.sql, id),
      ]);
      // row and state from one snapshot: the version the dashboard sends back belongs to these actions
      const state = stateOf(row, loaded.lifecycle, caseServiceDeps(deps));
      return c.json({
        case: row,
        deadlines: state.deadlines,
        /** 暂定: the deadlines were counted through a year with no State Council file yet (row.provisionalYears) */
        provisionalNote: provisionalNote(stillProvisional(row.provisionalYears, deps.shipped.sla.calendar)),
        lifecycle: {
          status: state.status, ownerDepartmentId: state.ownerDepartmentId, pausedSince: state.pausedSince, pauses: state.pauses,
          pendingExtension: state.pendingExtension, extensionGrantedWorkingDays: state.extensionGrantedWorkingDays,
          returnCount: state.returnCount, returnedBy: state.returnedBy, awaitingDesignation: state.awaitingDesignation,
          designated: state.designated, reopenCount: state.reopenCount, mergedInto: state.mergedInto,
        },
        /** what this user may do now, each with the fields it asks for: the dashboard renders exactly these */
        actions: allowedFor(deps, user, state, messages.length),
        timers,
        events,
        messages: messages.map((m) => ({
          id: m.id,
          channel: m.channel,
          trackingNo: m.trackingNo,
          receivedAt: m.receivedAt,
          title: m.title,
          // public-safe text; clear text is for authorised staff through the message endpoint
          text: m.analysis?.maskedText ?? m.body,
        })),
      });
    })
    .route('/', caseActionRoutes(deps));
}
