// The job processors: plain functions over the job's data, the same in BullMQ workers and the
// embedded in-process runner. Each area of work contributes its processors and periodic tasks.
import type { ProcessorMap } from '../../core/queue/contract';
import type { PeriodicTask, WorkerArea, WorkerContext, WorkerDeps } from './context';
import { alertsArea } from './alerts';
import { channelsArea } from './channels';
import { messagesArea } from './messages';
import { outboxArea } from './outbox';
import { readModelsArea } from './read-models';
import { slaArea } from './sla';

export type { WorkerDeps } from './context';

const AREAS: ((ctx: WorkerContext) => WorkerArea)[] = [messagesArea, slaArea, outboxArea, channelsArea, alertsArea, readModelsArea];

function buildAreas(deps: WorkerDeps): WorkerArea[] {
  const { shipped, ...rest } = deps;
  const ctx: WorkerContext = { ...rest, now: deps.now ?? (() => new Date()), policy: shipped.sla.policy, calendar: shipped.sla.calendar, router: shipped.router };
  return AREAS.map((make) => make(ctx));
}

export function createProcessors(deps: WorkerDeps): ProcessorMap {
  const areas = buildAreas(deps);
  const periodic = new Map<PeriodicTask, () => Promise<void>>();
  const processors: ProcessorMap = {};
  for (const area of areas) {
    Object.assign(processors, area.processors ?? {});
    for (const [task, run] of Object.entries(area.periodic ?? {})) periodic.set(task as PeriodicTask, run);
  }
  processors.periodic = async ({ task }) => {
    const run = periodic.get(task);
    if (!run) throw new Error(`no handler for periodic task ${task}`);
    await run();
  };
  return processors;
}

/** How often each periodic task runs, as the areas of work declare it. */
function periodicSchedules(deps: WorkerDeps): [PeriodicTask, number][] {
  const schedules: Partial<Record<PeriodicTask, number>> = {};
  for (const area of buildAreas(deps)) Object.assign(schedules, area.schedule ?? {});
  return Object.entries(schedules) as [PeriodicTask, number][];
}

async function assertSchedules(deps: WorkerDeps, schedules: [PeriodicTask, number][]): Promise<void> {
  for (const [task, every] of schedules) await deps.queue.every(task, every);
}

/** Schedules every area's periodic tasks (idempotent: one schedule per task, also across BullMQ workers). */
export async function schedulePeriodic(deps: WorkerDeps): Promise<void> {
  await assertSchedules(deps, periodicSchedules(deps));
}

/**
 * Re-asserts the periodic schedules every `everyMs` from this worker process: if Redis loses its
 * data (a flush, a failover to an empty replica), the schedules come back within a minute and the
 * sweeps rebuild every lost timer from the database, without waiting for a worker restart.
 */
export function keepSchedules(deps: WorkerDeps, everyMs = 60_000): () => void {
  const schedules = periodicSchedules(deps); // computed once: the areas' schedules do not change
  const timer = setInterval(() => {
    assertSchedules(deps, schedules).catch((err) => deps.logger.warn({ err }, 'could not re-assert periodic schedules'));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
