// What the case routes share: the case service wired to the app, and its errors as API errors.
import { z } from 'zod';
import { CaseNotFoundError, VersionConflictError, type CaseServiceDeps } from '../../../core/cases/deps';
import type { StaffUser } from '../../../core/auth/staff';
import { IllegalTransitionError, type CaseState } from '../../../core/cases/lifecycle';
import { allowedActions, type ActionDescription } from '../../../core/cases/staff-actions';
import type { AppDeps } from '../../deps';
import { ApiError } from '../../errors';

export const idParam = z.object({ id: z.coerce.number().int().positive() });

export function caseServiceDeps(deps: AppDeps): CaseServiceDeps {
  return { sql: deps.db.sql, policy: deps.shipped.sla.policy, calendar: deps.shipped.sla.calendar, queue: deps.queue, log: deps.logger };
}

/** The actions this user may take on the case now (returned with the case and after each action). */
export function allowedFor(deps: AppDeps, user: StaffUser, state: CaseState, messageCount: number, openInstructions = 0): ActionDescription[] {
  const { policy, calendar } = caseServiceDeps(deps);
  return allowedActions(user, state, { policy, calendar, at: new Date(), messageCount, openInstructions });
}

/** Runs a case-service call, turning its domain errors into the API's. */
export async function translateErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof IllegalTransitionError) {
      throw new ApiError('illegal_transition', `${err.messageZh} / ${err.messageEn}`, {
        code: err.code, action: err.action, status: err.status, messageZh: err.messageZh, messageEn: err.messageEn, ...err.details,
      });
    }
    if (err instanceof VersionConflictError) throw new ApiError('conflict', `工单已被他人修改，请刷新后重试 / ${err.message}`, { expected: err.expected, actual: err.actual });
    if (err instanceof CaseNotFoundError) throw new ApiError('not_found', err.message);
    throw err;
  }
}
