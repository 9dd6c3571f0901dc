// The legal clock as jobs: each 'sla-timer' job fires one timer row (催办 / 超期 / 督办) if it is
// still pending and still describes a live deadline; the periodic 'sla-sweep' fires whatever is
// already due and re-creates the delayed jobs (and timer rows) a lost Redis or a crash took away.
import { actOnCase } from '../../core/cases/act-on-case';
import { scheduleTimerJob } from '../../core/cases/after-commit';
import { fireAllDueTimers, fireTimer, restoreCaseTimers } from '../../core/cases/fire-timers';
import { listHeldDispatches } from '../../core/db/cases';
import { findTimer, listCasesMissingTimers, listUpcomingTimers } from '../../core/db/sla-timers';
import { caseServiceDeps, type WorkerArea, type WorkerContext } from './context';

/** How far ahead the sweep makes sure every pending timer has its delayed job. */
export const SWEEP_HORIZON_MS = 2 * 3600_000;

export async function slaSweep(ctx: WorkerContext, now: Date = ctx.now()): Promise<{ synced: number; fired: number; enqueued: number }> {
  const deps = caseServiceDeps(ctx);
  let synced = 0;
  for (const caseId of await listCasesMissingTimers(ctx.db.sql)) if (await restoreCaseTimers(deps, caseId)) synced++;
  const fired = await fireAllDueTimers(deps, now);
  const upcoming = await listUpcomingTimers(ctx.db.sql, now, new Date(now.getTime() + SWEEP_HORIZON_MS));
  for (const t of upcoming) await scheduleTimerJob(ctx.queue, t, now.getTime());
  return { synced, fired, enqueued: upcoming.length };
}

/**
 * Cases whose dispatch was held because their deadline reached a year with no holiday calendar:
 * once the year's file is in lexicons/calendar (and the process restarted), they go to the
 * department the router chose, with deadlines counted from receipt as for any first dispatch.
 */
export async function dispatchHeldCases(ctx: WorkerContext, now: Date = ctx.now()): Promise<number> {
  const deps = caseServiceDeps(ctx);
  const held = await listHeldDispatches(ctx.db.sql);
  let dispatched = 0;
  for (const h of held) {
    try {
      await actOnCase(deps, h.caseId, { type: 'dispatch', departmentId: h.department }, { actor: { role: 'system', id: 'router' }, at: now });
      dispatched++;
    } catch (err) {
      // still no calendar for that year, or staff acted meanwhile: leave it for the centre
      if ((err as Error).name !== 'CalendarYearMissingError') ctx.logger.warn({ err, caseId: h.caseId }, 'held case not dispatched');
    }
  }
  return dispatched;
}

export function slaArea(ctx: WorkerContext): WorkerArea {
  const deps = caseServiceDeps(ctx);
  return {
    processors: {
      'sla-timer': async ({ caseId, kind, deadline, at }) => {
        const timer = await findTimer(ctx.db.sql, caseId, deadline, kind, new Date(at));
        // no row, or a row that is no longer pending: the deadline moved or the timer already fired
        if (!timer || timer.state !== 'pending') return;
        const fired = await fireTimer(deps, timer.id, ctx.now());
        if (fired) ctx.logger.info({ caseId, kind, deadline }, 'sla timer fired');
      },
    },
    periodic: {
      'sla-sweep': async () => {
        const r = await slaSweep(ctx);
        if (r.synced || r.fired) ctx.logger.info(r, 'sla sweep');
        const released = await dispatchHeldCases(ctx);
        if (released) ctx.logger.info({ released }, 'held cases dispatched now that their calendar year is known');
      },
    },
    schedule: { 'sla-sweep': 60_000 },
  };
}
