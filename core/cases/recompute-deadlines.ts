// When an official holiday file replaces a provisional year: each open case whose deadlines were
// counted through that year is counted again on the official calendar, in its own transaction,
// with a 'deadlines-recomputed' event (old and new dues) and its SLA timers rescheduled.
import { getCaseWithLifecycleForUpdate, listCasesWithProvisionalYears, type CaseEventInput } from '../db/cases';
import type { Db } from '../db/connect';
import { afterCommit } from './after-commit';
import { persistCaseState, stateOf } from './case-state';
import type { WorkingCalendar } from './calendar';
import type { AfterCommit, CaseServiceDeps } from './deps';
import type { CaseState } from './lifecycle';
import { fireDueTimersInTx } from './fire-timers';
import { DEADLINE_KINDS, provisionalYearsOf, recountDeadlines, type Deadlines } from './sla';

/**
 * The state with its provisional deadlines counted again, when one of their years is official now,
 * and the history event saying so; null when there is nothing to count. Pure.
 */
export function recountState(before: CaseState, calendar: WorkingCalendar, at: Date): { state: CaseState; event: CaseEventInput; changed: boolean } | null {
  const old = before.deadlines;
  const officialNow = provisionalYearsOf(old).filter((y) => !calendar.isProvisionalYear(y));
  if (!old || !officialNow.length) return null;
  const deadlines = recountDeadlines(calendar, old, { pauses: before.pauses, extensionWorkingDays: before.extensionGrantedWorkingDays });
  const when = new Date(Math.max(at.getTime(), before.lastEventAt.getTime()));
  const changed = DEADLINE_KINDS.some((k) => old[k].due.getTime() !== deadlines[k].due.getTime());
  const view = (d: Deadlines) =>
    Object.fromEntries(DEADLINE_KINDS.map((k) => [k, { due: d[k].due, provisionalYears: d[k].provisionalYears ?? [] }]));
  return {
    state: { ...before, deadlines, lastEventAt: when },
    changed,
    event: {
      type: 'deadlines-recomputed', fromStatus: before.status, toStatus: before.status, actorKind: 'system', actorId: 'calendar', at: when,
      data: { officialYears: officialNow, changed, before: view(old), after: view(deadlines) },
    },
  };
}

/** Counts one case's provisional deadlines again; null when it has none left to count (or no such case). */
export async function recomputeCaseDeadlinesInTx(tx: Db, deps: CaseServiceDeps, caseId: number, at: Date): Promise<(AfterCommit & { changed: boolean }) | null> {
  const loaded = await getCaseWithLifecycleForUpdate(tx, caseId);
  if (!loaded) return null;
  const r = recountState(stateOf(loaded.row, loaded.lifecycle, deps), deps.calendar, at);
  if (!r) return null;
  const { timers } = await persistCaseState(tx, deps, loaded.row, r.state, [r.event], [], r.state.lastEventAt);
  // the recount first, then what fell due: a timer of an old provisional due that the official
  // calendar moved later must not fire (persisting cancelled it); one due on the new dues fires now
  await fireDueTimersInTx(tx, deps, caseId, at);
  return { timers, outboxIds: [], changed: r.changed };
}

/** One case, in its own transaction; its timers are scheduled after commit. */
export async function recomputeCaseDeadlines(deps: CaseServiceDeps, caseId: number, at: Date): Promise<{ changed: boolean } | null> {
  const r = await deps.sql.begin((tx) => recomputeCaseDeadlinesInTx(tx, deps, caseId, at));
  if (r) await afterCommit(deps, r);
  return r && { changed: r.changed };
}

/**
 * Every live case counted through a year that is official now (a batch per call; the SLA sweep calls
 * it every run, so a crash or a conflict only delays a case to the next sweep). Stateless: which
 * cases to count comes from the cases' own provisional years, not from remembering the last file seen.
 */
export async function recomputeProvisionalDeadlines(deps: CaseServiceDeps, at: Date, limit = 500): Promise<{ recomputed: number; moved: number; failed: number }> {
  const out = { recomputed: 0, moved: 0, failed: 0 };
  for (const id of await listCasesWithProvisionalYears(deps.sql, deps.calendar.years, limit)) {
    try {
      const r = await recomputeCaseDeadlines(deps, id, at);
      if (!r) continue;
      out.recomputed++;
      if (r.changed) out.moved++;
    } catch (err) {
      out.failed++;
      deps.log?.warn({ err, caseId: id }, 'provisional deadlines not recomputed; the next sweep retries');
    }
  }
  return out;
}
