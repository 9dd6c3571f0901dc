// Messages → cases: the NLP pipeline job and the sweep that re-enqueues anything a lost job left behind.
import { openCaseForMessage } from '../../core/cases/open-case-for-message';
import { listUnprocessedMessageIds, markMessageFailed, noteMessageAttempt } from '../../core/db/messages';
import { assignMessageToTopic, sweepTopics } from '../../core/opinion/topics';
import { isPermanent } from '../../core/queue/contract';
import { alertsAfterMessage } from './alerts';
import { ensureRollups, syncDueCaseFacts } from '../../core/db/rollups';
import { caseServiceDeps, type WorkerArea, type WorkerContext } from './context';

export function messagesArea(ctx: WorkerContext): WorkerArea {
  const pipeline = { ...caseServiceDeps(ctx), router: ctx.router };
  const afterMessage = alertsAfterMessage(ctx);
  return {
    processors: {
      'process-message': async ({ messageId }, job) => {
        try {
          const r = await openCaseForMessage(pipeline, messageId, ctx.now());
          if (r.created) ctx.logger.debug({ messageId, caseId: r.caseId }, 'case opened');
          // 舆情: the message joins its topic (after analysis and case); a failure here retries the job, the case step is idempotent
          const topic = await assignMessageToTopic(ctx.db.sql, messageId);
          if (topic?.burstOpened.topic || topic?.burstOpened.district) ctx.logger.info({ messageId, topicId: topic.topicId }, 'topic burst');
          await afterMessage(messageId);
        } catch (err) {
          // a permanent error parks the message as failed, with the reason, where staff see it;
          // any other is counted, and once the job's attempts are used up the sweep tries again
          const note = isPermanent(err) ? markMessageFailed : noteMessageAttempt;
          await note(ctx.db.sql, messageId, String((err as Error).message)).catch(() => {});
          ctx.logger.warn({ err, messageId, attempt: job.attempt }, 'processing failed');
          throw err;
        }
      },
    },
    periodic: {
      // messages stored while the queue was unreachable, whose job was lost with Redis, or whose
      // job used up its attempts (kept failed for days under its fixed id: retried, not skipped)
      'message-sweep': async () => {
        try {
          const ids = await listUnprocessedMessageIds(ctx.db.sql, new Date(ctx.now().getTime() - 60_000));
          for (const messageId of ids) await ctx.queue.enqueue('process-message', { messageId }, { retryFailed: true });
          if (ids.length) ctx.logger.info({ count: ids.length }, 'message sweep re-enqueued unprocessed messages');
        } catch (err) {
          ctx.logger.warn({ err }, 'message sweep: re-enqueueing unprocessed messages failed');
        }
        // the rollups: counted once after an upgrade; cases whose deadlines passed since they were counted, again.
        // Each step on its own: a throw in one is logged and the next still runs (the sweep runs again in a minute)
        try {
          if (await ensureRollups(ctx.db.sql, ctx.now())) ctx.logger.info('rollups built from the rows stored before them');
        } catch (err) {
          ctx.logger.warn({ err }, 'message sweep: building the rollups failed');
        }
        try {
          await syncDueCaseFacts(ctx.db.sql, ctx.now());
        } catch (err) {
          ctx.logger.warn({ err }, 'message sweep: syncing due case facts failed');
        }
      },
      // topics: messages that missed their topic step, re-clustering (merge/split, ids kept), heat decay
      'topic-sweep': async () => {
        const r = await sweepTopics(ctx.db.sql, ctx.now(), undefined, ctx.logger);
        if (r.assigned || r.recluster.moved || r.failed.length) ctx.logger.info({ ...r, failed: r.failed.length }, 'topic sweep');
      },
    },
    schedule: { 'message-sweep': 60_000, 'topic-sweep': 10 * 60_000 },
  };
}
