// The outbox: one job per send attempt, and a sweep that picks up anything due whose job was
// lost (queue down, Redis flushed) or whose lease ran out (a worker died mid-send).
import { listDueOutboxIds } from '../../core/db/outbox';
import { buildSenders } from '../../core/outbox/senders';
import { alertSenders } from '../../core/alerts/senders';
import { deliveryConfig } from '../../core/alerts/deliver';
import { scheduleSend } from '../../core/outbox/enqueue';
import { sendOutbox, type SendDeps } from '../../core/outbox/send';
import { wechatSettings, weiboSettings } from '../../core/channels/settings';
import { createSmsSender } from '../../core/sms/sender';
import type { WorkerArea, WorkerContext } from './context';

export const OUTBOX_SWEEP_MS = 30_000;

export function outboxArea(ctx: WorkerContext): WorkerArea {
  const senders = {
    ...buildSenders({ sql: ctx.db.sql, now: ctx.now, wechat: wechatSettings(ctx.config), weibo: weiboSettings(ctx.config), sms: createSmsSender(ctx.config, { now: ctx.now }) }),
    ...alertSenders({ sql: ctx.db.sql, now: ctx.now, delivery: deliveryConfig(ctx.config) }),
  };
  const deps: SendDeps = { sql: ctx.db.sql, senders, now: ctx.now };
  return {
    processors: {
      'send-outbox': async ({ outboxId }) => {
        const outcome = await sendOutbox(deps, outboxId);
        const now = ctx.now().getTime();
        if (outcome.status === 'retry') {
          await scheduleSend(ctx.queue, outboxId, outcome.attempts, outcome.at.getTime() - now);
        } else if (outcome.status === 'unconfirmed') {
          await scheduleSend(ctx.queue, outboxId, outcome.attempts, outcome.recheckAt.getTime() - now + 1000);
        }
        if (outcome.status === 'failed') ctx.logger.warn({ outboxId, error: outcome.error, outcomeUnknown: outcome.outcomeUnknown }, 'outbox row failed');
        else if (outcome.status !== 'busy') ctx.logger.debug({ outboxId, outcome }, 'outbox attempt');
      },
    },
    periodic: {
      'outbox-sweep': async () => {
        const now = ctx.now();
        const due = await listDueOutboxIds(ctx.db.sql, now);
        // a fresh job id per sweep round: a finished job with the attempt's id must not hide a due row
        const round = Math.floor(now.getTime() / OUTBOX_SWEEP_MS);
        for (const r of due) await ctx.queue.enqueue('send-outbox', { outboxId: r.id, attempts: r.attempts, sweepRound: round });
        if (due.length) ctx.logger.info({ count: due.length }, 'outbox sweep queued due rows');
      },
    },
    schedule: { 'outbox-sweep': OUTBOX_SWEEP_MS },
  };
}
