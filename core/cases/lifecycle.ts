// The case (工单) state machine: an explicit transition table, pure. applyTransition never mutates
// its input; it returns the next state and the event records to append, or throws IllegalTransitionError.
import { z } from 'zod';
import { departmentIdField, noteField, reasonField, replyTextField, workingDaysField } from './action-fields';
import type { WorkingCalendar } from './calendar';
import {
  applyPauses,
  caseClassificationSchema,
  computeDeadlines,
  computeDispatchDeadline,
  deadlinesSchema,
  dispatchDeadlineSchema,
  extendDeadline,
  returnWindowEnd,
  type CaseClassification,
  type Deadlines,
  type DispatchDeadline,
  type Pause,
  type SlaPolicy,
} from './sla';
import { CASE_STATUSES, OPEN_STATUSES } from './statuses';

export { CASE_STATUSES, OPEN_STATUSES } from './statuses';
export const caseStatusSchema = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof caseStatusSchema>;

/** Statuses in which exactly one department owns the case. */
export const OWNED_STATUSES: readonly CaseStatus[] = ['dispatched', 'accepted', 'waiting', 'replied', 'closed', 'rated'];

export const RATINGS = ['满意', '基本满意', '不满意'] as const;
export const ratingSchema = z.enum(RATINGS);
export type Rating = z.infer<typeof ratingSchema>;

/** staff = 12345 operators; centre = the coordination centre (协调中心), which may do all staff may and more. */
export const actorSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('staff'), id: z.string().min(1) }),
  z.object({ role: z.literal('centre'), id: z.string().min(1) }),
  z.object({ role: z.literal('department'), id: z.string().min(1), departmentId: z.string().min(1) }),
  z.object({ role: z.literal('resident'), id: z.string().min(1) }),
  z.object({ role: z.literal('system'), id: z.string().min(1) }),
  /** 督办领导: no transition lists this role; leaders give 批示 (case-work.ts) */
  z.object({ role: z.literal('leader'), id: z.string().min(1) }),
]);
export type Actor = z.infer<typeof actorSchema>;
export type Role = Actor['role'];

const reason = reasonField();
const departmentId = departmentIdField;

export const caseActionSchema = z.discriminatedUnion('type', [
  /** 派单 by staff or the router */
  z.object({ type: z.literal('dispatch'), departmentId }),
  /** the centre designates the handler (指定承办); a designated case can no longer be returned */
  z.object({ type: z.literal('designate'), departmentId, reason: reason.optional() }),
  /** staff move a dispatched case to another department (改派) */
  z.object({ type: z.literal('override'), departmentId, reason }),
  /** 签收 */
  z.object({ type: z.literal('accept') }),
  /** 退单 */
  z.object({ type: z.literal('return'), reason }),
  /** first contact with the resident (counts as the first response) */
  z.object({ type: z.literal('contact'), note: noteField.optional() }),
  /** waiting on the resident: the clock stops */
  z.object({ type: z.literal('pause'), reason }),
  z.object({ type: z.literal('resume'), note: noteField.optional() }),
  /** 延期申请 */
  z.object({ type: z.literal('requestExtension'), workingDays: workingDaysField, reason }),
  /** the centre may approve fewer days than asked */
  z.object({ type: z.literal('approveExtension'), workingDays: workingDaysField.optional() }),
  z.object({ type: z.literal('refuseExtension'), reason }),
  /** 答复 */
  z.object({ type: z.literal('reply'), text: replyTextField }),
  /** the centre sends an inadequate reply back (审核退回): only a reply still waiting for review, since a sent one cannot be recalled */
  z.object({ type: z.literal('rejectReply'), reason }),
  /** the centre approves a reply that waits for review (审核通过): only now does it go to the resident */
  z.object({ type: z.literal('approveReply') }),
  /** 办结 */
  z.object({ type: z.literal('close') }),
  /** 回访 */
  z.object({ type: z.literal('rate'), rating: ratingSchema, comment: z.string().max(2000).optional() }),
  /** 重办 after 不满意 */
  z.object({ type: z.literal('reopen'), departmentId: departmentId.optional(), reason: reason.optional() }),
  /** 合并 into another case */
  z.object({ type: z.literal('merge'), intoCaseId: z.string().min(1) }),
]);
export type CaseAction = z.infer<typeof caseActionSchema>;
export type CaseActionType = CaseAction['type'];

export interface PendingExtension {
  workingDays: number;
  reason: string;
  requestedAt: Date;
  departmentId: string;
}

