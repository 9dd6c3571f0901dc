import { describe, expect, it } from 'vitest';
import { formatShanghai as f, parseShanghai } from './calendar';
import {
  applyTransition,
  candidateActions,
  caseActionSchema,
  caseStateSchema,
  CASE_STATUSES,
  checkCaseInvariants,
  createCase,
  IllegalTransitionError,
  OWNED_STATUSES,
  RATINGS,
  TRANSITIONS,
  type Actor,
  type CaseAction,
  type CaseActionType,
  type CaseEvent,
  type CaseState,
  type IllegalTransitionCode,
} from './lifecycle';
import { seededRandom } from '../util/seeded-random';
import { computeDeadlines, loadSla, type CaseClassification } from './sla';

const { policy, calendar } = loadSla();
const t = (s: string): Date => {
  const d = parseShanghai(s);
  if (!d) throw new Error(`bad test time ${s}`);
  return d;
};
const staff: Actor = { role: 'staff', id: 'op-1' };
const centre: Actor = { role: 'centre', id: 'centre-1' };
const resident: Actor = { role: 'resident', id: 'r-1' };
const system: Actor = { role: 'system', id: 'sla-worker' };
const dept = (d: string): Actor => ({ role: 'department', id: `${d}-clerk`, departmentId: d });

const complaint: CaseClassification = { urgency: 'normal', requestType: '投诉' };

/** Applies steps in order, collecting every event; throws on the first refusal. */
function play(state: CaseState, steps: Array<[string, Actor, CaseAction]>, extra: { replyNeedsReview?: boolean } = {}): { state: CaseState; events: CaseEvent[] } {
  const events: CaseEvent[] = [];
  for (const [at, actor, action] of steps) {
    const r = applyTransition(state, action, { actor, at: t(at), policy, calendar, ...extra });
    state = r.state;
    events.push(...r.events);
  }
  return { state, events };
}
function refused(state: CaseState, at: string, actor: Actor, action: CaseAction): IllegalTransitionCode {
  const before = structuredClone(state);
  try {
    applyTransition(state, action, { actor, at: t(at), policy, calendar });
  } catch (err) {
    expect(err).toBeInstanceOf(IllegalTransitionError);
    expect(state).toEqual(before);
    return (err as IllegalTransitionError).code;
  }
  throw new Error(`${action.type} by ${actor.role} was allowed`);
}
const fresh = (at = '2026-03-02T09:00', cls: CaseClassification = complaint) => createCase({ id: 'WH-1', receivedAt: t(at), classification: cls }).state;

