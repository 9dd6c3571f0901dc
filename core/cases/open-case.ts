// Opening a case (受理 → 派单): insert the row, create its lifecycle and dispatch it by the routing
// result, with its legal clock started at receipt. Runs inside the caller's transaction.
import { appendCaseEvents, getCaseWithLifecycleForUpdate, insertOpenedCase, listClocklessAwaitingCases, nextCaseId, type CaseEventInput, type CaseRow, type NewCase } from '../db/cases';
import { syncCaseTimers } from '../db/sla-timers';
import { desiredTimers } from './case-timers';
import { afterCommit } from './after-commit';
import type { Db } from '../db/connect';
import { CalendarYearMissingError } from './calendar';
import { columnsOf, eventInput, persistCaseState, stateOf } from './case-state';
import type { AfterCommit, CaseServiceDeps } from './deps';
import { applyTransition, awaitDispatch, createCase, type CaseEvent, type CaseState } from './lifecycle';
import { caseSearchText, searchLexemes } from './search';
import type { CaseClassification } from './sla';

export interface OpenCaseInput {
  fields: Omit<NewCase, 'status' | 'acceptDueAt' | 'responseDueAt' | 'resolveDueAt' | 'dispatchedAt' | 'createdAt'>;
  classification: CaseClassification;
  route: { department: string; ruleId: string; reason: string; confidence: number } | null;
  /** no route: why, and the departments the centre may consider (recorded as an 'awaiting-dispatch' event for 待派单) */
  awaiting?: { reason: string; suggestions: { department: string; ruleId: string; reason: string; confidence: number }[] };
  receivedAt: Date;
  dispatchAt: Date;
  /** recorded between 受理 and 派单 (e.g. the NLP reading) */
  analysedEvent?: Record<string, unknown>;
  receivedData?: Record<string, unknown>;
}

export interface OpenCaseOutcome extends AfterCommit {
  row: CaseRow;
  state: CaseState;
  /** set only when the receipt year has no calendar at all (outside 2025–2100): the case was not dispatched */
  deadlineProblem: string | null;
}

export interface OpenCaseWrites {
  /** the id the case gets (drawn with the message lock by the pipeline); absent: one is drawn here */
  caseId?: number;
  /** the caller's own writes for the new case, sent in the same round trip right after the case's (PIPELINING, core/db/cases.ts) */
  alongside?: (opened: { id: number; createdAt: Date }) => Promise<unknown>[];
}

/**
 * Creates the case's lifecycle, dispatches it by the routing result and writes it all in one round
 * trip: the row as it stands after opening (one INSERT), its events with the rollup, its timers, and
 * the caller's `alongside` writes. Call inside sql.begin.
 */