export interface CaseState {
  id: string;
  status: CaseStatus;
  classification: CaseClassification;
  receivedAt: Date;
  /** exactly one in OWNED_STATUSES, none while received or returned */
  ownerDepartmentId: string | null;
  /** when the current department got the case (dispatch, re-dispatch, designation, override, reopen); the return window runs from here */
  dispatchedAt: Date | null;
  /** when the deadlines' clock started: receipt for the first dispatch (policy.clock.firstDispatchFrom), the action time after that */
  clockStartedAt: Date | null;
  dispatchCount: number;
  acceptedAt: Date | null;
  /** first substantive response of the case: contact, pause to ask the resident, or reply */
  firstResponseAt: Date | null;
  deadlines: Deadlines | null;
  /**
   * 派单: set when the case waits in 待派单 (no rule routed it) with its deadlines counted from receipt
   * (awaitDispatch); live while it is received, kept afterwards for the record (the dispatch says if it was late)
   */
  dispatchDeadline: DispatchDeadline | null;
  pausedSince: Date | null;
  /** finished pauses of the current dispatch */
  pauses: Pause[];
  /** working days granted by extensions to the current dispatch (at most policy.extensions.maxTotalWorkingDays) */
  extensionGrantedWorkingDays: number;
  pendingExtension: PendingExtension | null;
  returnCount: number;
  returnedBy: string[];
  /** after the last allowed return only the centre may dispatch (designate) */
  awaitingDesignation: boolean;
  designated: boolean;
  /**
   * at: when the department replied. pendingReview: the review policy (review-policy.ts) holds it for
   * the centre; it has not been sent, and the resolution deadline keeps running. sentAt: when it
   * reached the resident (at once, or on 审核通过); 按时办结 is judged by it (absent in states stored
   * before it existed: an unheld reply was sent when made).
   */
  reply: { text: string; at: Date; departmentId: string; pendingReview: boolean; sentAt?: Date } | null;
  closedAt: Date | null;
  rating: Rating | null;
  ratedAt: Date | null;
  reopenCount: number;
  mergedInto: string | null;
  lastEventAt: Date;
}

/** For reading a stored case state back (e.g. from JSONB, where dates are ISO text). */
export const caseStateSchema = z.object({
  id: z.string().min(1),
  status: caseStatusSchema,
  classification: caseClassificationSchema,
  receivedAt: z.coerce.date(),
  ownerDepartmentId: z.string().nullable(),
  dispatchedAt: z.coerce.date().nullable(),
  clockStartedAt: z.coerce.date().nullable(),
  dispatchCount: z.number().int().nonnegative(),
  acceptedAt: z.coerce.date().nullable(),
  firstResponseAt: z.coerce.date().nullable(),
  deadlines: deadlinesSchema.nullable(),
  dispatchDeadline: dispatchDeadlineSchema.nullable().default(null),
  pausedSince: z.coerce.date().nullable(),
  pauses: z.array(z.object({ from: z.coerce.date(), to: z.coerce.date() })),
  extensionGrantedWorkingDays: z.number().int().nonnegative(),
  pendingExtension: z
    .object({ workingDays: z.number().int().positive(), reason: z.string(), requestedAt: z.coerce.date(), departmentId: z.string() })
    .nullable(),
  returnCount: z.number().int().nonnegative(),
  returnedBy: z.array(z.string()),
  awaitingDesignation: z.boolean(),
  designated: z.boolean(),
  reply: z
    .object({ text: z.string(), at: z.coerce.date(), departmentId: z.string(), pendingReview: z.boolean().default(false), sentAt: z.coerce.date().optional() })
    .nullable(),
  closedAt: z.coerce.date().nullable(),
  rating: ratingSchema.nullable(),
  ratedAt: z.coerce.date().nullable(),
  reopenCount: z.number().int().nonnegative(),
  mergedInto: z.string().nullable(),
  lastEventAt: z.coerce.date(),
});
// the schema and the interface must describe the same shape
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _stateSchemaMatches: Same<z.infer<typeof caseStateSchema>, CaseState> = true;
void _stateSchemaMatches;

export type CaseEventType =
  | 'received'
  | 'dispatched'
  | 'designated'
  | 'overridden'
  | 'accepted'
  | 'returned'
  | 'contacted'
  | 'paused'
  | 'resumed'
  | 'extension-requested'
  | 'extension-approved'
  | 'extension-refused'
  | 'replied'
  | 'reply-rejected'
  | 'reply-approved'
  | 'closed'
  | 'rated'
  | 'reopened'
  | 'merged'
  /** the official holiday file of a provisional year arrived: the deadlines counted on it were counted again (recompute-deadlines.ts) */
  | 'deadlines-recomputed';

export interface CaseEvent {
  type: CaseEventType;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus;
  actor: Actor;
  at: Date;
  data: Record<string, unknown>;
}

export interface TransitionContext {
  actor: Actor;
  at: Date;
  policy: SlaPolicy;
  calendar: WorkingCalendar;
  /** a reply made now waits for the centre's review (the review policy's answer for this case) */
  replyNeedsReview?: boolean;
}