describe('the happy path', () => {
  it('received → dispatched → accepted → replied → closed → rated, with events', () => {
    const { state, events } = play(fresh(), [
      ['2026-03-02T09:05', system, { type: 'dispatch', departmentId: 'water' }],
      ['2026-03-02T10:00', dept('water'), { type: 'accept' }],
      ['2026-03-02T11:00', dept('water'), { type: 'contact', note: '电话联系' }],
      ['2026-03-04T15:00', dept('water'), { type: 'reply', text: '已修复' }],
      ['2026-03-04T16:00', staff, { type: 'close' }],
      ['2026-03-05T10:00', resident, { type: 'rate', rating: '满意' }],
    ]);
    expect(events.map((e) => [e.type, e.fromStatus, e.toStatus])).toEqual([
      ['dispatched', 'received', 'dispatched'],
      ['accepted', 'dispatched', 'accepted'],
      ['contacted', 'accepted', 'accepted'],
      ['replied', 'accepted', 'replied'],
      ['closed', 'replied', 'closed'],
      ['rated', 'closed', 'rated'],
    ]);
    expect(state.status).toBe('rated');
    expect(state.ownerDepartmentId).toBe('water');
    expect(f(state.firstResponseAt!)).toBe('2026-03-02T11:00:00+08:00');
    // 投诉: 5 working days from Monday 3/2 → Monday 3/9 close
    expect(f(state.deadlines!.resolution.due)).toBe('2026-03-09T17:30:00+08:00');
    expect(f(state.deadlines!.acceptance.due)).toBe('2026-03-03T17:30:00+08:00');
    expect(events[4].data).toEqual({ onTime: true });
    expect(checkCaseInvariants(state, policy, calendar)).toEqual([]);
  });

  it('errors carry a code and a Chinese and English message', () => {
    const s = fresh();
    try {
      applyTransition(s, { type: 'accept' }, { actor: dept('water'), at: t('2026-03-02T10:00'), policy, calendar });
      throw new Error('allowed');
    } catch (err) {
      const e = err as IllegalTransitionError;
      expect(e.code).toBe('NOT_ALLOWED_IN_STATUS');
      expect(e.messageZh).toBe('当前状态下不能执行此操作');
      expect(e.message).toContain('当前状态下不能执行此操作');
      expect(e.message).toContain('not allowed');
    }
  });

  it('refuses what the roles may not do', () => {
    const s = play(fresh(), [['2026-03-02T09:05', staff, { type: 'dispatch', departmentId: 'water' }]]).state;
    expect(refused(s, '2026-03-02T10:00', dept('roads'), { type: 'accept' })).toBe('NOT_OWNER');
    expect(refused(s, '2026-03-02T10:00', resident, { type: 'accept' })).toBe('ROLE_NOT_ALLOWED');
    expect(refused(s, '2026-03-02T10:00', staff, { type: 'close' })).toBe('NOT_ALLOWED_IN_STATUS');
    expect(refused(s, '2026-03-02T09:00', dept('water'), { type: 'accept' })).toBe('TIME_WENT_BACKWARDS');
    expect(refused(s, '2026-03-02T10:00', dept('water'), { type: 'return', reason: '' })).toBe('INVALID_ACTION');
    expect(refused(s, '2026-03-02T10:00', staff, { type: 'override', departmentId: 'water', reason: '改派' })).toBe('SAME_DEPARTMENT');
  });
});

