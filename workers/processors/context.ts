import type { WorkingCalendar } from '../../core/cases/calendar';
import type { CaseServiceDeps } from '../../core/cases/deps';
import type { SlaPolicy } from '../../core/cases/sla';
import type { Config } from '../../core/config';
import type { Database } from '../../core/db/connect';
import type { Logger } from '../../core/logger';
import type { JobData, JobQueue, ProcessorMap } from '../../core/queue/contract';
import type { Router } from '../../core/cases/routing';
import type { Shipped } from '../../core/shipped/index';

export interface WorkerDeps {
  db: Database;
  queue: JobQueue;
  logger: Logger;
  /** the shipped data (lexicons/: SLA policy and working calendar, routing, places…), loaded and checked once per process */
  shipped: Shipped;
  /** channel credentials and base URLs; absent in tests that need none */
  config?: Config;
  now?: () => Date;
}

/** What each area of work needs, loaded once per process. */
export interface WorkerContext extends Required<Omit<WorkerDeps, 'config' | 'shipped'>> {
  config?: Config;
  policy: SlaPolicy;
  calendar: WorkingCalendar;
  /** the shipped router (absent: the one built from lexicons/ on first use) */
  router?: Router;
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
