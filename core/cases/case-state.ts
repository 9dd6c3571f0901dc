// Between the lifecycle's state and the case row: the state of a stored case, the columns a state
// drives, the event rows, and writing all of them (with the timers the state calls for) in one go.
import {
  appendCaseEvents,
  writeCaseState,
  type CaseEventInput,
  type CaseRow,
  type CaseStateColumns,
} from '../db/cases';
import type { Db } from '../db/connect';
import { syncCaseTimers, type TimerRow } from '../db/sla-timers';
import { desiredTimers } from './case-timers';
import { VersionConflictError, type CaseServiceDeps } from './deps';
import { applyTransition, caseStateSchema, createCase, replySentAt, type CaseEvent, type CaseState } from './lifecycle';
import { provisionalYearsOf, slaRequestType, type CaseClassification } from './sla';

/** The stored state, or one rebuilt from the columns for a case opened before states were stored. */
export function stateOf(row: CaseRow, stored: unknown, deps: Pick<CaseServiceDeps, 'policy' | 'calendar'>): CaseState {
  if (stored) return caseStateSchema.parse(stored);
  const classification = classificationOf(row);
  let { state } = createCase({ id: String(row.id), receivedAt: row.createdAt, classification });
  if (row.departmentCode && row.dispatchedAt) {
    state = applyTransition(state, { type: 'dispatch', departmentId: row.departmentCode }, {
      actor: { role: 'system', id: 'router' }, at: row.dispatchedAt, policy: deps.policy, calendar: deps.calendar,
    }).state;
  }
  return state;
}

/** 待派单: no department has the case (received, or returned by one), so the centre's 派单 clock runs. */
export function waitsForDispatch(s: CaseState): boolean {
  return (s.status === 'received' || s.status === 'returned') && s.ownerDepartmentId === null;
}

function classificationOf(row: Pick<CaseRow, 'urgency' | 'requestType'>): CaseClassification {
  return { urgency: row.urgency, requestType: slaRequestType(row.requestType), subtopic: null };
}

const NEW_CLOCK = new Set(['dispatched', 'designated', 'overridden', 'reopened']);

export function columnsOf(s: CaseState, prev: Pick<CaseRow, 'overdue' | 'escalatedAt' | 'needsReview' | 'resolved'>, at: Date, events: CaseEvent[], resolved?: boolean | null): CaseStateColumns {
  const newClock = events.some((e) => NEW_CLOCK.has(e.type));
  const staffDecided = events.some((e) => NEW_CLOCK.has(e.type) && e.actor.role !== 'system');
  const due = s.deadlines?.resolution.due ?? null;
  // a restarted clock or a deadline moved past `at` (extension, pause) lifts the overdue mark; a
  // dispatch out of 待派单 keeps the deadline from receipt, so a deadline still past keeps it
  const stillPast = due !== null && due.getTime() <= at.getTime();
  const overdue = prev.overdue && (stillPast || (!newClock && (due === null || s.status === 'replied' || s.status === 'closed' || s.status === 'rated')));
  const rated = events.find((e) => e.type === 'rated');
  return {
    status: s.status,
    departmentCode: s.ownerDepartmentId,
    returnCount: s.returnCount,
    extensionDays: s.extensionGrantedWorkingDays,
    acceptDueAt: s.deadlines?.acceptance.due ?? null,
    responseDueAt: s.deadlines?.response.due ?? null,
    resolveDueAt: due,
    dispatchedAt: s.dispatchedAt,
    acceptedAt: s.acceptedAt,
    firstResponseAt: s.firstResponseAt,
    repliedAt: s.reply?.at ?? null,
    replyText: s.reply?.text ?? null,
    replyPending: s.reply?.pendingReview ?? false,
    replySentAt: replySentAt(s.reply),
    closedAt: s.closedAt,
    ratedAt: s.ratedAt,
    rating: s.rating,
    resolved: rated ? (resolved ?? null) : s.rating === null ? null : prev.resolved,
    pausedAt: s.pausedSince,
    mergedInto: s.mergedInto ? Number(s.mergedInto) : null,
    awaitingDesignation: s.awaitingDesignation,
    reopenCount: s.reopenCount,
    overdue,
    escalatedAt: newClock && !stillPast ? null : prev.escalatedAt,
    // a case nobody can move on without staff (returned, awaiting designation) is flagged for review
    needsReview: s.status === 'returned' || (s.status === 'received' && !s.ownerDepartmentId) ? true : staffDecided ? false : prev.needsReview,
    provisionalYears: provisionalYearsOf(s.deadlines),
  };
}

export function eventInput(e: CaseEvent, extra: Record<string, unknown> = {}): CaseEventInput {
  return { type: e.type, fromStatus: e.fromStatus, toStatus: e.toStatus, actorKind: e.actor.role, actorId: e.actor.id, at: e.at, data: { ...e.data, ...extra } };
}

/**
 * Writes the state, its events and its timers in one round trip (pipelined: core/db/cases.ts
 * PIPELINING). The state's UPDATE runs first; when the version moved meanwhile it changes nothing
 * and the VersionConflictError thrown here rolls the transaction back, events and timers with it.
 */
export async function persistCaseState(
  tx: Db,
  deps: CaseServiceDeps,
  row: CaseRow,
  state: CaseState,
  events: CaseEventInput[],
  lifecycleEvents: CaseEvent[],
  at: Date,
  resolved?: boolean | null,
): Promise<{ version: number; timers: TimerRow[] }> {
  const [version, , timers] = await Promise.all([
    writeCaseState(tx, row.id, row.version, columnsOf(state, row, at, lifecycleEvents, resolved), state),
    appendCaseEvents(tx, row.id, events),
    syncCaseTimers(tx, row.id, desiredTimers(state, deps.policy, deps.calendar)),
  ]);
  if (version === null) throw new VersionConflictError(row.id, row.version, -1);
  return { version, timers };
}