describe('退单 returns', () => {
  const dispatched = () => play(fresh('2026-03-06T15:00'), [['2026-03-06T16:00', staff, { type: 'dispatch', departmentId: 'water' }]]).state;

  it('only within 1 working day of dispatch (Friday 16:00 → Monday close)', () => {
    const s = dispatched();
    expect(play(s, [['2026-03-09T17:30', dept('water'), { type: 'return', reason: '不属于本单位职责' }]]).state.status).toBe('returned');
    expect(refused(s, '2026-03-09T17:31', dept('water'), { type: 'return', reason: '不属于本单位职责' })).toBe('RETURN_WINDOW_CLOSED');
    expect(refused(s, '2026-03-09T10:00', dept('roads'), { type: 'return', reason: '不属于本单位职责' })).toBe('NOT_OWNER');
  });

  it('the third return goes to the centre, which designates; a designated case cannot be returned', () => {
    let { state, events } = play(dispatched(), [
      ['2026-03-06T17:00', dept('water'), { type: 'return', reason: '非本单位职责' }],
      ['2026-03-09T09:00', staff, { type: 'dispatch', departmentId: 'roads' }],
      ['2026-03-09T10:00', dept('roads'), { type: 'accept' }],
      ['2026-03-09T11:00', dept('roads'), { type: 'return', reason: '非本单位职责' }],
      ['2026-03-09T14:00', staff, { type: 'dispatch', departmentId: 'housing' }],
      ['2026-03-10T09:00', dept('housing'), { type: 'return', reason: '属于物业管理' }],
    ]);
    expect(state.returnCount).toBe(3);
    expect(state.awaitingDesignation).toBe(true);
    expect(state.ownerDepartmentId).toBeNull();
    expect(events.at(-1)!.data).toMatchObject({ returnCount: 3, toCentre: true });
    expect(refused(state, '2026-03-10T10:00', staff, { type: 'dispatch', departmentId: 'city-mgmt' })).toBe('NEEDS_DESIGNATION');
    expect(refused(state, '2026-03-10T10:00', system, { type: 'dispatch', departmentId: 'city-mgmt' })).toBe('NEEDS_DESIGNATION');
    expect(refused(state, '2026-03-10T10:00', staff, { type: 'designate', departmentId: 'city-mgmt' })).toBe('ROLE_NOT_ALLOWED');
    ({ state, events } = play(state, [['2026-03-10T10:00', centre, { type: 'designate', departmentId: 'water', reason: '供水管网属水务' }]]));
    expect(state).toMatchObject({ status: 'dispatched', ownerDepartmentId: 'water', designated: true, awaitingDesignation: false });
    expect(events[0].type).toBe('designated');
    expect(refused(state, '2026-03-10T11:00', dept('water'), { type: 'return', reason: '非本单位职责' })).toBe('CASE_DESIGNATED');
    expect(refused(state, '2026-03-10T11:00', staff, { type: 'override', departmentId: 'roads', reason: '改派' })).toBe('ROLE_NOT_ALLOWED');
  });

  it('a department that returned the case gets it back only from the centre', () => {
    const s = play(dispatched(), [['2026-03-06T17:00', dept('water'), { type: 'return', reason: '非本单位职责' }]]).state;
    expect(refused(s, '2026-03-09T09:00', staff, { type: 'dispatch', departmentId: 'water' })).toBe('DEPARTMENT_ALREADY_RETURNED');
    expect(play(s, [['2026-03-09T09:00', centre, { type: 'dispatch', departmentId: 'water' }]]).state.ownerDepartmentId).toBe('water');
  });

  it('the first clock starts at receipt, so a weekend backlog does not lengthen the wait', () => {
    // received Friday 20:00, dispatched Monday 09:00: 投诉 5 working days from Friday → Fri 3/13 close
    const s = play(fresh('2026-03-06T20:00'), [['2026-03-09T09:00', staff, { type: 'dispatch', departmentId: 'water' }]]).state;
    expect(f(s.clockStartedAt!)).toBe('2026-03-06T20:00:00+08:00');
    expect(f(s.deadlines!.resolution.due)).toBe('2026-03-13T17:30:00+08:00');
    expect(f(s.deadlines!.acceptance.due)).toBe('2026-03-09T17:30:00+08:00');
    // the return window still runs from the dispatch: Monday 09:00 → Tuesday close
    expect(play(s, [['2026-03-10T17:00', dept('water'), { type: 'return', reason: '非本单位职责' }]]).state.status).toBe('returned');
    const byDispatch = { ...policy, clock: { firstDispatchFrom: 'dispatch' as const } };
    const r = applyTransition(fresh('2026-03-06T20:00'), { type: 'dispatch', departmentId: 'water' }, { actor: staff, at: t('2026-03-09T09:00'), policy: byDispatch, calendar });
    expect(f(r.state.deadlines!.resolution.due)).toBe('2026-03-16T17:30:00+08:00');
  });

  it('re-dispatch starts a fresh clock', () => {
    const s = play(dispatched(), [
      ['2026-03-06T17:00', dept('water'), { type: 'return', reason: '非本单位职责' }],
      ['2026-03-09T09:00', staff, { type: 'dispatch', departmentId: 'roads' }],
    ]).state;
    expect(f(s.deadlines!.resolution.due)).toBe('2026-03-16T17:30:00+08:00'); // 5 working days from Monday 3/9
  });
});

