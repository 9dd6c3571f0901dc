// Staff merge (合并) of one open case into another: the source is merged by the lifecycle and its
// messages (and so their residents) move to the target, which records where they came from.
import { appendCaseEvents, lockCaseStatuses } from '../db/cases';
import { moveMessagesToCase } from '../db/messages';
import { transitionInTx } from './act-on-case';
import { afterCommit } from './after-commit';
import { CaseNotFoundError, type ActOptions, type ActResult, type CaseServiceDeps } from './deps';
import { IllegalTransitionError } from './lifecycle';
import { isOpenStatus } from './statuses';

/** Merges `sourceId` into `targetId`: the source's messages (and their residents) move to the target. */
export async function mergeCases(deps: CaseServiceDeps, sourceId: number, targetId: number, opts: ActOptions & { reason?: string }): Promise<ActResult> {
  const at = opts.at ?? new Date();
  const result = await deps.sql.begin(async (tx) => {
    // lock in id order so two opposite merges cannot deadlock
    const locked = await lockCaseStatuses(tx, [sourceId, targetId]);
    const target = locked.find((r) => r.id === targetId);
    if (!target) throw new CaseNotFoundError(targetId);
    if (!isOpenStatus(target.status)) {
      throw new IllegalTransitionError('NOT_ALLOWED_IN_STATUS', 'merge', target.status, { target: targetId, reason: 'the target case is not open' });
    }
    const r = await transitionInTx(tx, deps, sourceId, { type: 'merge', intoCaseId: String(targetId) }, { ...opts, at });
    const moved = await moveMessagesToCase(tx, sourceId, targetId);
    await appendCaseEvents(tx, targetId, [{
      type: 'merged', fromStatus: target.status, toStatus: target.status, actorKind: opts.actor.role, actorId: opts.actor.id, at,
      data: { fromCaseId: sourceId, messageIds: moved, reason: opts.reason ?? null, confidence: 1 },
    }]);
    return r;
  });
  await afterCommit(deps, result);
  return result;
}
