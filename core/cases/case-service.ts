// The case lifecycle made durable: load the case FOR UPDATE, apply the pure transition, write the
// columns, the state and the events in one transaction (optimistic version), then schedule the SLA
// timers and the outbox jobs after commit. The API, the workers and the demo loader all act here.
import type { Db, Sql } from '../db/connect';
import {
  appendCaseEvents,
  getCaseWithLifecycleForUpdate,
  insertCase,
  writeCaseState,
  type CaseEventInput,
  type CaseRow,
  type CaseStateColumns,
  type NewCase,
} from '../db/cases';
import { getDepartment } from '../db/departments';
import { lockTimer, listDueTimers, markTimer, syncCaseTimers, type TimerRow } from '../db/sla-timers';
import type { JobQueue } from '../queue/contract';
import type { WorkingCalendar } from './calendar';
import { DEADLINE_OF_TIMER, desiredTimers, TIMER_EVENT } from './case-timers';
import {
  applyTransition,
  caseStateSchema,
  createCase,
  IllegalTransitionError,
  type Actor,
  type CaseAction,
  type CaseEvent,
  type CaseState,
} from './lifecycle';
import { queueReplyToResidents } from './reply-outbox';
import { computeDeadlines, type CaseClassification, type SlaPolicy } from './sla';

export interface CaseServiceDeps {
  sql: Sql;
  policy: SlaPolicy;
  calendar: WorkingCalendar;
  /** absent: no jobs are enqueued (the sweep picks the timers up) */
  queue?: JobQueue;
  log?: { warn(obj: object, msg: string): void };
}

export class CaseNotFoundError extends Error {
  constructor(readonly caseId: number) {
    super(`no case ${caseId}`);
    this.name = 'CaseNotFoundError';
  }
}

export class VersionConflictError extends Error {
  constructor(readonly caseId: number, readonly expected: number, readonly actual: number) {
    super(`case ${caseId} changed meanwhile (version ${actual}, expected ${expected}); reload and retry`);
    this.name = 'VersionConflictError';
  }
}

/** What happened in a transaction and must be scheduled once it has committed. */
export interface AfterCommit {
  timers: TimerRow[];
  outboxIds: number[];
}

export interface ActOptions {
  actor: Actor;
  at?: Date;
  /** the version the caller saw; a different current version is a conflict */
  expectedVersion?: number;
  /** resolved? asked at 回访 beside the rating (解决率) */
  resolved?: boolean | null;
}

export interface ActResult extends AfterCommit {
  caseId: number;
  state: CaseState;
  version: number;
  events: CaseEvent[];
}

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

function classificationOf(row: Pick<CaseRow, 'urgency' | 'requestType'>): CaseClassification {
  const types = ['咨询', '求助', '投诉', '举报', '建议', '感谢'] as const;
  return { urgency: row.urgency, requestType: types.find((t) => t === row.requestType) ?? '求助', subtopic: null };
}

const NEW_CLOCK = new Set(['dispatched', 'designated', 'overridden', 'reopened']);

export function columnsOf(s: CaseState, prev: Pick<CaseRow, 'overdue' | 'escalatedAt' | 'needsReview' | 'resolved'>, at: Date, events: CaseEvent[], resolved?: boolean | null): CaseStateColumns {
  const newClock = events.some((e) => NEW_CLOCK.has(e.type));
  const staffDecided = events.some((e) => NEW_CLOCK.has(e.type) && e.actor.role !== 'system');
  const due = s.deadlines?.resolution.due ?? null;
  // a restarted clock or a deadline moved past `at` (extension, pause) lifts the overdue mark
  const overdue = !newClock && prev.overdue && (due === null || due.getTime() <= at.getTime() || s.status === 'replied' || s.status === 'closed' || s.status === 'rated');
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
    closedAt: s.closedAt,
    ratedAt: s.ratedAt,
    rating: s.rating,
    resolved: rated ? (resolved ?? null) : s.rating === null ? null : prev.resolved,
    pausedAt: s.pausedSince,
    mergedInto: s.mergedInto ? Number(s.mergedInto) : null,
    awaitingDesignation: s.awaitingDesignation,
    reopenCount: s.reopenCount,
    overdue,
    escalatedAt: newClock ? null : prev.escalatedAt,
    // a case nobody can move on without staff (returned, awaiting designation) is flagged for review
    needsReview: s.status === 'returned' || (s.status === 'received' && !s.ownerDepartmentId) ? true : staffDecided ? false : prev.needsReview,
  };
}

export function eventInput(e: CaseEvent, extra: Record<string, unknown> = {}): CaseEventInput {
  return { type: e.type, fromStatus: e.fromStatus, toStatus: e.toStatus, actorKind: e.actor.role, actorId: e.actor.id, at: e.at, data: { ...e.data, ...extra } };
}