describe('延期 extensions', () => {
  const accepted = () =>
    play(fresh('2026-02-12T09:00'), [
      ['2026-02-12T10:00', staff, { type: 'dispatch', departmentId: 'water' }],
      ['2026-02-12T11:00', dept('water'), { type: 'accept' }],
    ]).state; // 投诉 due 2/26 close

  it('requested before the deadline by the owner, approved by the centre, at most 10 working days in total', () => {
    let s = accepted();
    expect(f(s.deadlines!.resolution.due)).toBe('2026-02-26T17:30:00+08:00');
    s = play(s, [['2026-02-24T10:00', dept('water'), { type: 'requestExtension', workingDays: 6, reason: '需协调施工' }]]).state;
    expect(refused(s, '2026-02-24T11:00', dept('water'), { type: 'requestExtension', workingDays: 1, reason: '再延' })).toBe('EXTENSION_PENDING');
    expect(refused(s, '2026-02-24T11:00', staff, { type: 'approveExtension' })).toBe('ROLE_NOT_ALLOWED');
    expect(refused(s, '2026-02-24T11:00', centre, { type: 'approveExtension', workingDays: 7 })).toBe('EXTENSION_MORE_THAN_REQUESTED');
    s = play(s, [['2026-02-24T11:00', centre, { type: 'approveExtension' }]]).state;
    // 2/26 + 6: 2/27, 2/28 (Sat, make-up), 3/2, 3/3, 3/4, 3/5
    expect(f(s.deadlines!.resolution.due)).toBe('2026-03-05T17:30:00+08:00');
    expect(s.extensionGrantedWorkingDays).toBe(6);
    expect(refused(s, '2026-03-02T10:00', dept('water'), { type: 'requestExtension', workingDays: 5, reason: '再延' })).toBe('EXTENSION_LIMIT');
    s = play(s, [
      ['2026-03-02T10:00', dept('water'), { type: 'requestExtension', workingDays: 4, reason: '再延' }],
      ['2026-03-02T11:00', centre, { type: 'refuseExtension', reason: '理由不充分' }],
    ]).state;
    expect(f(s.deadlines!.resolution.due)).toBe('2026-03-05T17:30:00+08:00');
    expect(refused(s, '2026-03-05T17:31', dept('water'), { type: 'requestExtension', workingDays: 1, reason: '再延' })).toBe('EXTENSION_TOO_LATE');
    expect(refused(s, '2026-03-02T12:00', centre, { type: 'approveExtension' })).toBe('NO_PENDING_EXTENSION');
  });
});

describe('waiting on the resident', () => {
  it('pause and resume move the deadlines by the working time lost', () => {
    let s = play(fresh('2026-03-02T08:00'), [
      ['2026-03-02T08:30', staff, { type: 'dispatch', departmentId: 'water' }],
      ['2026-03-02T09:00', dept('water'), { type: 'accept' }],
      ['2026-03-02T10:00', dept('water'), { type: 'pause', reason: '请诉求人补充具体地址' }],
    ]).state;
    expect(s.status).toBe('waiting');
    expect(f(s.firstResponseAt!)).toBe('2026-03-02T10:00:00+08:00');
    expect(refused(s, '2026-03-02T11:00', dept('water'), { type: 'reply', text: '答复' })).toBe('NOT_ALLOWED_IN_STATUS');
    const r = applyTransition(s, { type: 'resume' }, { actor: resident, at: t('2026-03-05T10:00'), policy, calendar });
    s = r.state;
    // 投诉 due Mon 3/9 close; 330 + 5 × 420 = 2430 minutes left at Mon 10:00;
    // from Thu 3/5 10:00: 330 + Fri, Mon, Tue, Wed, Thu × 420 → Thu 3/12 close (3 working days lost)
    expect(f(s.deadlines!.resolution.due)).toBe('2026-03-12T17:30:00+08:00');
    expect(f(s.deadlines!.response.due)).toBe('2026-03-09T17:30:00+08:00'); // Wed 3/4 close + 3 working days
    expect(s.pauses).toHaveLength(1);
    expect(r.events[0]).toMatchObject({ type: 'resumed', fromStatus: 'waiting', toStatus: 'accepted' });
  });
});

