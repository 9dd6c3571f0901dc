import type { WorkingCalendar } from '../../core/cases/calendar';
import type { CaseServiceDeps } from '../../core/cases/deps';
import type { Sla, SlaPolicy } from '../../core/cases/sla';
import type { Config } from '../../core/config';
import type { Database } from '../../core/db/connect';
import type { Logger } from '../../core/logger';
import type { JobData, JobQueue, ProcessorMap } from '../../core/queue/contract';

export interface WorkerDeps {
  db: Database;
  queue: JobQueue;
  logger: Logger;
  /** the SLA policy and working calendar, loaded once per process */
  sla: Sla;
  /** channel credentials and base URLs; absent in tests that need none */
  config?: Config;
  now?: () => Date;
}

/** What each area of work needs, loaded once per process. */
export interface WorkerContext extends Required<Omit<WorkerDeps, 'config' | 'sla'>> {
  config?: Config;
  policy: SlaPolicy;
  calendar: WorkingCalendar;
}

/** The case use cases' dependencies, from the worker's context. */
export function caseServiceDeps(ctx: WorkerContext): CaseServiceDeps {
  return { sql: ctx.db.sql, policy: ctx.policy, calendar: ctx.calendar, queue: ctx.queue, log: ctx.logger };
}

export type PeriodicTask = JobData<'periodic'>['task'];

/** One area's share of the work: its queue processors and its periodic tasks. */
export interface WorkerArea {
  processors?: ProcessorMap;
  periodic?: Partial<Record<PeriodicTask, () => Promise<void>>>;
  /** how often each periodic task runs, in ms */
  schedule?: Partial<Record<PeriodicTask, number>>;
}
