// Staff views of cases: the queue and one case with its history. Staff only (personal data):
// department users see their own department's cases; centre, leaders and admins see all.
import { maskPii } from '../../../core/nlp/pii';
import { Hono } from 'hono';
import { z } from 'zod';
import { canSeeCase, departmentScope, STAFF_AREAS } from '../../../core/auth/permissions';
import { provisionalNote, stillProvisional } from '../../../core/cases/calendar-coverage';
import { stateOf, waitsForDispatch } from '../../../core/cases/case-state';
import { CASE_SORT_KEYS, getCaseWithLifecycle, listCaseEvents, listCases } from '../../../core/db/cases';
import { queryLexemes } from '../../../core/cases/search';
import { listMessagesForCase } from '../../../core/db/messages';
import { countOpenInstructions, listCaseNotes, listDepartmentStaff } from '../../../core/db/case-work';
import { listCaseTimers } from '../../../core/db/sla-timers';
import { requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError } from '../../errors';
import { validate } from '../../validate';
import { caseActionRoutes } from './actions';
import { caseContactRoutes } from './contact';
import { casePhotoRoutes } from './photos';
import { bulkRoutes } from './bulk';
import { queueRoutes, suggestFor } from './queues';
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
  q: z.string().trim().max(100, '搜索词最多 100 字').optional(),
  limit: z.coerce.number({ message: 'limit 须为数字' }).int('limit 须为整数').min(1, 'limit 至少为 1').max(200, 'limit 最多 200').default(50),
  offset: z.coerce.number({ message: 'offset 须为数字' }).int('offset 须为整数').min(0, 'offset 不能为负').max(1_000_000, 'offset 过大').default(0),
  /** keyset pagination: sort by one of the listed columns; the answer's nextCursor fetches the next page */
  sort: z.enum(CASE_SORT_KEYS, { message: `排序字段须为以下之一：${CASE_SORT_KEYS.join('、')}` }).optional(),
  dir: z.enum(['asc', 'desc'], { message: '排序方向须为 asc 或 desc' }).default('asc'),
  cursor: z
    .string()
    .max(400, '分页游标无效')
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const parsed = cursorSchema.safeParse((() => { try { return JSON.parse(Buffer.from(v, 'base64url').toString('utf8')); } catch { return null; } })());
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: '分页游标无效，请从第一页重新查询' });
        return z.NEVER;
      }
      return parsed.data;
    }),
}).refine((q) => !q.cursor || q.sort, { message: '使用分页游标时须同时给出排序字段 sort', path: ['cursor'] });
const cursorSchema = z.object({ value: z.union([z.string().max(200), z.number(), z.null()]), id: z.number().int().positive() });
export const encodeCursor = (c: { value: string | number | null; id: number }) => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');

export function casesRoutes(deps: AppDeps) {
  const staff = requireStaff(deps, STAFF_AREAS.cases);
  return new Hono<StaffEnv>()
    // before '/:id': /queues is no case id
    .route('/', queueRoutes(deps))
    .route('/', bulkRoutes(deps))
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
        qLexemes: q.q ? queryLexemes(q.q) : undefined,
        limit: q.limit,
        offset: q.offset,
        sort: q.sort ? { by: q.sort, dir: q.dir, after: q.cursor } : undefined,
      });
      return c.json({ total: result.total, totalExact: result.totalExact, items: result.items, nextCursor: result.nextCursor ? encodeCursor(result.nextCursor) : null });
    })
    .get('/:id', staff, validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      const loaded = await getCaseWithLifecycle(deps.db.sql, id);
      if (!loaded) throw new ApiError('not_found', `no case ${id}`);
      const { row } = loaded;
      const user = c.get('staff');
      if (!canSeeCase(user, row.departmentCode)) throw new ApiError('forbidden', '只能查看本单位的工单 (not your department’s case)');
      const [events, messages, timers, notes, openInstructions] = await Promise.all([
        listCaseEvents(deps.db.sql, id), listMessagesForCase(deps.db.sql, id), listCaseTimers(deps.db.sql, id),
        listCaseNotes(deps.db.sql, id), countOpenInstructions(deps.db.sql, id),
      ]);
      // row and state from one snapshot: the version the dashboard sends back belongs to these actions
      const state = stateOf(row, loaded.lifecycle, caseServiceDeps(deps));
      return c.json({
        case: row,
        deadlines: state.deadlines,
        /** 待派单 (received or returned, no department): the centre's 派单 deadline; null once a department has the case */
        dispatchDeadline: waitsForDispatch(state) ? state.dispatchDeadline : null,
        /** 暂定: the deadlines were counted through a year with no State Council file yet (row.provisionalYears) */
        provisionalNote: provisionalNote(stillProvisional(row.provisionalYears, deps.shipped.sla.calendar)),
        lifecycle: {
          status: state.status, ownerDepartmentId: state.ownerDepartmentId, pausedSince: state.pausedSince, pauses: state.pauses,
          pendingExtension: state.pendingExtension, extensionGrantedWorkingDays: state.extensionGrantedWorkingDays,
          returnCount: state.returnCount, returnedBy: state.returnedBy, awaitingDesignation: state.awaitingDesignation,
          designated: state.designated, reopenCount: state.reopenCount, mergedInto: state.mergedInto,
        },
        /** what this user may do now, each with the fields it asks for: the dashboard renders exactly these */
        actions: allowedFor(deps, user, state, messages.length, openInstructions),
        /** 待派单: no department has the case; the departments the routing table suggests and why (a department that returned it is marked) */
        suggestions: state.ownerDepartmentId === null && (state.status === 'received' || state.status === 'returned')
          ? suggestFor(deps, row, state.returnedBy)
          : [],
        /** internal: notes, leaders' 批示 and the department's answers (staff only, never in a resident's view) */
        notes,
        openInstructions,
        timers,
        events,
        messages: messages.map((m) => ({
          id: m.id,
          channel: m.channel,
          trackingNo: m.trackingNo,
          receivedAt: m.receivedAt,
          title: m.title,
          // public-safe text; clear text is for authorised staff through the message endpoint
          text: m.analysis?.maskedText ?? maskPii(m.body),
        })),
      });
    })
    .route('/', caseContactRoutes(deps))
    .route('/', casePhotoRoutes(deps))
    // whom the case may be assigned to: the active staff of its department
    .get('/:id/assignees', staff, validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      const loaded = await getCaseWithLifecycle(deps.db.sql, id);
      if (!loaded) throw new ApiError('not_found', `no case ${id}`);
      if (!canSeeCase(c.get('staff'), loaded.row.departmentCode)) throw new ApiError('forbidden', '只能查看本单位的工单 (not your department’s case)');
      return c.json({ items: loaded.row.departmentCode ? await listDepartmentStaff(deps.db.sql, loaded.row.departmentCode) : [] });
    })
    .route('/', caseActionRoutes(deps));
}