describe('重办 and 合并', () => {
  const rated = (rating: (typeof RATINGS)[number]) =>
    play(fresh(), [
      ['2026-03-02T09:05', staff, { type: 'dispatch', departmentId: 'water' }],
      ['2026-03-02T10:00', dept('water'), { type: 'accept' }],
      ['2026-03-03T10:00', dept('water'), { type: 'reply', text: '已处理' }],
      ['2026-03-03T11:00', staff, { type: 'close' }],
      ['2026-03-04T10:00', resident, { type: 'rate', rating }],
    ]).state;

  it('不满意 reopens to dispatched with new deadlines', () => {
    const s = play(rated('不满意'), [['2026-03-04T11:00', system, { type: 'reopen', reason: '回访不满意' }]]).state;
    expect(s).toMatchObject({ status: 'dispatched', ownerDepartmentId: 'water', reply: null, rating: null, reopenCount: 1 });
    expect(f(s.deadlines!.resolution.due)).toBe('2026-03-11T17:30:00+08:00'); // 5 working days from Wed 3/4
    expect(refused(rated('满意'), '2026-03-04T11:00', staff, { type: 'reopen' })).toBe('NOT_UNSATISFIED');
    expect(refused(rated('不满意'), '2026-03-04T11:00', resident, { type: 'reopen' })).toBe('ROLE_NOT_ALLOWED');
  });

  it('a centre can send a reply under review back; closing needs a reply', () => {
    const s = play(fresh(), [
      ['2026-03-02T09:05', staff, { type: 'dispatch', departmentId: 'water' }],
      ['2026-03-02T10:00', dept('water'), { type: 'accept' }],
    ]).state;
    expect(refused(s, '2026-03-02T11:00', staff, { type: 'close' })).toBe('NOT_ALLOWED_IN_STATUS');
    const held = play(s, [['2026-03-03T10:00', dept('water'), { type: 'reply', text: '已处理' }]], { replyNeedsReview: true }).state;
    expect(held.reply).toMatchObject({ pendingReview: true });
    expect(refused(held, '2026-03-03T10:30', staff, { type: 'close' })).toBe('REPLY_PENDING_REVIEW');
    expect(refused(held, '2026-03-03T10:30', staff, { type: 'approveReply' })).toBe('ROLE_NOT_ALLOWED');
    const back = play(held, [['2026-03-03T11:00', centre, { type: 'rejectReply', reason: '答复未说明处理结果' }]]).state;
    expect(back).toMatchObject({ status: 'accepted', reply: null });
  });

  it('an approved reply is sent and may be closed; a sent reply cannot be recalled', () => {
    const s = play(fresh(), [
      ['2026-03-02T09:05', staff, { type: 'dispatch', departmentId: 'water' }],
      ['2026-03-02T10:00', dept('water'), { type: 'accept' }],
      ['2026-03-03T10:00', dept('water'), { type: 'reply', text: '已处理' }],
    ], { replyNeedsReview: true });
    const approved = play(s.state, [['2026-03-03T11:00', centre, { type: 'approveReply' }]]);
    expect(approved.state.reply).toMatchObject({ pendingReview: false, text: '已处理' });
    expect(approved.events[0].type).toBe('reply-approved');
    expect(refused(approved.state, '2026-03-03T11:30', centre, { type: 'approveReply' })).toBe('REPLY_NOT_PENDING');
    expect(refused(approved.state, '2026-03-03T11:30', centre, { type: 'rejectReply', reason: '不够具体' })).toBe('REPLY_ALREADY_SENT');
    expect(play(approved.state, [['2026-03-03T12:00', staff, { type: 'close' }]]).state.status).toBe('closed');
  });

  it('merged is terminal', () => {
    const s = play(fresh(), [['2026-03-02T09:05', system, { type: 'merge', intoCaseId: 'WH-0' }]]).state;
    expect(s.status).toBe('merged');
    for (const type of Object.keys(TRANSITIONS) as CaseActionType[]) {
      expect(candidateActions('merged', 'centre')).not.toContain(type);
    }
    expect(refused(s, '2026-03-02T10:00', staff, { type: 'dispatch', departmentId: 'water' })).toBe('NOT_ALLOWED_IN_STATUS');
    expect(refused(fresh(), '2026-03-02T10:00', staff, { type: 'merge', intoCaseId: 'WH-1' })).toBe('MERGE_INTO_SELF');
  });
});