async function persist(
  tx: Db,
  deps: CaseServiceDeps,
  row: CaseRow,
  state: CaseState,
  events: CaseEventInput[],
  lifecycleEvents: CaseEvent[],
  at: Date,
  resolved?: boolean | null,
): Promise<{ version: number; timers: TimerRow[] }> {
  const version = await writeCaseState(tx, row.id, row.version, columnsOf(state, row, at, lifecycleEvents, resolved), state);
  if (version === null) throw new VersionConflictError(row.id, row.version, -1);
  await appendCaseEvents(tx, row.id, events);
  const timers = await syncCaseTimers(tx, row.id, desiredTimers(state, deps.policy, deps.calendar));
  return { version, timers };
}

/** Loads, catches the clock up to `at`, transitions, persists. Call inside sql.begin. */
export async function transitionInTx(tx: Db, deps: CaseServiceDeps, caseId: number, action: CaseAction, opts: ActOptions): Promise<ActResult> {
  const at = opts.at ?? new Date();
  // timers that fell due before this action are recorded first, so history reads in order
  await fireDueTimersInTx(tx, deps, caseId, at);
  const loaded = await getCaseWithLifecycleForUpdate(tx, caseId);
  if (!loaded) throw new CaseNotFoundError(caseId);
  const { row } = loaded;
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== row.version) throw new VersionConflictError(caseId, opts.expectedVersion, row.version);
  const before = stateOf(row, loaded.lifecycle, deps);
  const ctx = { actor: opts.actor, at, policy: deps.policy, calendar: deps.calendar };
  let { state, events } = applyTransition(before, action, ctx);
  const outboxIds: number[] = [];
  if (action.type === 'reply') outboxIds.push(...(await queueReplyToResidents(tx, row, state.reply!.text, at)));
  // 不满意 reopens the case (重办) unless the policy's limit is reached; then it stays for the centre
  if (action.type === 'rate' && action.rating === '不满意') {
    try {
      const reopened = applyTransition(state, { type: 'reopen', reason: '回访不满意，重新办理' }, { ...ctx, actor: { role: 'system', id: 'callback' } });
      state = reopened.state;
      events = [...events, ...reopened.events];
    } catch (err) {
      if (!(err instanceof IllegalTransitionError)) throw err;
    }
  }
  // the 回访 answer to 'resolved?' lives with the rating, so 解决率 survives a reopen
  const inputs = events.map((e) => eventInput(e, e.type === 'rated' ? { resolved: opts.resolved ?? null } : {}));
  const { version, timers } = await persist(tx, deps, row, state, inputs, events, at, opts.resolved);
  return { caseId, state, version, events, timers, outboxIds };
}

/** One action on one case, in its own transaction; timers and outbox jobs are scheduled after commit. */
export async function actOnCase(deps: CaseServiceDeps, caseId: number, action: CaseAction, opts: ActOptions): Promise<ActResult> {
  const result = await deps.sql.begin((tx) => transitionInTx(tx, deps, caseId, action, opts));
  await afterCommit(deps, result);
  return result;
}

/** Enqueues the delayed timer jobs and the outbox sends. A failure here loses nothing: the sweeps rebuild both from the database. */
export async function afterCommit(deps: CaseServiceDeps, work: AfterCommit): Promise<void> {
  if (!deps.queue) return;
  const now = Date.now();
  try {
    for (const t of work.timers) {
      await deps.queue.enqueue(
        'sla-timer',
        { caseId: t.caseId, kind: t.kind, deadline: t.deadline, at: t.dueAt.toISOString() },
        { delayMs: Math.max(0, t.fireAt.getTime() - now) },
      );
    }
    for (const outboxId of work.outboxIds) await deps.queue.enqueue('send-outbox', { outboxId });
  } catch (err) {
    deps.log?.warn({ err }, 'could not enqueue after commit; the sweeps will');
  }
}

// ---- opening a case (受理 → 派单) ----

export interface OpenCaseInput {
  fields: Omit<NewCase, 'status' | 'acceptDueAt' | 'responseDueAt' | 'resolveDueAt' | 'dispatchedAt' | 'createdAt'>;
  classification: CaseClassification;
  route: { department: string; ruleId: string; reason: string; confidence: number } | null;
  receivedAt: Date;
  dispatchAt: Date;
  /** recorded between 受理 and 派单 (e.g. the NLP reading) */
  analysedEvent?: Record<string, unknown>;
  receivedData?: Record<string, unknown>;
}

export interface OpenCaseOutcome extends AfterCommit {
  row: CaseRow;
  state: CaseState;
  deadlineProblem: string | null;
}

