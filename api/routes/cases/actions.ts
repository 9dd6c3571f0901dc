// Staff actions on a case: POST /:id/<route> for every action of core/cases/staff-actions.ts, one
// handler for all. The declaration picks the lifecycle action and checks the body (400 with Chinese
// field messages); the lifecycle's table says who may (403); the state machine decides legality
// (409 illegal_transition with its code and message in Chinese and English). Each answer carries the
// actions the user may take next and whether the case is still theirs to see.
import { Hono } from 'hono';
import { z } from 'zod';
import { canSeeCase, STAFF_AREAS } from '../../../core/auth/permissions';
import type { StaffUser } from '../../../core/auth/staff';
import { actOnCase } from '../../../core/cases/act-on-case';
import type { ActResult } from '../../../core/cases/deps';
import { stateOf } from '../../../core/cases/case-state';
import type { CaseState } from '../../../core/cases/lifecycle';
import { mergeCases } from '../../../core/cases/merge-cases';
import { openCaseForMessage } from '../../../core/cases/open-case-for-message';
import { checkReply } from '../../../core/cases/reply-quality';
import { PermanentJobError } from '../../../core/queue/contract';
import { actionForRoute, permit, STAFF_ACTION_ROUTES, type StaffRequest } from '../../../core/cases/staff-actions';
import type { Actor } from '../../../core/cases/lifecycle';
import { getCase, getCaseByTrackingNo, getCaseLifecycle, getCaseWithLifecycle } from '../../../core/db/cases';
import { countOpenInstructions } from '../../../core/db/case-work';
import { CaseWorkError, doCaseWork } from '../../../core/cases/case-work';
import { getMessage, listMessagesForCase } from '../../../core/db/messages';
import { maskPii } from '../../../core/nlp/pii';
import { requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError, validationError } from '../../errors';
import { validate } from '../../validate';
import { allowedFor, caseServiceDeps, idParam, translateErrors } from './service';

export const actionParam = idParam.extend({ action: z.string().max(40) });
export const anyBody = z.record(z.string(), z.unknown(), { message: '请求体须为 JSON 对象 (the body must be a JSON object)' });
export const replyText = z.object({ text: z.string({ message: '请填写答复内容' }).trim().min(1, '请填写答复内容').max(20_000, '答复最多 20000 字') });

function messageTexts(messages: Awaited<ReturnType<typeof listMessagesForCase>>): string[] {
  return messages.map((m) => `${m.title ?? ''} ${m.analysis?.maskedText ?? m.body}`);
}

function summary(r: ActResult) {
  return {
    caseId: r.caseId, status: r.state.status, version: r.version, ownerDepartmentId: r.state.ownerDepartmentId, deadlines: r.state.deadlines,
    events: r.events.map((e) => ({ type: e.type, at: e.at, data: e.data })),
  };
}