// ---- property tests: random sequences of legal and illegal actions ----

const DEPARTMENTS = ['water', 'roads', 'housing', 'city-mgmt', 'police'];
const REASONS = ['非本单位职责', '需现场核实', '补充材料', '协调施工', '属地管理', '请补充地址', '', 'x'];

function randomAction(rnd: () => number, type: CaseActionType, state: CaseState): CaseAction {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const reason = pick(REASONS);
  switch (type) {
    case 'dispatch':
    case 'designate':
      return { type, departmentId: pick(DEPARTMENTS) };
    case 'override':
      return { type, departmentId: pick(DEPARTMENTS), reason };
    case 'reopen':
      return rnd() < 0.5 ? { type } : { type, departmentId: pick(DEPARTMENTS) };
    case 'return':
    case 'pause':
    case 'refuseExtension':
    case 'rejectReply':
      return { type, reason };
    case 'requestExtension':
      return { type, workingDays: 1 + Math.floor(rnd() * 12), reason };
    case 'approveExtension':
      return rnd() < 0.5 ? { type } : { type, workingDays: 1 + Math.floor(rnd() * 8) };
    case 'reply':
      return { type, text: rnd() < 0.9 ? '已处理完毕' : '' };
    case 'rate':
      return { type, rating: rnd() < 0.5 ? '不满意' : pick(RATINGS) };
    case 'merge':
      return { type, intoCaseId: rnd() < 0.9 ? 'WH-other' : state.id };
    case 'accept':
    case 'close':
    case 'approveReply':
      return { type };
    case 'contact':
    case 'resume':
      return { type };
  }
}

const ROLES = ['staff', 'centre', 'department', 'resident', 'system'] as const;

function actorFor(rnd: () => number, role: (typeof ROLES)[number], state: CaseState): Actor {
  switch (role) {
    case 'department':
      return state.ownerDepartmentId && rnd() < 0.85 ? dept(state.ownerDepartmentId) : dept(DEPARTMENTS[Math.floor(rnd() * DEPARTMENTS.length)]);
    case 'staff':
      return staff;
    case 'centre':
      return centre;
    case 'resident':
      return resident;
    case 'system':
      return system;
  }
}

/** Mostly a (role, action) pair the table lists for this status, so deep states are reached; otherwise anything. */
function randomMove(rnd: () => number, state: CaseState, allTypes: CaseActionType[]): { actor: Actor; type: CaseActionType } {
  if (rnd() < 0.7) {
    // merging ends a walk, so it is drawn less often than the rest
    const pairs = ROLES.flatMap((role) => candidateActions(state.status, role).map((type) => ({ role, type }))).filter((p) => p.type !== 'merge' || rnd() < 0.15);
    if (pairs.length) {
      const { role, type } = pairs[Math.floor(rnd() * pairs.length)];
      return { actor: actorFor(rnd, role, state), type };
    }
  }
  return { actor: actorFor(rnd, ROLES[Math.floor(rnd() * ROLES.length)], state), type: allTypes[Math.floor(rnd() * allTypes.length)] };
}

// Sized by count: RUNS cases of at most MAX_STEPS actions each, so the same walk (same seed, same
// assertions) runs on any machine. Its time limit follows from that work, with an allowance per action
// (about 2 ms) some fifteen times what one costs on an idle core, so a loaded 2-core machine passes too.
const RUNS = 1000;
const MAX_STEPS = 60;
const MS_PER_ACTION = 2;