export interface TransitionResult {
  state: CaseState;
  events: CaseEvent[];
}

// ---- errors ----

const MESSAGES = {
  INVALID_ACTION: ['操作参数无效', 'the action is malformed'],
  INVALID_ACTOR: ['操作人无效', 'the actor is malformed'],
  TIME_WENT_BACKWARDS: ['操作时间早于工单最近一次记录', 'the action is dated before the case’s last event'],
  NOT_ALLOWED_IN_STATUS: ['当前状态下不能执行此操作', 'this action is not allowed in the case’s current status'],
  ROLE_NOT_ALLOWED: ['无权执行此操作', 'this role may not perform this action'],
  NOT_OWNER: ['只有承办单位可以执行此操作', 'only the owning department may do this'],
  SAME_DEPARTMENT: ['不能派给当前承办单位', 'the case is already with this department'],
  DEPARTMENT_ALREADY_RETURNED: ['该单位已退回此工单，需由协调中心决定', 'this department returned the case; only the coordination centre may send it back there'],
  NEEDS_DESIGNATION: ['已退单3次，须由协调中心指定承办单位', 'after the last allowed return the coordination centre must designate the handler'],
  CASE_DESIGNATED: ['协调中心指定承办的工单不能退单', 'a case designated by the coordination centre cannot be returned'],
  RETURN_WINDOW_CLOSED: ['已超过退单时限（派单后1个工作日）', 'the return window (1 working day after dispatch) has closed'],
  RETURN_LIMIT_REACHED: ['退单次数已达上限', 'the case has been returned the maximum number of times'],
  EXTENSION_PENDING: ['已有待审批的延期申请', 'an extension request is already pending'],
  NO_PENDING_EXTENSION: ['没有待审批的延期申请', 'there is no pending extension request'],
  EXTENSION_TOO_LATE: ['办结时限已过，不能申请延期', 'extensions must be requested before the resolution deadline'],
  EXTENSION_LIMIT: ['延期累计不能超过上限', 'extensions would exceed the total allowed'],
  EXTENSION_MORE_THAN_REQUESTED: ['批准天数不能超过申请天数', 'cannot approve more days than requested'],
  NO_REPLY: ['尚未答复，不能办结', 'a case cannot be closed without a reply'],
  NOT_UNSATISFIED: ['只有回访不满意的工单可以重办', 'only a case rated 不满意 (unsatisfied) can be reopened'],
  REOPEN_LIMIT: ['重办次数已达上限', 'the case has been reopened the maximum number of times'],
  MERGE_INTO_SELF: ['不能合并到自身', 'a case cannot be merged into itself'],
  REPLY_ALREADY_SENT: ['答复已发给诉求人，不能驳回', 'the reply has been sent to the resident and cannot be recalled'],
  REPLY_NOT_PENDING: ['没有待审核的答复', 'there is no reply waiting for review'],
  REPLY_PENDING_REVIEW: ['答复尚待审核，不能办结', 'the reply is waiting for review'],
} as const satisfies Record<string, readonly [string, string]>;
export type IllegalTransitionCode = keyof typeof MESSAGES;

export class IllegalTransitionError extends Error {
  readonly messageZh: string;
  readonly messageEn: string;
  constructor(
    readonly code: IllegalTransitionCode,
    readonly action: string,
    readonly status: CaseStatus,
    readonly details: Record<string, unknown> = {},
  ) {
    const [zh, en] = MESSAGES[code];
    super(`${zh} / ${en} (${code}: ${action} in ${status})`);
    this.name = 'IllegalTransitionError';
    this.messageZh = zh;
    this.messageEn = en;
  }
}

// ---- the transition table ----

type Patch = Partial<CaseState>;
type Fail = (code: IllegalTransitionCode, details?: Record<string, unknown>) => never;
interface Step {
  to: CaseStatus;
  event: CaseEventType;
  patch: Patch;
  data?: Record<string, unknown>;
}
interface Rule<A extends CaseAction> {
  from: readonly CaseStatus[];
  /** who may do it: the one declaration of permissions (staff accounts act through core/auth/permissions' mapping) */
  roles: readonly Role[];
  /** owning department only (when the actor is a department) */
  ownerOnly?: boolean;
  /** what the state must allow before any input is known (so the actions a user may take now can be listed) */
  guard?(s: CaseState, ctx: TransitionContext, fail: Fail): void;
  run(s: CaseState, a: A, ctx: TransitionContext, fail: Fail): Step;
}
type Table = { [T in CaseActionType]: Rule<Extract<CaseAction, { type: T }>> };

const STAFF: readonly Role[] = ['staff', 'centre'];
const ACTIVE: readonly CaseStatus[] = ['dispatched', 'accepted', 'waiting'];