export async function openCaseInTx(tx: Db, deps: CaseServiceDeps, input: OpenCaseInput, writes: OpenCaseWrites = {}): Promise<OpenCaseOutcome> {
  const id = writes.caseId ?? (await nextCaseId(tx));
  const created = createCase({ id: String(id), receivedAt: input.receivedAt, classification: input.classification });
  let state = created.state;
  const events: CaseEventInput[] = created.events.map((e) => eventInput(e, input.receivedData ?? {}));
  if (input.analysedEvent) {
    events.push({ type: 'analysed', fromStatus: 'received', toStatus: 'received', actorKind: 'system', at: input.dispatchAt, data: input.analysedEvent });
  }
  let lifecycleEvents: CaseEvent[] = created.events;
  let deadlineProblem: string | null = null;
  if (input.route) {
    try {
      // the calendar never lacks a year from 2025 to 2100: a provisional one stands in until the
      // State Council's file arrives, and the deadlines say so (provisionalYears)
      const r = applyTransition(state, { type: 'dispatch', departmentId: input.route.department }, {
        actor: { role: 'system', id: 'router' }, at: input.dispatchAt, policy: deps.policy, calendar: deps.calendar,
      });
      state = r.state;
      lifecycleEvents = r.events;
      const d = state.deadlines!;
      events.push(...r.events.map((e) => eventInput(e, {
        department: input.route!.department, ruleId: input.route!.ruleId, reason: input.route!.reason, confidence: input.route!.confidence,
        deadlines: Object.fromEntries(Object.entries(d).map(([k, x]) => [k, {
          due: x.due, unit: x.unit, amount: x.amount, basis: x.basis, ...(x.provisionalYears ? { provisionalYears: x.provisionalYears } : {}),
        }])),
      })));
    } catch (err) {
      // a safety for receipt times outside 2025–2100 only (an import of old messages dated 2024):
      // no rule counts that year's holidays, so the case waits in 待派单 for the centre
      if (!(err instanceof CalendarYearMissingError)) throw err;
      deadlineProblem = err.message;
      events.push({ type: 'not-dispatched', fromStatus: 'received', toStatus: 'received', actorKind: 'system', at: input.dispatchAt, data: { department: input.route.department, deadlineProblem } });
    }
  }
  if (!input.route) {
    // 待派单: the legal clock runs from receipt while the case waits for the centre, with a 派单
    // deadline of the centre's own (its 催办/超期/督办 remind the centre)
    state = awaitDispatch(state, deps);
    const d = state.deadlines!;
    const due = { dispatchDue: state.dispatchDeadline!.due, resolutionDue: d.resolution.due, ...(d.resolution.provisionalYears ? { provisionalYears: d.resolution.provisionalYears } : {}) };
    events.push({ type: 'awaiting-dispatch', fromStatus: 'received', toStatus: 'received', actorKind: 'system', actorId: 'router', at: input.dispatchAt, data: { ...input.awaiting, ...due } });
  }
  const needsReview = input.fields.needsReview || deadlineProblem !== null || !input.route;
  // the row before opening, as the column defaults have it: what the state's columns are worked out from
  const fresh = { overdue: false, escalatedAt: null, needsReview, resolved: null };
  const opened = { ...input.fields, ...columnsOf(state, fresh, input.dispatchAt, lifecycleEvents), createdAt: input.receivedAt };
  const [[row], , timers] = await Promise.all([
    // indexed for the staff list's full-text search as it opens
    insertOpenedCase(tx, { ...opened, id, lifecycle: state, version: 1, searchLexemes: searchLexemes(caseSearchText(opened)) }),
    appendCaseEvents(tx, id, events),
    syncCaseTimers(tx, id, desiredTimers(state, deps.policy, deps.calendar)),
    ...(writes.alongside?.({ id, createdAt: input.receivedAt }) ?? []),
  ]);
  return { row, state, deadlineProblem, timers, outboxIds: [] };
}

/**
 * Starts the clock of cases that waited in 待派单 before it had one (opened before the 派单 deadline
 * existed): their deadlines from receipt and the 派单 deadline, with a 'dispatch-clock-started' event;
 * timers already due fire on the next sweep, recorded at their due times. Returns how many started.
 */
export async function startClocklessAwaitingCases(deps: CaseServiceDeps, at: Date): Promise<number> {
  let started = 0;
  for (const id of await listClocklessAwaitingCases(deps.sql)) {
    const r = await deps.sql.begin(async (tx) => {
      const loaded = await getCaseWithLifecycleForUpdate(tx, id);
      if (!loaded) return null;
      const before = stateOf(loaded.row, loaded.lifecycle, deps);
      if (before.status !== 'received' || before.ownerDepartmentId || before.deadlines) return null;
      const state = { ...awaitDispatch(before, deps), lastEventAt: new Date(Math.max(at.getTime(), before.lastEventAt.getTime())) };
      const event: CaseEventInput = {
        type: 'dispatch-clock-started', fromStatus: 'received', toStatus: 'received', actorKind: 'system', actorId: 'sla', at: state.lastEventAt,
        data: { dispatchDue: state.dispatchDeadline!.due, resolutionDue: state.deadlines!.resolution.due },
      };
      const { timers } = await persistCaseState(tx, deps, loaded.row, state, [event], [], state.lastEventAt);
      return { timers, outboxIds: [] };
    });
    if (r) {
      await afterCommit(deps, r);
      started++;
    }
  }
  return started;
}