describe('lifecycle properties (seeded)', () => {
  it('random legal and illegal sequences keep every invariant', { timeout: RUNS * MAX_STEPS * MS_PER_ACTION }, () => {
    const rnd = seededRandom(12345);
    const allTypes = Object.keys(TRANSITIONS) as CaseActionType[];
    const seenEvents = new Set<string>();
    const seenStatuses = new Set<string>();
    const seenCodes = new Set<string>();
    let applied = 0;
    let refusedCount = 0;
    const start0 = t('2025-01-02T00:00').getTime();

    for (let run = 0; run < RUNS; run++) {
      const receivedAt = new Date(start0 + Math.floor(rnd() * 540) * 86_400_000 + Math.floor(rnd() * 86_400_000));
      const cls: CaseClassification = {
        urgency: rnd() < 0.15 ? 'urgent' : 'normal',
        requestType: (['咨询', '求助', '投诉', '举报', '建议', '感谢'] as const)[Math.floor(rnd() * 6)],
        subtopic: rnd() < 0.1 ? '停水' : null,
      };
      let { state, events: history } = createCase({ id: `WH-${run}`, receivedAt, classification: cls });
      let now = receivedAt.getTime();

      let afterEnd = 0;
      for (let step = 0; step < MAX_STEPS; step++) {
        // a finished case (merged, or rated without 不满意) still gets a few actions, all of which must be refused
        const finished = state.status === 'merged' || (state.status === 'rated' && (state.rating !== '不满意' || state.reopenCount >= policy.reopen.maxTimes));
        if (finished && ++afterEnd > 3) break;
        // mostly forward in time (minutes to days), sometimes backwards
        const r = rnd();
        const delta = r < 0.05 ? -Math.floor(rnd() * 3_600_000) : r < 0.5 ? Math.floor(rnd() * 3 * 3_600_000) : Math.floor(rnd() * 3 * 86_400_000);
        const at = new Date(now + delta);
        const { actor, type } = randomMove(rnd, state, allTypes);
        const action = randomAction(rnd, type, state);
        const before = structuredClone(state);

        let result;
        try {
          // half the replies are held for review (the review policy), so approval and rejection are walked too
          result = applyTransition(state, action, { actor, at, policy, calendar, replyNeedsReview: step % 2 === 0 });
        } catch (err) {
          if (!(err instanceof IllegalTransitionError)) throw err;
          refusedCount++;
          seenCodes.add(err.code);
          expect(state).toEqual(before); // refused actions change nothing
          if (at.getTime() < state.lastEventAt.getTime() && caseActionSchema.safeParse(action).success) expect(err.code).toBe('TIME_WENT_BACKWARDS');
          continue;
        }
        applied++;
        expect(finished).toBe(false);
        expect(state).toEqual(before); // the input is never mutated
        const next = result.state;
        const [ev] = result.events;

        // what the rules forbid never succeeds
        expect(at.getTime()).toBeGreaterThanOrEqual(state.lastEventAt.getTime());
        expect(state.status).not.toBe('merged');
        if (actor.role === 'resident') expect(['resume', 'rate']).toContain(action.type);
        if (actor.role === 'department' && action.type !== 'dispatch') expect(actor.departmentId).toBe(state.ownerDepartmentId);
        if (action.type === 'return') {
          expect(state.designated).toBe(false);
          expect(state.returnCount).toBeLessThan(policy.returns.maxReturns);
          expect(at.getTime()).toBeLessThanOrEqual(calendar.addWorkingDays(state.dispatchedAt!, 1).getTime());
        }
        if (action.type === 'dispatch') expect(state.awaitingDesignation).toBe(false);
        if (state.awaitingDesignation && next.status === 'dispatched') {
          expect(action.type).toBe('designate');
          expect(actor.role).toBe('centre');
        }
        if (next.status === 'closed') expect(state.reply).not.toBeNull();
        if (action.type === 'reopen') expect(state.rating).toBe('不满意');

        // the event record chains the statuses and time only moves forward
        expect(ev.fromStatus).toBe(state.status);
        expect(ev.toStatus).toBe(next.status);
        expect(ev.at.getTime()).toBeGreaterThanOrEqual(history.at(-1)!.at.getTime());
        expect(ev.actor).toEqual(actor);
        history = [...history, ...result.events];

        // state invariants
        expect(checkCaseInvariants(next, policy, calendar)).toEqual([]);
        if (OWNED_STATUSES.includes(next.status)) {
          expect(typeof next.ownerDepartmentId).toBe('string');
          // the clock starts at receipt for the first dispatch, at the action for every later one
          if (next.dispatchCount !== state.dispatchCount) {
            expect(next.clockStartedAt).toEqual(state.status === 'received' ? state.receivedAt : at);
          }
          const min = computeDeadlines(policy, calendar, next.classification, next.clockStartedAt!);
          expect(next.deadlines!.resolution.due.getTime()).toBeGreaterThanOrEqual(min.resolution.due.getTime());
          expect(next.deadlines!.acceptance.due.getTime()).toBeGreaterThanOrEqual(min.acceptance.due.getTime());
        }
        expect(next.returnCount).toBeLessThanOrEqual(policy.returns.maxReturns);
        expect(next.extensionGrantedWorkingDays).toBeLessThanOrEqual(policy.extensions.maxTotalWorkingDays);

        if (step % 7 === 0) expect(caseStateSchema.parse(JSON.parse(JSON.stringify(next)))).toEqual(next); // survives storage as JSON
        seenEvents.add(ev.type);
        seenStatuses.add(next.status);
        state = next;
        now = Math.max(now, at.getTime());
      }
    }

    // the walk reached every corner of the table, so the properties above were exercised
    expect([...seenStatuses].sort()).toEqual([...CASE_STATUSES].filter((s) => s !== 'received').sort());
    expect(seenEvents.size).toBe(Object.keys(TRANSITIONS).length);
    const everyCode: IllegalTransitionCode[] = [
      'NOT_ALLOWED_IN_STATUS', 'ROLE_NOT_ALLOWED', 'NOT_OWNER', 'TIME_WENT_BACKWARDS', 'INVALID_ACTION', 'NEEDS_DESIGNATION',
      'CASE_DESIGNATED', 'RETURN_WINDOW_CLOSED', 'EXTENSION_LIMIT', 'EXTENSION_TOO_LATE', 'REOPEN_LIMIT', 'DEPARTMENT_ALREADY_RETURNED',
    ];
    for (const code of everyCode) expect(seenCodes).toContain(code);
    expect(applied).toBeGreaterThan(5000);
    expect(refusedCount).toBeGreaterThan(5000);
  });
});

describe('a corrected classification keeps the running clock', () => {
  it('a case dispatched as urgent and corrected to normal in triage can still be worked', () => {
    const urgent: CaseClassification = { urgency: 'urgent', requestType: '求助' };
    const { state } = play(fresh('2026-03-02T09:00', urgent), [['2026-03-02T09:05', system, { type: 'dispatch', departmentId: 'water' }]]);
    // what a 人工复核 correction writes: the classification changes, the deadlines given stay
    const corrected: CaseState = { ...state, classification: { urgency: 'normal', requestType: '投诉' } };
    const r = applyTransition(corrected, { type: 'accept' }, { actor: dept('water'), at: t('2026-03-02T09:20'), policy, calendar });
    expect(r.state.status).toBe('accepted');
    expect(r.state.deadlines).toEqual(state.deadlines);
    // a re-dispatch restarts the clock: then the deadlines follow the corrected classification
    const again = applyTransition(r.state, { type: 'override', departmentId: 'housing', reason: '改派住建' }, { actor: centre, at: t('2026-03-02T10:00'), policy, calendar });
    expect(again.state.deadlines!.resolution.due.getTime()).toBeGreaterThan(state.deadlines!.resolution.due.getTime());
  });
});
