// Messages → cases: the NLP pipeline job and the sweep that re-enqueues anything a lost job left behind.
import { openCaseForMessage } from '../../core/cases/open-case-for-message';
import { listUnprocessedMessageIds, noteMessageAttempt } from '../../core/db/messages';
import { isPermanent } from '../../core/queue/contract';
import { caseServiceDeps, type WorkerArea, type WorkerContext } from './context';

export function messagesArea(ctx: WorkerContext): WorkerArea {
  const pipeline = { ...caseServiceDeps(ctx), router: ctx.router };
  return {
    processors: {
      'process-message': async ({ messageId }, job) => {
        try {
          const r = await openCaseForMessage(pipeline, messageId, ctx.now());
          if (r.created) ctx.logger.debug({ messageId, caseId: r.caseId }, 'case opened');
        } catch (err) {
          if (!isPermanent(err)) await noteMessageAttempt(ctx.db.sql, messageId, String((err as Error).message)).catch(() => {});
          ctx.logger.warn({ err, messageId, attempt: job.attempt }, 'processing failed');
          throw err;
        }
      },
    },
    periodic: {
      // messages stored while the queue was unreachable, or whose job was lost with Redis
      'message-sweep': async () => {
        const ids = await listUnprocessedMessageIds(ctx.db.sql, new Date(ctx.now().getTime() - 60_000));
        for (const messageId of ids) await ctx.queue.enqueue('process-message', { messageId });
        if (ids.length) ctx.logger.info({ count: ids.length }, 'message sweep re-enqueued unprocessed messages');
      },
    },
    schedule: { 'message-sweep': 60_000 },
  };
}
