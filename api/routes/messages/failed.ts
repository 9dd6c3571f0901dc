// Staff: messages the pipeline could not turn into a case (parked failed, or every attempt of their
// job used up), with their error, and a retry that sends one through the pipeline again.
// Mounted in routes/messages/index.ts before the resident's `/:trackingNo`, each route with its own
// staff check (a `use('*')` here would cover the public routes beside them).
import { Hono } from 'hono';
import { z } from 'zod';
import { STAFF_AREAS } from '../../../core/auth/permissions';
import { listFailedMessages, reopenFailedMessage } from '../../../core/db/failed-messages';
import { maskPii } from '../../../core/nlp/pii';
import { queueDefinitions } from '../../../core/queue/contract';
import { requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError } from '../../errors';
import { validate } from '../../validate';

export const failedPage = z.object({
  limit: z.coerce.number({ message: 'limit 须为数字' }).int().min(1, 'limit 至少为 1').max(200, 'limit 最多为 200').default(50),
  offset: z.coerce.number({ message: 'offset 须为数字' }).int().min(0, 'offset 不能为负').max(1_000_000, 'offset 过大').default(0),
});
export const messageIdParam = z.object({ id: z.coerce.number({ message: '留言编号须为数字' }).int('留言编号须为整数').positive('留言编号须为正整数').max(Number.MAX_SAFE_INTEGER, '留言编号过大') });

const RETRY_ENQUEUE_WAIT_MS = 2_000;

export function failedMessagesRoutes(deps: AppDeps) {
  // the 12345 coordination centre and admins, as for 人工复核
  const staff = requireStaff(deps, STAFF_AREAS.triage);
  return new Hono<StaffEnv>()
    .get('/failed', staff, validate('query', failedPage), async (c) => {
      const { limit, offset } = c.req.valid('query');
      const list = await listFailedMessages(deps.db.sql, { minAttempts: queueDefinitions['process-message'].attempts, limit, offset });
      return c.json({
        total: list.total,
        // masked before it is cut (an ID number split by the cut would escape the mask); the clear text is
        // for the case view, whose reads of personal data are audited
        items: list.items.map((m) => ({
          ...m,
          title: m.title === null ? null : maskPii(m.title),
          excerpt: maskPii(m.excerpt).slice(0, 120),
          receivedAt: m.receivedAt.toISOString(),
          storedAt: m.storedAt.toISOString(),
          parked: m.state === 'failed',
        })),
      });
    })
    .post('/:id/retry', staff, validate('param', messageIdParam), async (c) => {
      const { id } = c.req.valid('param');
      const row = await reopenFailedMessage(deps.db.sql, id);
      if (!row) throw new ApiError('not_found', '没有这条留言 (no such message)');
      if (row.alreadyOnCase) return c.json({ id, retried: false, reason: '该留言已生成工单 (already on a case)' }, 200);
      let enqueued = true;
      // a kept finished job of the same id (failed, or completed before a split) runs again from its first attempt; a queue that does not
      // take it in a moment (Redis down) leaves it to the message sweep, which runs within a minute
      const pending = deps.queue.enqueue('process-message', { messageId: id }, { rerunFinished: true });
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([pending, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the queue did not take the job in time')), RETRY_ENQUEUE_WAIT_MS)))]);
      } catch (err) {
        enqueued = false;
        pending.catch(() => {});
        deps.logger.warn({ err, messageId: id }, 'retry: the queue did not take the job; the sweep will');
      } finally {
        clearTimeout(timer);
      }
      deps.logger.info({ messageId: id, staff: c.get('staff').username }, 'failed message sent through the pipeline again');
      return c.json({ id, retried: true, enqueued }, 202);
    });
}