/** Inserts the case, creates its lifecycle and dispatches it by the routing result. Call inside sql.begin. */
export async function openCaseInTx(tx: Db, deps: CaseServiceDeps, input: OpenCaseInput): Promise<OpenCaseOutcome> {
  const row = await insertCase(tx, {
    ...input.fields, status: 'received', acceptDueAt: null, responseDueAt: null, resolveDueAt: null, dispatchedAt: null, createdAt: input.receivedAt,
  });
  const created = createCase({ id: String(row.id), receivedAt: input.receivedAt, classification: input.classification });
  let state = created.state;
  const events: CaseEventInput[] = created.events.map((e) => eventInput(e, input.receivedData ?? {}));
  if (input.analysedEvent) {
    events.push({ type: 'analysed', fromStatus: 'received', toStatus: 'received', actorKind: 'system', at: input.dispatchAt, data: input.analysedEvent });
  }
  let lifecycleEvents: CaseEvent[] = created.events;
  let deadlineProblem: string | null = null;
  if (input.route) {
    try {
      // fails before any write when the holiday calendar lacks the year: never guess a deadline
      computeDeadlines(deps.policy, deps.calendar, input.classification, input.receivedAt);
      const r = applyTransition(state, { type: 'dispatch', departmentId: input.route.department }, {
        actor: { role: 'system', id: 'router' }, at: input.dispatchAt, policy: deps.policy, calendar: deps.calendar,
      });
      state = r.state;
      lifecycleEvents = r.events;
      const d = state.deadlines!;
      events.push(...r.events.map((e) => eventInput(e, {
        department: input.route!.department, ruleId: input.route!.ruleId, reason: input.route!.reason, confidence: input.route!.confidence,
        deadlines: Object.fromEntries(Object.entries(d).map(([k, x]) => [k, { due: x.due, unit: x.unit, amount: x.amount, basis: x.basis }])),
      })));
    } catch (err) {
      if (!(err instanceof Error) || err.name !== 'CalendarYearMissingError') throw err;
      deadlineProblem = err.message;
      events.push({ type: 'dispatch-held', fromStatus: 'received', toStatus: 'received', actorKind: 'system', at: input.dispatchAt, data: { department: input.route.department, deadlineProblem } });
    }
  }
  const needsReview = input.fields.needsReview || deadlineProblem !== null || !input.route;
  const { version, timers } = await persist(tx, deps, { ...row, needsReview }, state, events, lifecycleEvents, input.dispatchAt);
  return { row: { ...row, version }, state, deadlineProblem, timers, outboxIds: [] };
}

// ---- the clock: firing timers ----

/** Fires one timer if it is still pending and still describes a live deadline; returns whether it fired. */
export async function fireTimerInTx(tx: Db, deps: CaseServiceDeps, timerId: number, now: Date): Promise<boolean> {
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
  if (t.kind === 'escalate') Object.assign(data, { supervisor: dept?.leaderTitle ?? null, departmentName: dept?.name ?? null });
  // recorded at the moment it fell due, even when a sweep fires it late
  await appendCaseEvents(tx, t.caseId, [{ type: TIMER_EVENT[t.kind], fromStatus: state.status, toStatus: state.status, actorKind: 'system', actorId: 'sla', at: t.fireAt, data }]);
  if (t.kind === 'overdue' && t.deadline === 'resolve') await tx`UPDATE cases SET overdue = true, updated_at = now() WHERE id = ${t.caseId}`;
  if (t.kind === 'escalate') await tx`UPDATE cases SET escalated_at = coalesce(escalated_at, ${t.fireAt}), updated_at = now() WHERE id = ${t.caseId}`;
  await markTimer(tx, t.id, 'fired', now);
  return true;
}

/** Fires, in order, every pending timer due by `until` (of one case, or all). */
export async function fireDueTimersInTx(tx: Db, deps: CaseServiceDeps, caseId: number | undefined, until: Date): Promise<number> {
  let fired = 0;
  for (const t of await listDueTimers(tx, until, { caseId })) if (await fireTimerInTx(tx, deps, t.id, until)) fired++;
  return fired;
}

// ---- staff merge (合并) of one open case into another ----

/** Merges `sourceId` into `targetId`: the source's messages (and their residents) move to the target. */
export async function mergeCases(deps: CaseServiceDeps, sourceId: number, targetId: number, opts: ActOptions & { reason?: string }): Promise<ActResult> {
  const at = opts.at ?? new Date();
  const result = await deps.sql.begin(async (tx) => {
    // lock in id order so two opposite merges cannot deadlock
    const locked = await tx<{ id: number; status: string }[]>`
      SELECT id, status FROM cases WHERE id IN (${sourceId}, ${targetId}) ORDER BY id FOR UPDATE`;
    const target = locked.find((r) => r.id === targetId);
    if (!target) throw new CaseNotFoundError(targetId);
    if (!['received', 'dispatched', 'accepted', 'waiting', 'returned'].includes(target.status)) {
      throw new IllegalTransitionError('NOT_ALLOWED_IN_STATUS', 'merge', target.status as CaseState['status'], { target: targetId, reason: 'the target case is not open' });
    }
    const r = await transitionInTx(tx, deps, sourceId, { type: 'merge', intoCaseId: String(targetId) }, { ...opts, at });
    const moved = await tx<{ id: number }[]>`UPDATE messages SET case_id = ${targetId} WHERE case_id = ${sourceId} RETURNING id`;
    await appendCaseEvents(tx, targetId, [{
      type: 'merged', fromStatus: target.status, toStatus: target.status, actorKind: opts.actor.role, actorId: opts.actor.id, at,
      data: { fromCaseId: sourceId, messageIds: moved.map((m) => m.id), reason: opts.reason ?? null, confidence: 1 },
    }]);
    return r;
  });
  await afterCommit(deps, result);
  return result;
}