/** Fields reset whenever a department's clock starts (dispatch, designation, override, reopen). */
function startClock(s: CaseState, department: string, ctx: TransitionContext): Patch {
  // a backlog before the first dispatch must not lengthen the resident's wait
  const clock = s.status === 'received' && ctx.policy.clock.firstDispatchFrom === 'receipt' ? s.receivedAt : ctx.at;
  return {
    ownerDepartmentId: department,
    dispatchedAt: ctx.at,
    clockStartedAt: clock,
    dispatchCount: s.dispatchCount + 1,
    acceptedAt: null,
    deadlines: computeDeadlines(ctx.policy, ctx.calendar, s.classification, clock),
    pausedSince: null,
    pauses: [],
    extensionGrantedWorkingDays: 0,
    pendingExtension: null,
    // the centre's 派单 clock ends when a department has the case
    dispatchDeadline: null,
  };
}

/** Whether a case that waited in 待派单 was dispatched after its 派单 deadline (only on leaving 待派单). */
function dispatchLate(s: CaseState, at: Date): { dispatchLate?: boolean } {
  return (s.status === 'received' || s.status === 'returned') && s.dispatchDeadline ? { dispatchLate: at.getTime() > s.dispatchDeadline.due.getTime() } : {};
}

/**
 * 待派单: a received case no rule routed waits for the centre, and the resident's legal clock runs from
 * receipt all the same. It gets the deadlines a dispatch from receipt gives (so 超期 and the 三率 count
 * it while it waits) and a 派单 deadline of its own (the policy's dispatch time, capped at acceptance),
 * whose 催办/超期/督办 go to the centre. A later dispatch counts its deadlines from receipt too
 * (policy.clock.firstDispatchFrom). Pure; throws CalendarYearMissingError as computeDeadlines does.
 */
export function awaitDispatch(s: CaseState, ctx: Pick<TransitionContext, 'policy' | 'calendar'>): CaseState {
  if (s.status !== 'received' || s.ownerDepartmentId) throw new Error(`case ${s.id}: only a received case without a department waits for dispatch`);
  const deadlines = computeDeadlines(ctx.policy, ctx.calendar, s.classification, s.receivedAt);
  return { ...s, deadlines, dispatchDeadline: computeDispatchDeadline(ctx.policy, ctx.calendar, s.classification, deadlines) };
}

function checkTarget(s: CaseState, dept: string, ctx: TransitionContext, fail: Fail): void {
  if (dept === s.ownerDepartmentId) fail('SAME_DEPARTMENT', { departmentId: dept });
  if (s.returnedBy.includes(dept) && ctx.actor.role !== 'centre') fail('DEPARTMENT_ALREADY_RETURNED', { departmentId: dept });
}

