// Which SLA timers a case state calls for: 催办 at the policy's fraction of each live deadline,
// 超期 at the deadline, 督办 after the configured time overdue. Pure; the rows live in sla_timers.
import type { TimerDeadline, TimerKind, TimerSpec } from '../db/sla-timers';
import type { WorkingCalendar } from './calendar';
import type { CaseState } from './lifecycle';
import { escalationFor, reminderAt, type Deadline, type DeadlineKind, type DispatchDeadline, type SlaPolicy } from './sla';

export const TIMER_DEADLINE: Record<DeadlineKind, TimerDeadline> = { acceptance: 'accept', response: 'response', resolution: 'resolve' };
export const DEADLINE_OF_TIMER: Record<TimerDeadline, DeadlineKind | 'dispatch'> = { dispatch: 'dispatch', accept: 'acceptance', response: 'response', resolve: 'resolution' };

/**
 * Deadlines still running in this state: acceptance until 签收, response until the first response,
 * resolution until the reply reaches the resident (a reply held for 答复审核 has not: the clock runs
 * on and its 催办/超期/督办 tell the centre, who must approve).
 */
export function liveDeadlines(s: CaseState): DeadlineKind[] {
  if (!s.deadlines) return [];
  const out: DeadlineKind[] = [];
  if (s.status === 'dispatched') out.push('acceptance');
  if ((s.status === 'dispatched' || s.status === 'accepted') && !s.firstResponseAt) out.push('response');
  if (s.status === 'dispatched' || s.status === 'accepted' || s.status === 'waiting' || (s.status === 'replied' && s.reply?.pendingReview)) out.push('resolution');
  return out;
}

/** The deadlines whose timers run now, by their timer name: in 待派单 the centre's 派单 (and, before any dispatch, the resident's resolution). */
function liveClocks(s: CaseState): { deadline: TimerDeadline; d: Deadline | DispatchDeadline }[] {
  if (s.status === 'received') {
    return s.dispatchDeadline && s.deadlines ? [{ deadline: 'dispatch', d: s.dispatchDeadline }, { deadline: 'resolve', d: s.deadlines.resolution }] : [];
  }
  // 退单, back in 待派单: the centre's 派单 clock (the department's deadlines went with the department)
  if (s.status === 'returned') return s.dispatchDeadline ? [{ deadline: 'dispatch', d: s.dispatchDeadline }] : [];
  return liveDeadlines(s).map((kind) => ({ deadline: TIMER_DEADLINE[kind], d: s.deadlines![kind] }));
}

export function desiredTimers(s: CaseState, policy: SlaPolicy, calendar: WorkingCalendar): TimerSpec[] {
  const out: TimerSpec[] = [];
  for (const { deadline, d } of liveClocks(s)) {
    const add = (k: TimerKind, fireAt: Date) => out.push({ deadline, kind: k, dueAt: d.due, fireAt });
    const remind = reminderAt(calendar, d, policy.reminderFraction, s.pauses);
    if (remind.getTime() < d.due.getTime()) add('remind', remind);
    add('overdue', d.due);
    add('escalate', escalationFor(policy, calendar, d));
  }
  return out;
}

export const TIMER_EVENT: Record<TimerKind, string> = { remind: 'reminded', overdue: 'overdue', escalate: 'escalated' };
export const TIMER_LABEL: Record<TimerKind, string> = { remind: '催办', overdue: '超期', escalate: '督办' };
export const DEADLINE_LABEL: Record<TimerDeadline, string> = { dispatch: '派单', accept: '签收', response: '首次响应', resolve: '办结' };
