// One action on one case (签收, 退单, 答复, 回访 …): load the case FOR UPDATE, catch its clock up,
// apply the pure transition, write columns, state and events in one transaction (optimistic
// version), then schedule the SLA timers and the outbox sends after commit.
import { getCaseWithLifecycleForUpdate } from '../db/cases';
import type { Db } from '../db/connect';
import { afterCommit } from './after-commit';
import { eventInput, persistCaseState, stateOf } from './case-state';
import { CaseNotFoundError, VersionConflictError, type ActOptions, type ActResult, type CaseServiceDeps } from './deps';
import { fireDueTimersInTx } from './fire-timers';
import { applyTransition, IllegalTransitionError, type CaseAction } from './lifecycle';
import { recountState } from './recompute-deadlines';
import { queueReplyToResidents } from './reply-outbox';
import { replyNeedsReview, shippedReviewPolicy } from './review-policy';

/** Loads, catches the clock up to `at`, transitions, persists. Call inside sql.begin. */
export async function transitionInTx(tx: Db, deps: CaseServiceDeps, caseId: number, action: CaseAction, opts: ActOptions): Promise<ActResult> {
  const at = opts.at ?? new Date();
  // timers that fell due before this action are recorded first, so history reads in order
  await fireDueTimersInTx(tx, deps, caseId, at);
  const loaded = await getCaseWithLifecycleForUpdate(tx, caseId);
  if (!loaded) throw new CaseNotFoundError(caseId);
  const { row } = loaded;
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== row.version) throw new VersionConflictError(caseId, opts.expectedVersion, row.version);
  // a case counted on a provisional year that is official now is counted again first (the sweep
  // does the same within a minute): the action sees, and the invariants check, the official dues
  const recount = recountState(stateOf(row, loaded.lifecycle, deps), deps.calendar, at);
  const before = recount?.state ?? stateOf(row, loaded.lifecycle, deps);
  // 答复审核: the policy decides, by the case's category and the replying department, whether the reply waits
  const replyReview = action.type === 'reply' && replyNeedsReview(deps.review ?? shippedReviewPolicy(), { category: row.category, departmentId: before.ownerDepartmentId });
  const ctx = { actor: opts.actor, at, policy: deps.policy, calendar: deps.calendar, replyNeedsReview: replyReview };
  let { state, events } = applyTransition(before, action, ctx);
  const outboxIds: number[] = [];
  // a reply reaches the resident only once it is not waiting for review: at once, or at the centre's approval;
  // a rejected reply was never queued (the idempotency key is the reply's own time, so approval sends it once)
  const sendNow = (action.type === 'reply' || action.type === 'approveReply') && state.reply && !state.reply.pendingReview;
  if (sendNow) outboxIds.push(...(await queueReplyToResidents(tx, row, state.reply!.text, state.reply!.at)));
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
  const inputs = [
    ...(recount ? [recount.event] : []),
    ...events.map((e) => eventInput(e, e.type === 'rated' ? { resolved: opts.resolved ?? null } : {})),
  ];
  const { version, timers } = await persistCaseState(tx, deps, row, state, inputs, events, at, opts.resolved);
  return { caseId, state, version, events, timers, outboxIds };
}

/** One action on one case, in its own transaction; timers and outbox jobs are scheduled after commit. */
export async function actOnCase(deps: CaseServiceDeps, caseId: number, action: CaseAction, opts: ActOptions): Promise<ActResult> {
  const result = await deps.sql.begin((tx) => transitionInTx(tx, deps, caseId, action, opts));
  await afterCommit(deps, result);
  return result;
}