export const TRANSITIONS: Table = {
  dispatch: {
    from: ['received', 'returned'],
    roles: ['staff', 'centre', 'system'],
    guard(s, _ctx, fail) {
      if (s.awaitingDesignation) fail('NEEDS_DESIGNATION', { returnCount: s.returnCount });
    },
    run(s, a, ctx, fail) {
      checkTarget(s, a.departmentId, ctx, fail);
      return { to: 'dispatched', event: 'dispatched', patch: startClock(s, a.departmentId, ctx), data: { departmentId: a.departmentId, ...dispatchLate(s, ctx.at) } };
    },
  },
  designate: {
    from: ['received', 'returned'],
    roles: ['centre'],
    run(s, a, ctx) {
      return {
        to: 'dispatched',
        event: 'designated',
        patch: { ...startClock(s, a.departmentId, ctx), designated: true, awaitingDesignation: false },
        data: { departmentId: a.departmentId, reason: a.reason ?? null, returnCount: s.returnCount, ...dispatchLate(s, ctx.at) },
      };
    },
  },
  override: {
    from: ACTIVE,
    roles: STAFF,
    guard(s, ctx, fail) {
      if (s.designated && ctx.actor.role !== 'centre') fail('ROLE_NOT_ALLOWED', { designated: true });
    },
    run(s, a, ctx, fail) {
      checkTarget(s, a.departmentId, ctx, fail);
      return {
        to: 'dispatched',
        event: 'overridden',
        patch: startClock(s, a.departmentId, ctx),
        data: { fromDepartmentId: s.ownerDepartmentId, departmentId: a.departmentId, reason: a.reason },
      };
    },
  },
  accept: {
    from: ['dispatched'],
    roles: ['department'],
    ownerOnly: true,
    run(s, _a, ctx) {
      return { to: 'accepted', event: 'accepted', patch: { acceptedAt: ctx.at }, data: { late: isLate(s, 'acceptance', ctx.at) } };
    },
  },
  return: {
    from: ['dispatched', 'accepted'],
    roles: ['department'],
    ownerOnly: true,
    guard(s, ctx, fail) {
      if (s.designated) fail('CASE_DESIGNATED');
      if (s.returnCount >= ctx.policy.returns.maxReturns) fail('RETURN_LIMIT_REACHED', { returnCount: s.returnCount });
      const windowEnd = returnWindowEnd(ctx.policy, ctx.calendar, s.dispatchedAt!);
      if (ctx.at.getTime() > windowEnd.getTime()) fail('RETURN_WINDOW_CLOSED', { windowEnd });
    },
    run(s, a, ctx) {
      const returnCount = s.returnCount + 1;
      const toCentre = returnCount >= ctx.policy.returns.maxReturns;
      // back in 待派单 the centre's 派单 clock runs again, from the 退单 (sla-policy clock: a re-dispatch
      // counts from itself), never after the acceptance deadline a re-dispatch now would give
      const redispatch = computeDeadlines(ctx.policy, ctx.calendar, s.classification, ctx.at);
      const dispatchDeadline = computeDispatchDeadline(ctx.policy, ctx.calendar, s.classification, redispatch);
      return {
        to: 'returned',
        event: 'returned',
        patch: {
          ownerDepartmentId: null,
          dispatchedAt: null,
          clockStartedAt: null,
          acceptedAt: null,
          deadlines: null,
          pauses: [],
          pausedSince: null,
          extensionGrantedWorkingDays: 0,
          pendingExtension: null,
          returnCount,
          returnedBy: [...s.returnedBy, s.ownerDepartmentId!],
          awaitingDesignation: toCentre,
          dispatchDeadline,
        },
        data: { departmentId: s.ownerDepartmentId, reason: a.reason, returnCount, toCentre, dispatchDue: dispatchDeadline.due },
      };
    },
  },
  contact: {
    from: ['accepted', 'waiting'],
    roles: ['department'],
    ownerOnly: true,
    run(s, a, ctx) {
      return {
        to: s.status,
        event: 'contacted',
        patch: { firstResponseAt: s.firstResponseAt ?? ctx.at },
        data: { note: a.note ?? null, firstResponse: s.firstResponseAt === null },
      };
    },
  },
  pause: {
    from: ['accepted'],
    roles: ['department', 'staff', 'centre'],
    ownerOnly: true,
    run(s, a, ctx) {
      return { to: 'waiting', event: 'paused', patch: { pausedSince: ctx.at, firstResponseAt: s.firstResponseAt ?? ctx.at }, data: { reason: a.reason } };
    },
  },
  resume: {
    from: ['waiting'],
    roles: ['department', 'resident', 'staff', 'centre', 'system'],
    ownerOnly: true,
    run(s, a, ctx) {
      const pause: Pause = { from: s.pausedSince!, to: ctx.at };
      const d = s.deadlines!;
      const deadlines: Deadlines = {
        acceptance: d.acceptance,
        response: applyPauses(d.response, [pause], ctx.calendar),
        resolution: applyPauses(d.resolution, [pause], ctx.calendar),
      };
      return {
        to: 'accepted',
        event: 'resumed',
        patch: { pausedSince: null, pauses: [...s.pauses, pause], deadlines },
        data: { pausedFrom: pause.from, resolutionDue: deadlines.resolution.due, note: a.note ?? null },
      };
    },
  },
  requestExtension: {
    from: ['accepted', 'waiting'],
    roles: ['department'],
    ownerOnly: true,
    guard(s, ctx, fail) {
      if (s.pendingExtension) fail('EXTENSION_PENDING');
      // while paused the clock is stopped, so "before the deadline" is judged at the pause start
      const clock = s.pausedSince ?? ctx.at;
      if (clock.getTime() >= s.deadlines!.resolution.due.getTime()) fail('EXTENSION_TOO_LATE', { due: s.deadlines!.resolution.due });
    },
    run(s, a, ctx, fail) {
      const max = ctx.policy.extensions.maxTotalWorkingDays;
      if (s.extensionGrantedWorkingDays + a.workingDays > max) fail('EXTENSION_LIMIT', { granted: s.extensionGrantedWorkingDays, max });
      return {
        to: s.status,
        event: 'extension-requested',
        patch: { pendingExtension: { workingDays: a.workingDays, reason: a.reason, requestedAt: ctx.at, departmentId: s.ownerDepartmentId! } },
        data: { workingDays: a.workingDays, reason: a.reason },
      };
    },
  },
  approveExtension: {
    from: ['accepted', 'waiting'],
    roles: ['centre'],
    guard(s, _ctx, fail) {
      if (!s.pendingExtension) fail('NO_PENDING_EXTENSION');
    },
    run(s, a, ctx, fail) {
      const pending = s.pendingExtension ?? fail('NO_PENDING_EXTENSION');
      const days = a.workingDays ?? pending.workingDays;
      if (days > pending.workingDays) fail('EXTENSION_MORE_THAN_REQUESTED', { requested: pending.workingDays });
      const max = ctx.policy.extensions.maxTotalWorkingDays;
      if (s.extensionGrantedWorkingDays + days > max) fail('EXTENSION_LIMIT', { granted: s.extensionGrantedWorkingDays, max });
      const d = s.deadlines!;
      const resolution = extendDeadline(ctx.calendar, d.resolution, days);
      return {
        to: s.status,
        event: 'extension-approved',
        patch: { pendingExtension: null, extensionGrantedWorkingDays: s.extensionGrantedWorkingDays + days, deadlines: { ...d, resolution } },
        data: { workingDays: days, requested: pending.workingDays, previousDue: d.resolution.due, resolutionDue: resolution.due },
      };
    },
  },
  refuseExtension: {
    from: ['accepted', 'waiting'],
    roles: ['centre'],
    guard(s, _ctx, fail) {
      if (!s.pendingExtension) fail('NO_PENDING_EXTENSION');
    },
    run(s, a, _ctx, fail) {
      const pending = s.pendingExtension ?? fail('NO_PENDING_EXTENSION');
      return { to: s.status, event: 'extension-refused', patch: { pendingExtension: null }, data: { requested: pending.workingDays, reason: a.reason } };
    },
  },
  reply: {
    from: ['accepted'],
    roles: ['department'],
    ownerOnly: true,
    run(s, a, ctx) {
      const held = ctx.replyNeedsReview ?? false;
      return {
        to: 'replied',
        event: 'replied',
        patch: {
          reply: { text: a.text, at: ctx.at, departmentId: s.ownerDepartmentId!, pendingReview: held, ...(held ? {} : { sentAt: ctx.at }) },
          firstResponseAt: s.firstResponseAt ?? ctx.at,
          pendingExtension: null,
        },
        data: { late: isLate(s, 'resolution', ctx.at), pendingExtensionDropped: s.pendingExtension !== null, pendingReview: ctx.replyNeedsReview ?? false },
      };
    },
  },
  rejectReply: {
    from: ['replied'],
    roles: STAFF,
    guard(s, _ctx, fail) {
      if (!s.reply?.pendingReview) fail('REPLY_ALREADY_SENT');
    },
    run(s, a) {
      return { to: 'accepted', event: 'reply-rejected', patch: { reply: null }, data: { reason: a.reason, rejectedReplyAt: s.reply?.at ?? null } };
    },
  },
  approveReply: {
    from: ['replied'],
    roles: ['centre'],
    guard(s, _ctx, fail) {
      if (!s.reply?.pendingReview) fail('REPLY_NOT_PENDING');
    },
    run(s, _a, ctx) {
      const reply = s.reply!;
      // the reply reaches the resident now: 按时办结 is judged by this moment, not by the department's reply
      return {
        to: 'replied',
        event: 'reply-approved',
        patch: { reply: { ...reply, pendingReview: false, sentAt: ctx.at } },
        data: { replyAt: reply.at, departmentId: reply.departmentId, late: isLate(s, 'resolution', ctx.at) },
      };
    },
  },
  close: {
    from: ['replied'],
    roles: ['staff', 'centre', 'system'],
    guard(s, _ctx, fail) {
      if (!s.reply) fail('NO_REPLY');
      if (s.reply?.pendingReview) fail('REPLY_PENDING_REVIEW');
    },
    run(s, _a, ctx, fail) {
      const reply = s.reply ?? fail('NO_REPLY');
      return { to: 'closed', event: 'closed', patch: { closedAt: ctx.at }, data: { onTime: !isLate(s, 'resolution', replySentAt(reply)!) } };
    },
  },
  rate: {
    from: ['closed'],
    roles: ['resident', 'staff', 'centre'],
    run(_s, a, ctx) {
      return { to: 'rated', event: 'rated', patch: { rating: a.rating, ratedAt: ctx.at }, data: { rating: a.rating, comment: a.comment ?? null } };
    },
  },
  reopen: {
    from: ['rated'],
    roles: ['staff', 'centre', 'system'],
    guard(s, ctx, fail) {
      if (s.rating !== '不满意') fail('NOT_UNSATISFIED', { rating: s.rating });
      if (s.reopenCount >= ctx.policy.reopen.maxTimes) fail('REOPEN_LIMIT', { reopenCount: s.reopenCount });
    },
    run(s, a, ctx) {
      const dept = a.departmentId ?? s.ownerDepartmentId!;
      return {
        to: 'dispatched',
        event: 'reopened',
        patch: { ...startClock(s, dept, ctx), reply: null, closedAt: null, rating: null, ratedAt: null, reopenCount: s.reopenCount + 1 },
        data: { departmentId: dept, previousDepartmentId: s.ownerDepartmentId, reason: a.reason ?? null, reopenCount: s.reopenCount + 1 },
      };
    },
  },
  merge: {
    from: OPEN_STATUSES,
    roles: ['staff', 'centre', 'system'],
    run(s, a, ctx, fail) {
      if (a.intoCaseId === s.id) fail('MERGE_INTO_SELF');
      // a merged case's clock stops for good: close any open pause so the record says when
      const pauses = s.pausedSince ? [...s.pauses, { from: s.pausedSince, to: ctx.at }] : s.pauses;
      return {
        to: 'merged',
        event: 'merged',
        patch: { mergedInto: a.intoCaseId, pendingExtension: null, pausedSince: null, pauses },
        data: { intoCaseId: a.intoCaseId },
      };
    },
  },
};