export function caseActionRoutes(deps: AppDeps) {
  const svc = caseServiceDeps(deps);

  /** What the user may do next on the case, and whether they may still see it (a department that returned a case may not). */
  async function next(user: StaffUser, caseId: number, state: CaseState) {
    const messages = await listMessagesForCase(deps.db.sql, caseId);
    const visible = canSeeCase(user, state.ownerDepartmentId);
    const openInstructions = await countOpenInstructions(deps.db.sql, caseId);
    return { messages, next: { visible, actions: visible ? allowedFor(deps, user, state, messages.length, openInstructions) : [] } };
  }

  async function perform(caseId: number, request: Exclude<StaffRequest, { kind: 'split' | 'work' }>, actor: Actor): Promise<ActResult> {
    if (request.kind === 'transition') return actOnCase(svc, caseId, request.action, { actor, expectedVersion: request.version });
    const into = 'caseId' in request.into ? request.into.caseId : (await getCaseByTrackingNo(deps.db.sql, request.into.trackingNo))?.id;
    if (!into) throw new ApiError('not_found', `没有受理编号为 ${'trackingNo' in request.into ? request.into.trackingNo : ''} 的工单 (no case with that tracking number)`);
    return mergeCases(svc, caseId, into, { actor, expectedVersion: request.version, reason: request.reason });
  }

  return new Hono<StaffEnv>()
    // reply advice while typing: never a gate
    .post('/:id/reply-check', requireStaff(deps, STAFF_AREAS.cases), validate('param', idParam), validate('json', replyText), async (c) => {
      const { id } = c.req.valid('param');
      const row = await getCase(deps.db.sql, id);
      if (!row) throw new ApiError('not_found', `no case ${id}`);
      // only who may reply may test a reply, and on masked text: never an oracle for a resident's number
      const permission = permit(c.get('staff'), actionForRoute('reply', {}, row.status)!, { ownerDepartmentId: row.departmentCode });
      if (!permission.ok) throw new ApiError('forbidden', permission.message);
      const masked = (await listMessagesForCase(deps.db.sql, id)).map((m) => `${maskPii(m.title ?? '')} ${m.analysis?.maskedText ?? maskPii(m.body)}`);
      return c.json(checkReply(maskPii(c.req.valid('json').text), masked));
    })
    .post('/:id/:action', requireStaff(deps, STAFF_AREAS.cases), validate('param', actionParam), validate('json', anyBody), async (c) => {
      const { id, action: route } = c.req.valid('param');
      if (!STAFF_ACTION_ROUTES.includes(route)) throw new ApiError('not_found', 'no such endpoint');
      const body = c.req.valid('json');
      const row = await getCase(deps.db.sql, id);
      if (!row) throw new ApiError('not_found', `no case ${id}`);
      const action = actionForRoute(route, body, row.status);
      if (!action) throw new ApiError('not_found', 'no such endpoint');
      const user = c.get('staff');
      const permission = permit(user, action, { ownerDepartmentId: row.departmentCode });
      if (!permission.ok) throw new ApiError('forbidden', permission.message);
      const parsed = action.parse(body);
      if (!parsed.ok) throw validationError(parsed.error, 'body');
      const request = parsed.request;

      if (request.kind === 'split') {
        const msg = await getMessage(deps.db.sql, request.messageId);
        if (!msg || msg.caseId !== id) throw new ApiError('not_found', `message ${request.messageId} is not on case ${id}`);
        if (msg.trackingNo === row.trackingNo) throw new ApiError('conflict', '不能拆分工单的首条留言 (the case’s first message cannot be split off)');
        const splitBy = permission.actor.role === 'staff' ? 'staff' : 'centre';
        const r = await openCaseForMessage({ ...svc, router: deps.shipped.router, duplicates: false }, request.messageId, new Date(), {
          split: { fromCaseId: id, reason: request.reason, actor: { kind: splitBy, id: permission.actor.id } },
        }).catch((err: unknown) => {
          // a concurrent split or merge moved the message meanwhile
          if (err instanceof PermanentJobError) throw new ApiError('conflict', `该留言已不在此工单上，请刷新后重试 / ${err.message}`);
          throw err;
        });
        const state = stateOf(row, await getCaseLifecycle(deps.db.sql, id), svc);
        return c.json({ caseId: id, newCaseId: r.caseId, messageId: request.messageId, ...(await next(user, id, state)).next }, 201);
      }

      if (request.kind === 'work') {
        const done = await translateErrors(() => doCaseWork(svc, id, request.work, permission.actor)).catch((err: unknown) => {
          if (err instanceof CaseWorkError) {
            throw err.code === 'conflict' ? new ApiError('conflict', err.message) : new ApiError('validation_failed', err.message, [{ field: 'assignee', message: err.message }]);
          }
          throw err;
        });
        const loaded = await getCaseWithLifecycle(deps.db.sql, id);
        const state = stateOf(loaded!.row, loaded!.lifecycle, svc);
        return c.json({ caseId: id, event: done.event, noteId: done.note?.id ?? null, version: loaded!.row.version, ...(await next(user, id, state)).next }, 200);
      }

      const result = await translateErrors(() => perform(id, request, permission.actor));
      const after = await next(user, id, result.state);
      // reply quality is advice shown beside the result, never a gate
      const advice = request.kind === 'transition' && request.action.type === 'reply' ? checkReply(request.action.text, messageTexts(after.messages)) : undefined;
      return c.json({ ...summary(result), ...after.next, ...(advice ? { replyAdvice: advice } : {}) }, 200);
    });
}
