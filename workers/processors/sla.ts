// The legal clock as jobs: each 'sla-timer' job fires one timer row (催办 / 超期 / 督办) if it is
// still pending and still describes a live deadline; the periodic 'sla-sweep' fires whatever is
// already due and re-creates the delayed jobs (and timer rows) a lost Redis or a crash took away.
// It also notices a new or changed holiday file in lexicons/calendar and counts again the deadlines
// that were counted on the provisional calendar of a year that is official now.
import { actOnCase } from '../../core/cases/act-on-case';
import { scheduleTimerJobs } from '../../core/cases/after-commit';
import { refreshWorkingCalendar } from '../../core/cases/calendar';
import { fireAllDueTimers, fireTimer, restoreCaseTimers } from '../../core/cases/fire-timers';
import { startClocklessAwaitingCases } from '../../core/cases/open-case';
import { recomputeProvisionalDeadlines } from '../../core/cases/recompute-deadlines';
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
  await scheduleTimerJobs(ctx.queue, upcoming, now.getTime());
  return { synced, fired, enqueued: upcoming.length };
}

/**
 * Re-reads the calendar folder when its files changed (one process's calendar object is shared by
 * everything in it, so the swap reaches all of it), then counts again every live provisional
 * deadline of a year that is official now. A folder that no longer validates is logged and the
 * calendar kept; the recount runs every time, so a restart or a failure loses nothing.
 */
export async function calendarSweep(ctx: WorkerContext, now: Date = ctx.now()): Promise<{ nowOfficial: number[]; recomputed: number; moved: number; failed: number }> {
  let nowOfficial: number[] = [];
  try {
    const r = refreshWorkingCalendar(ctx.calendar);
    nowOfficial = r.nowOfficial;
    if (r.changed) ctx.logger.info({ years: ctx.calendar.years, nowOfficial }, 'holiday calendar reloaded');
  } catch (err) {
    ctx.logger.error({ err }, 'holiday calendar folder changed but does not validate; keeping the calendar loaded before');
  }
  const r = await recomputeProvisionalDeadlines(caseServiceDeps(ctx), now);
  return { nowOfficial, ...r };
}

/**
 * Cases held for a missing calendar before provisional calendars existed: they go to the department
 * the router chose, with deadlines counted from receipt as for any first dispatch (provisional where
 * they reach a year with no file). Staff who acted meanwhile win: such a case is left alone.
 */
export async function dispatchHeldCases(ctx: WorkerContext, now: Date = ctx.now()): Promise<number> {
  const deps = caseServiceDeps(ctx);
  let dispatched = 0;
  for (const h of await listHeldDispatches(ctx.db.sql)) {
    try {
      await actOnCase(deps, h.caseId, { type: 'dispatch', departmentId: h.department }, { actor: { role: 'system', id: 'router' }, at: now });
      dispatched++;
    } catch (err) {
      ctx.logger.warn({ err, caseId: h.caseId }, 'held case not dispatched; it waits in 待派单 for the centre');
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
        // the calendar first: a timer due on a provisional deadline that the official calendar moves
        // later must not fire before the recount, and released cases are counted on the newest calendar
        const cal = await calendarSweep(ctx);
        if (cal.recomputed || cal.failed) ctx.logger.info(cal, 'provisional deadlines recomputed on the official holiday calendar');
        const r = await slaSweep(ctx);
        if (r.synced || r.fired) ctx.logger.info(r, 'sla sweep');
        const clocked = await startClocklessAwaitingCases(deps, ctx.now());
        if (clocked) ctx.logger.info({ clocked }, 'cases waiting in 待派单 from before it had a clock now have one');
        const released = await dispatchHeldCases(ctx);
        if (released) ctx.logger.info({ released }, 'cases held for a missing calendar dispatched on the provisional calendar');
      },
    },
    schedule: { 'sla-sweep': 60_000 },
  };
}