/** When the reply reached the resident; null while it waits for review. */
export function replySentAt(reply: CaseState['reply']): Date | null {
  if (!reply || reply.pendingReview) return null;
  return reply.sentAt ?? reply.at;
}

function isLate(s: CaseState, kind: keyof Deadlines, at: Date): boolean {
  const d = s.deadlines?.[kind];
  return d ? at.getTime() > d.due.getTime() : false;
}

/** A new case at intake (受理). */
export function createCase(
  input: { id: string; receivedAt: Date; classification: CaseClassification },
  actor: Actor = { role: 'system', id: 'intake' },
): TransitionResult {
  const classification = caseClassificationSchema.parse(input.classification);
  const state: CaseState = {
    id: input.id,
    status: 'received',
    classification,
    receivedAt: input.receivedAt,
    ownerDepartmentId: null,
    dispatchedAt: null,
    clockStartedAt: null,
    dispatchCount: 0,
    acceptedAt: null,
    firstResponseAt: null,
    deadlines: null,
    dispatchDeadline: null,
    pausedSince: null,
    pauses: [],
    extensionGrantedWorkingDays: 0,
    pendingExtension: null,
    returnCount: 0,
    returnedBy: [],
    awaitingDesignation: false,
    designated: false,
    reply: null,
    closedAt: null,
    rating: null,
    ratedAt: null,
    reopenCount: 0,
    mergedInto: null,
    lastEventAt: input.receivedAt,
  };
  return { state, events: [{ type: 'received', fromStatus: null, toStatus: 'received', actor, at: input.receivedAt, data: { classification } }] };
}

