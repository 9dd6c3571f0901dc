// Staff actions on a case: one POST per lifecycle step. Bodies are zod-checked here; the state
// machine decides legality (409 illegal_transition with its code and message in Chinese and English).
import { Hono } from 'hono';
import { z, type ZodType } from 'zod';
import { actOnCase } from '../../../core/cases/act-on-case';
import type { ActResult, CaseServiceDeps } from '../../../core/cases/deps';
import { mergeCases } from '../../../core/cases/merge-cases';
import type { CaseAction } from '../../../core/cases/lifecycle';
import { openCaseForMessage } from '../../../core/cases/open-case-for-message';
import { checkReply } from '../../../core/cases/reply-quality';
import { getCase, getCaseByTrackingNo } from '../../../core/db/cases';
import { getMessage, listMessagesForCase } from '../../../core/db/messages';
import { actorOf, requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError } from '../../errors';
import { validate } from '../../validate';
import { caseServiceDeps, idParam, translateErrors } from './service';

const reason = z.string().trim().min(2, '请填写理由（至少 2 个字）').max(2000);
const dept = z.string().trim().min(1).max(100);
const version = z.number().int().nonnegative().optional();

type Body = Record<string, unknown> & { version?: number };
type Step = { schema: ZodType<Body>; action: (b: Body, status: string) => CaseAction; departmentMay?: boolean };

const STEPS: Record<string, Step> = {
  // 派单; on a case already with a department it is an override (改派) and needs a reason
  dispatch: {
    schema: z.object({ departmentId: dept, reason: reason.optional(), version }),
    action: (b, status) =>
      ['dispatched', 'accepted', 'waiting'].includes(status)
        ? { type: 'override', departmentId: b.departmentId as string, reason: (b.reason as string | undefined) ?? missing('reason') }
        : { type: 'dispatch', departmentId: b.departmentId as string },
  },
  designate: { schema: z.object({ departmentId: dept, reason: reason.optional(), version }), action: (b) => ({ type: 'designate', departmentId: b.departmentId as string, reason: b.reason as string | undefined }) },
  accept: { schema: z.object({ version }), action: () => ({ type: 'accept' }), departmentMay: true },
  return: { schema: z.object({ reason, version }), action: (b) => ({ type: 'return', reason: b.reason as string }), departmentMay: true },
  contact: { schema: z.object({ note: z.string().max(2000).optional(), version }), action: (b) => ({ type: 'contact', note: b.note as string | undefined }), departmentMay: true },
  pause: { schema: z.object({ reason, version }), action: (b) => ({ type: 'pause', reason: b.reason as string }), departmentMay: true },
  resume: { schema: z.object({ note: z.string().max(2000).optional(), version }), action: (b) => ({ type: 'resume', note: b.note as string | undefined }), departmentMay: true },
  'request-extension': {
    schema: z.object({ workingDays: z.number().int().min(1).max(250), reason, version }),
    action: (b) => ({ type: 'requestExtension', workingDays: b.workingDays as number, reason: b.reason as string }),
    departmentMay: true,
  },
  'decide-extension': {
    schema: z
      .object({ approve: z.boolean(), workingDays: z.number().int().min(1).max(250).optional(), reason: reason.optional(), version })
      .refine((b) => b.approve || b.reason, { message: '拒绝延期须填写理由 (a refusal needs a reason)', path: ['reason'] }),
    action: (b) => (b.approve ? { type: 'approveExtension', workingDays: b.workingDays as number | undefined } : { type: 'refuseExtension', reason: b.reason as string }),
  },
  reply: { schema: z.object({ text: z.string().trim().min(1).max(20_000), version }), action: (b) => ({ type: 'reply', text: b.text as string }), departmentMay: true },
  'reject-reply': { schema: z.object({ reason, version }), action: (b) => ({ type: 'rejectReply', reason: b.reason as string }) },
  close: { schema: z.object({ version }), action: () => ({ type: 'close' }) },
};

function missing(field: string): never {
  throw new ApiError('validation_failed', `${field}: 改派须填写理由 (an override needs a reason)`, [{ field, message: 'required for an override' }]);
}

async function caseMessages(deps: AppDeps, id: number): Promise<string[]> {
  return (await listMessagesForCase(deps.db.sql, id)).map((m) => `${m.title ?? ''} ${m.analysis?.maskedText ?? m.body}`);
}

