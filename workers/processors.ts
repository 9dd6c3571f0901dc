// The job processors: plain functions over the job's data, the same in BullMQ workers and the
// embedded in-process runner.
import type { Database } from '../core/db/connect';
import { listUnprocessedMessageIds, noteMessageAttempt } from '../core/db/messages';
import type { Logger } from '../core/logger';
import { openCaseForMessage } from '../core/cases/open-case';
import { loadSla } from '../core/cases/sla';
import { isPermanent, type JobQueue, type ProcessorMap } from '../core/queue/contract';

export interface WorkerDeps {
  db: Database;
  queue: JobQueue;
  logger: Logger;
  now?: () => Date;
}

export function createProcessors(deps: WorkerDeps): ProcessorMap {
  const { policy, calendar } = loadSla();
  const now = deps.now ?? (() => new Date());
  const ctx = { sql: deps.db.sql, policy, calendar, log: deps.logger };

  return {
    'process-message': async ({ messageId }, job) => {
      try {
        const r = await openCaseForMessage(ctx, messageId, now());
        if (r.created) deps.logger.debug({ messageId, caseId: r.caseId }, 'case opened');
      } catch (err) {
        if (!isPermanent(err)) await noteMessageAttempt(deps.db.sql, messageId, String((err as Error).message)).catch(() => {});
        deps.logger.warn({ err, messageId, attempt: job.attempt }, 'processing failed');
        throw err;
      }
    },

    periodic: async ({ task }) => {
      if (task === 'message-sweep') {
        // messages stored while the queue was unreachable, or whose job was lost with Redis
        const ids = await listUnprocessedMessageIds(deps.db.sql, new Date(now().getTime() - 60_000));
        for (const messageId of ids) await deps.queue.enqueue('process-message', { messageId });
        if (ids.length) deps.logger.info({ count: ids.length }, 'message sweep re-enqueued unprocessed messages');
      }
    },
  };
}

/** Periodic tasks every worker deployment schedules (idempotent: one schedule per task). */
export async function schedulePeriodic(queue: JobQueue): Promise<void> {
  await queue.every('message-sweep', 60_000);
}