export const CASE_ACTION_TYPES = Object.keys(TRANSITIONS) as CaseActionType[];
// the table is keyed by type, so the rule of a type takes that type's action
const ruleOf = (type: CaseActionType) => TRANSITIONS[type] as Rule<CaseAction>;

/** The actions the table would consider in this status for this role (guards may still refuse). */
export function candidateActions(status: CaseStatus, role: Role): CaseActionType[] {
  return CASE_ACTION_TYPES.filter((t) => TRANSITIONS[t].from.includes(status) && TRANSITIONS[t].roles.includes(role));
}

/** Whether this actor may do this action on this case at all: its role, and a department only on its own case. */
function checkPermission(rule: Rule<CaseAction>, state: Pick<CaseState, 'ownerDepartmentId'>, actor: Actor, fail: Fail): void {
  if (!rule.roles.includes(actor.role)) fail('ROLE_NOT_ALLOWED', { role: actor.role, allowed: rule.roles });
  if (rule.ownerOnly && actor.role === 'department' && actor.departmentId !== state.ownerDepartmentId) {
    fail('NOT_OWNER', { departmentId: actor.departmentId });
  }
}

/** Everything applyTransition checks before it reads the action's input, in its order. */
function checkPreconditions(rule: Rule<CaseAction>, state: CaseState, ctx: TransitionContext, fail: Fail): void {
  if (!rule.from.includes(state.status)) fail('NOT_ALLOWED_IN_STATUS', { allowedFrom: rule.from });
  checkPermission(rule, state, ctx.actor, fail);
  rule.guard?.(state, ctx, fail);
}

function refusalOf(check: (fail: Fail) => void): IllegalTransitionCode | null {
  try {
    check((code) => {
      throw new IllegalTransitionError(code, '', 'received');
    });
    return null;
  } catch (err) {
    if (err instanceof IllegalTransitionError) return err.code;
    throw err;
  }
}

/** Why this actor may never do `type` on this case (ROLE_NOT_ALLOWED, NOT_OWNER), or null. The API answers these with 403. */
export function permissionRefusal(state: Pick<CaseState, 'ownerDepartmentId'>, type: CaseActionType, actor: Actor): IllegalTransitionCode | null {
  return refusalOf((fail) => checkPermission(ruleOf(type), state, actor, fail));
}

