// The legal clock: firing SLA timers (催办 / 超期 / 督办) that are still pending and still describe a
// live deadline, recorded at the moment they fell due even when a sweep fires them late.
import { appendCaseEvents, getCaseWithLifecycleForUpdate, markCaseEscalated, markCaseOverdue } from '../db/cases';
import type { Db } from '../db/connect';
import { getDepartment } from '../db/departments';
import { listDueTimers, lockTimer, markTimer, syncCaseTimers } from '../db/sla-timers';
import { DEADLINE_OF_TIMER, desiredTimers, TIMER_EVENT } from './case-timers';
import { stateOf } from './case-state';
import type { CaseServiceDeps } from './deps';

/** Fires one timer if it is still pending and still describes a live deadline; returns whether it fired. */
export async function fireTimerInTx(tx: Db, deps: Pick<CaseServiceDeps, 'policy' | 'calendar'>, timerId: number, now: Date): Promise<boolean> {
  const t = await lockTimer(tx, timerId);
  if (!t || t.state !== 'pending' || t.fireAt.getTime() > now.getTime()) return false;
  const loaded = await getCaseWithLifecycleForUpdate(tx, t.caseId);
  if (!loaded) return false;
  const state = stateOf(loaded.row, loaded.lifecycle, deps);
  const live = desiredTimers(state, deps.policy, deps.calendar).some(
    (w) => w.deadline === t.deadline && w.kind === t.kind && w.dueAt.getTime() === t.dueAt.getTime(),
  );
  if (!live) {
    await markTimer(tx, t.id, 'cancelled', now);
    return false;
  }
  if (state.status === 'waiting') return false; // the clock is stopped; resuming moves the deadline
  const row = loaded.row;
  const dept = row.departmentCode ? await getDepartment(tx, row.departmentCode) : undefined;
  const data: Record<string, unknown> = {
    deadline: t.deadline, deadlineKind: DEADLINE_OF_TIMER[t.deadline], dueAt: t.dueAt, firedAt: now, department: row.departmentCode,
  };
  // who the clock waits on when it is the centre, not the department: a reply held for its review
  if (state.status === 'replied' && state.reply?.pendingReview) data.waitingOn = 'reply-review';
  if (state.status === 'received' || state.status === 'returned') data.waitingOn = 'dispatch';
  if (t.kind === 'escalate') Object.assign(data, { supervisor: dept?.leaderTitle ?? null, departmentName: dept?.name ?? null });
  // recorded at the moment it fell due, even when a sweep fires it late
  await appendCaseEvents(tx, t.caseId, [{ type: TIMER_EVENT[t.kind], fromStatus: state.status, toStatus: state.status, actorKind: 'system', actorId: 'sla', at: t.fireAt, data }]);
  if (t.kind === 'overdue' && t.deadline === 'resolve') await markCaseOverdue(tx, t.caseId);
  if (t.kind === 'escalate') await markCaseEscalated(tx, t.caseId, t.fireAt);
  await markTimer(tx, t.id, 'fired', now);
  return true;
}

/** Fires, in order, every pending timer due by `until` (of one case, or all). */
export async function fireDueTimersInTx(tx: Db, deps: Pick<CaseServiceDeps, 'policy' | 'calendar'>, caseId: number | undefined, until: Date): Promise<number> {
  let fired = 0;
  for (const t of await listDueTimers(tx, until, { caseId })) if (await fireTimerInTx(tx, deps, t.id, until)) fired++;
  return fired;
}

/** Fires one timer in its own transaction (the delayed 'sla-timer' job). */
export async function fireTimer(deps: CaseServiceDeps, timerId: number, now: Date): Promise<boolean> {
  return deps.sql.begin((tx) => fireTimerInTx(tx, deps, timerId, now));
}

/** Fires every timer due by `until`, one transaction per batch (listDueTimers), until none is left; returns how many fired. */
export async function fireAllDueTimers(deps: CaseServiceDeps, until: Date): Promise<number> {
  let fired = 0;
  for (;;) {
    const n = await deps.sql.begin((tx) => fireDueTimersInTx(tx, deps, undefined, until));
    fired += n;
    if (n === 0) return fired;
  }
}

/** Writes the timer rows the case's state calls for (a case opened before timers existed); false when there is no such case. */
export async function restoreCaseTimers(deps: CaseServiceDeps, caseId: number): Promise<boolean> {
  return deps.sql.begin(async (tx) => {
    const loaded = await getCaseWithLifecycleForUpdate(tx, caseId);
    if (!loaded) return false;
    await syncCaseTimers(tx, caseId, desiredTimers(stateOf(loaded.row, loaded.lifecycle, deps), deps.policy, deps.calendar));
    return true;
  });
}
