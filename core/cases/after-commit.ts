// After a case transaction commits: the public board's entry of what changed (masked here, never in
// a request), the delayed SLA timer jobs and the outbox sends it made due.
import { syncBoard } from '../board/board';
import type { TimerRow } from '../db/sla-timers';
import { scheduleSend } from '../outbox/enqueue';
import type { JobQueue } from '../queue/contract';
import type { AfterCommit, CaseServiceDeps } from './deps';

/** how many timer jobs one queue call carries at most (the sweep may re-schedule thousands) */
const TIMER_JOBS_PER_CALL = 500;

/**
 * The delayed jobs that fire these timer rows, in one queue call per TIMER_JOBS_PER_CALL (a case's
 * timers: one call). Same row, same job id: an existing job is left as it is.
 */
export async function scheduleTimerJobs(queue: JobQueue, timers: Pick<TimerRow, 'caseId' | 'kind' | 'deadline' | 'dueAt' | 'fireAt'>[], now: number): Promise<void> {
  for (let i = 0; i < timers.length; i += TIMER_JOBS_PER_CALL) {
    await queue.enqueueBulk('sla-timer', timers.slice(i, i + TIMER_JOBS_PER_CALL).map((t) => ({
      data: { caseId: t.caseId, kind: t.kind, deadline: t.deadline, at: t.dueAt.toISOString() },
      opts: { delayMs: Math.max(0, t.fireAt.getTime() - now) },
    })));
  }
}

/** Enqueues the delayed timer jobs and the outbox sends. A failure here loses nothing: the sweeps rebuild both from the database. */
export async function afterCommit(deps: CaseServiceDeps, work: AfterCommit, opts: { board?: boolean } = {}): Promise<void> {
  // board: false when the transaction only opened cases: a case enters the board once replied (the
  // board_dirty triggers of migration 0105), so a sync there would find nothing to do
  if (opts.board !== false) try {
    // the case just changed is the newest on the board's queue; the read-model sweep does the rest
    await syncBoard(deps.sql, { batch: 20, maxBatches: 1, order: 'newest' });
  } catch (err) {
    deps.log?.warn({ err }, 'could not update the public board after commit; the read-model sweep will');
  }
  if (!deps.queue) return;
  const now = Date.now();
  try {
    await scheduleTimerJobs(deps.queue, work.timers, now);
    for (const outboxId of work.outboxIds) await scheduleSend(deps.queue, outboxId, 0);
  } catch (err) {
    deps.log?.warn({ err }, 'could not enqueue after commit; the sweeps will');
  }
}