/** Why `type` cannot be done now (status, role, owner, the state's guards), or null when it may be tried: its input may still be refused. */
export function refusalNow(state: CaseState, type: CaseActionType, ctx: TransitionContext): IllegalTransitionCode | null {
  return refusalOf((fail) => checkPreconditions(ruleOf(type), state, ctx, fail));
}

export function applyTransition(state: CaseState, action: CaseAction, ctx: TransitionContext): TransitionResult {
  const name = typeof (action as { type?: unknown })?.type === 'string' ? (action as { type: string }).type : 'unknown';
  const fail = (code: IllegalTransitionCode, details?: Record<string, unknown>): never => {
    throw new IllegalTransitionError(code, name, state.status, details);
  };
  const parsedAction = caseActionSchema.safeParse(action);
  if (!parsedAction.success) fail('INVALID_ACTION', { issues: parsedAction.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
  const parsedActor = actorSchema.safeParse(ctx.actor);
  if (!parsedActor.success) fail('INVALID_ACTOR');
  const a = parsedAction.data!;
  const actor = parsedActor.data!;
  if (!(ctx.at instanceof Date) || Number.isNaN(ctx.at.getTime())) fail('INVALID_ACTION', { at: 'invalid date' });
  if (ctx.at.getTime() < state.lastEventAt.getTime()) fail('TIME_WENT_BACKWARDS', { lastEventAt: state.lastEventAt });

  const rule = ruleOf(a.type);
  checkPreconditions(rule, state, { ...ctx, actor }, fail);
  const step = rule.run(state, a, { ...ctx, actor }, fail);
  const next: CaseState = { ...state, ...step.patch, status: step.to, lastEventAt: ctx.at };
  // the deadlines are measured against the policy only when this step set them from it: after a triage
  // correction of the classification, or a policy edit, a running clock keeps the deadlines it was given
  const clockRestarted = next.clockStartedAt?.getTime() !== state.clockStartedAt?.getTime();
  const problems = checkCaseInvariants(next, ctx.policy, ctx.calendar, { deadlineFloor: clockRestarted });
  if (problems.length) throw new Error(`case ${state.id}: ${a.type} would break invariants: ${problems.join('; ')}`);
  return { state: next, events: [{ type: step.event, fromStatus: state.status, toStatus: step.to, actor, at: ctx.at, data: step.data ?? {} }] };
}

/** What must hold of every case state; returns the violations (empty when sound). */
export function checkCaseInvariants(
  s: CaseState,
  policy: SlaPolicy,
  calendar: WorkingCalendar,
  opts: { /** no deadline earlier than the policy gives the case's classification now */ deadlineFloor?: boolean } = {},
): string[] {
  const out: string[] = [];
  const owned = OWNED_STATUSES.includes(s.status);
  if (owned && !s.ownerDepartmentId) out.push(`${s.status} case has no owner department`);
  if ((s.status === 'received' || s.status === 'returned') && s.ownerDepartmentId) out.push(`${s.status} case has an owner`);
  if (owned && (!s.deadlines || !s.dispatchedAt || !s.clockStartedAt)) out.push(`${s.status} case has no deadlines`);
  if ((s.status === 'closed' || s.status === 'rated') && (!s.reply || !s.closedAt)) out.push('closed without a reply');
  if (s.status === 'rated' && !s.rating) out.push('rated without a rating');
  if ((s.status === 'waiting') !== (s.pausedSince !== null)) out.push('pausedSince disagrees with status');
  if ((s.status === 'merged') !== (s.mergedInto !== null)) out.push('mergedInto disagrees with status');
  if (s.returnCount > policy.returns.maxReturns) out.push(`returned ${s.returnCount} times`);
  if (s.awaitingDesignation && (s.status !== 'returned' && s.status !== 'merged')) out.push('awaiting designation but not returned');
  if (s.extensionGrantedWorkingDays > policy.extensions.maxTotalWorkingDays) out.push('extensions exceed the maximum');
  if (s.clockStartedAt && s.dispatchedAt && (s.clockStartedAt < s.receivedAt || s.clockStartedAt > s.dispatchedAt)) {
    out.push('the clock started before receipt or after dispatch');
  }
  if ((opts.deadlineFloor ?? true) && s.deadlines && s.clockStartedAt) {
    const min = computeDeadlines(policy, calendar, s.classification, s.clockStartedAt);
    for (const k of ['acceptance', 'response', 'resolution'] as const) {
      if (s.deadlines[k].due.getTime() < min[k].due.getTime()) out.push(`${k} deadline earlier than the policy allows`);
    }
  }
  const times = [s.receivedAt, s.dispatchedAt, s.acceptedAt, s.firstResponseAt, s.pausedSince, s.reply?.at, s.closedAt, s.ratedAt];
  if (times.some((t) => t && t.getTime() > s.lastEventAt.getTime())) out.push('a timestamp is after the last event');
  return out;
}