function summary(r: ActResult) {
  return { caseId: r.caseId, status: r.state.status, version: r.version, ownerDepartmentId: r.state.ownerDepartmentId, deadlines: r.state.deadlines, events: r.events.map((e) => ({ type: e.type, at: e.at, data: e.data })) };
}

export function caseActionRoutes(deps: AppDeps) {
  const app = new Hono<StaffEnv>();
  const svc: CaseServiceDeps = caseServiceDeps(deps);

  for (const [name, step] of Object.entries(STEPS)) {
    app.post(`/:id/${name}`, requireStaff(deps), validate('param', idParam), validate('json', step.schema), async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json') as Body;
      const user = c.get('staff');
      const row = await getCase(deps.db.sql, id);
      if (!row) throw new ApiError('not_found', `no case ${id}`);
      if (user.role === 'department') {
        if (!step.departmentMay) throw new ApiError('forbidden', '承办单位无权执行此操作 (departments may not do this)');
        if (row.departmentCode !== user.departmentCode) throw new ApiError('forbidden', '只能办理本单位的工单 (not your department’s case)');
      }
      const action = step.action(body, row.status);
      const result = await translateErrors(() => actOnCase(svc, id, action, { actor: actorOf(user), expectedVersion: body.version }));
      // reply quality is advice shown beside the result, never a gate
      const advice = action.type === 'reply' ? checkReply(action.text, await caseMessages(deps, id)) : undefined;
      return c.json({ ...summary(result), ...(advice ? { replyAdvice: advice } : {}) });
    });
  }

  app.post('/:id/reply-check', requireStaff(deps), validate('param', idParam), validate('json', z.object({ text: z.string().trim().min(1).max(20_000) })), async (c) => {
    const { id } = c.req.valid('param');
    if (!(await getCase(deps.db.sql, id))) throw new ApiError('not_found', `no case ${id}`);
    return c.json(checkReply(c.req.valid('json').text, await caseMessages(deps, id)));
  });

  app.post('/:id/merge', requireStaff(deps, ['admin', 'centre']), validate('param', idParam),
    validate('json', z.object({
      // the target as staff know it (受理编号) or by its internal id
      intoCaseId: z.number().int().positive().optional(),
      intoTrackingNo: z.string().trim().regex(/^MS\d{13}$/, 'a tracking number like MS2611230000001').optional(),
      reason: reason.optional(),
      version,
    }).refine((b) => (b.intoCaseId === undefined) !== (b.intoTrackingNo === undefined), { message: 'give intoCaseId or intoTrackingNo', path: ['intoCaseId'] })), async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      const into = b.intoCaseId ?? (await getCaseByTrackingNo(deps.db.sql, b.intoTrackingNo!))?.id;
      if (!into) throw new ApiError('not_found', `no case with tracking number ${b.intoTrackingNo}`);
      const r = await translateErrors(() => mergeCases(svc, id, into, { actor: actorOf(c.get('staff')), expectedVersion: b.version, reason: b.reason }));
      return c.json(summary(r));
    });

  // 拆分: a wrongly merged message gets its own new case
  app.post('/:id/split', requireStaff(deps, ['admin', 'centre']), validate('param', idParam),
    validate('json', z.object({ messageId: z.number().int().positive(), reason })), async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      const [row, msg] = await Promise.all([getCase(deps.db.sql, id), getMessage(deps.db.sql, b.messageId)]);
      if (!row) throw new ApiError('not_found', `no case ${id}`);
      if (!msg || msg.caseId !== id) throw new ApiError('not_found', `message ${b.messageId} is not on case ${id}`);
      if (msg.trackingNo === row.trackingNo) throw new ApiError('conflict', '不能拆分工单的首条留言 (the case’s first message cannot be split off)');
      const user = c.get('staff');
      const r = await openCaseForMessage({ ...svc, duplicates: false }, b.messageId, new Date(), {
        split: { fromCaseId: id, reason: b.reason, actor: { kind: 'centre', id: `staff:${user.username}` } },
      });
      return c.json({ caseId: id, newCaseId: r.caseId, messageId: b.messageId }, 201);
    });

  return app;
}
