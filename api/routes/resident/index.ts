// What a resident does with their tracking number and 查询码: rate the reply (回访; 不满意 reopens
// the case) and supply the information a paused case waits for. Whether the deadline is 暂定 comes with
// the status itself (GET /api/v1/messages/:trackingNo, core/messages/status.ts).
import { Hono } from 'hono';
import { z } from 'zod';
import { actOnCase } from '../../../core/cases/act-on-case';
import { RATINGS, type CaseAction } from '../../../core/cases/lifecycle';
import { getMessageByTrackingNo } from '../../../core/db/messages';
import { sameCode } from '../../../core/messages/status';
import type { AppDeps, AppEnv } from '../../deps';
import { ApiError } from '../../errors';
import { validate } from '../../validate';
import type { Context } from 'hono';
import { withCodeAttempt } from '../messages/caller';
import { caseServiceDeps, translateErrors } from '../cases/service';
import { residentPhotoRoutes } from './photos';

const code = z.string().trim().toUpperCase().regex(/^[A-Z0-9]{6}$/, '查询码为 6 位字母或数字');
export const ratingBody = z.object({
  code,
  rating: z.enum(RATINGS, { message: '评价须为 满意、基本满意 或 不满意' }),
  /** 问题是否解决 (解决率), asked beside the rating */
  resolved: z.boolean().optional(),
  comment: z.string().trim().max(2000).optional(),
});
export const supplementBody = z.object({ code, text: z.string().trim().min(2).max(5000) });
export const codeQuery = z.object({ code });
export const trackingParam = z.object({ trackingNo: z.string().regex(/^MS\d{13}$/, '受理编号格式不正确') });

export function residentRoutes(deps: AppDeps) {
  async function residentCase(c: Context, trackingNo: string, queryCode: string) {
    const m = await withCodeAttempt(c, deps, trackingNo, async () => {
      const found = await getMessageByTrackingNo(deps.db.sql, trackingNo);
      return found && sameCode(found.queryCode, queryCode) ? found : null;
    });
    if (!m) throw new ApiError('not_found', '没有找到该留言，请核对受理编号和查询码 (no message with that tracking number and query code)');
    if (!m.caseId) throw new ApiError('conflict', '留言尚未生成工单，请稍后再试 (the message has no case yet)');
    return { caseId: m.caseId, actor: { role: 'resident' as const, id: `resident:${trackingNo}` } };
  }

  return new Hono<AppEnv>()
    .post('/:trackingNo/rating', validate('param', trackingParam), validate('json', ratingBody), async (c) => {
      const b = c.req.valid('json');
      const { caseId, actor } = await residentCase(c, c.req.valid('param').trackingNo, b.code);
      const action: CaseAction = { type: 'rate', rating: b.rating, comment: b.comment };
      const r = await translateErrors(() => actOnCase(caseServiceDeps(deps), caseId, action, { actor, resolved: b.resolved ?? null }));
      return c.json({ status: r.state.status, reopened: r.events.some((e) => e.type === 'reopened') });
    })
    // 补充材料: the paused clock runs again from now
    .post('/:trackingNo/supplement', validate('param', trackingParam), validate('json', supplementBody), async (c) => {
      const b = c.req.valid('json');
      const { caseId, actor } = await residentCase(c, c.req.valid('param').trackingNo, b.code);
      const r = await translateErrors(() => actOnCase(caseServiceDeps(deps), caseId, { type: 'resume', note: b.text }, { actor }));
      return c.json({ status: r.state.status });
    })
    .route('/', residentPhotoRoutes(deps));
}
