// What the case use cases (open, act, fire timers, merge) take and give back, and their errors.
import type { Sql } from '../db/connect';
import type { TimerRow } from '../db/sla-timers';
import type { JobQueue } from '../queue/contract';
import type { WorkingCalendar } from './calendar';
import type { Actor, CaseEvent, CaseState } from './lifecycle';
import type { ReviewPolicy } from './review-policy';
import type { SlaPolicy } from './sla';

export interface CaseServiceDeps {
  sql: Sql;
  policy: SlaPolicy;
  calendar: WorkingCalendar;
  /** absent: no jobs are enqueued (the sweep picks the timers up) */
  queue?: JobQueue;
  log?: { warn(obj: object, msg: string): void };
  /** 答复审核 policy; absent: the shipped lexicons/review-policy.json */
  review?: ReviewPolicy;
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
