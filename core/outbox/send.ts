// Sending one outbox row, once. A claim takes a lease ('sending', locked_until, attempt key);
// writes after the send are fenced by the attempt key, so a worker that outlived its lease
// cannot overwrite a newer attempt.
//
// Delivery guarantee, per channel, when a worker dies (or the answer is lost) mid-send:
// - Weibo: the next attempt first looks for our reply among the account's own comments
//   (comments/by_me); found → sent, not found → sent again. Effectively exactly once.
// - WeChat: the customer-service API cannot be asked what was delivered, so an attempt with an
//   unknown outcome is never repeated: the row fails with outcome_unknown=true for staff to
//   check (at most once — a resident never gets the same reply twice).
// - Failures where the provider certainly did not deliver (connection refused, WeChat/Weibo error
//   codes, token expiry) are retried with exponential backoff up to MAX_ATTEMPTS.
import type { Sql } from '../db/connect';
import {
  claimOutbox,
  markOutboxFailed,
  markOutboxRetry,
  markOutboxSent,
  markOutboxUnconfirmed,
  type OutboxRow,
} from '../db/outbox';
import { NotDeliveredError } from '../channels/http';
import { loadSendContext, type Senders } from './senders';

export const LEASE_MS = 60_000;
export const MAX_ATTEMPTS = 8;
const RETRY_BASE_MS = 30_000;
const RETRY_MAX_MS = 3600_000;

export interface SendDeps {
  sql: Sql;
  senders: Senders;
  now: () => Date;
  leaseMs?: number;
  /** test hook: runs after the provider call returned and before the row is marked (a crash here is the worst case) */
  afterProviderCall?: (row: OutboxRow) => Promise<void> | void;
}

export type SendOutcome =
  | { status: 'sent'; providerRef: string; confirmed?: boolean }
  | { status: 'retry'; at: Date; error: string; attempts: number }
  | { status: 'unconfirmed'; recheckAt: Date; error: string; attempts: number }
  | { status: 'failed'; error: string; outcomeUnknown: boolean }
  /** not due, already sent, or another worker holds the lease */
  | { status: 'busy' };

export function retryDelayMs(attempts: number, hintMs?: number): number {
  return Math.max(hintMs ?? 0, Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1)));
}

export async function sendOutbox(deps: SendDeps, id: number): Promise<SendOutcome> {
  const now = deps.now();
  const leaseMs = deps.leaseMs ?? LEASE_MS;
  const claim = await claimOutbox(deps.sql, id, now, leaseMs);
  if (!claim) return { status: 'busy' };
  const { row, lostAttempt } = claim;
  const key = row.attemptKey!;
  const sender = deps.senders[row.channel];

  const fail = async (error: string, outcomeUnknown: boolean): Promise<SendOutcome> => {
    await markOutboxFailed(deps.sql, id, key, error, outcomeUnknown);
    return { status: 'failed', error, outcomeUnknown };
  };
  const retry = async (error: string, hintMs?: number): Promise<SendOutcome> => {
    if (row.attempts >= MAX_ATTEMPTS) return fail(`gave up after ${row.attempts} attempts: ${error}`, false);
    const at = new Date(now.getTime() + retryDelayMs(row.attempts, hintMs));
    await markOutboxRetry(deps.sql, id, key, error, at);
    return { status: 'retry', at, error, attempts: row.attempts };
  };

  if (!sender) return retry(`the ${row.channel} channel is not configured for sending`);
  const ctx = await loadSendContext(deps.sql, row);
  if (!ctx.text.trim()) return fail('the outbox row has no text', false);

  if (lostAttempt) {
    if (!sender.confirm) {
      return fail(
        `attempt ${lostAttempt.key} started ${lostAttempt.startedAt.toISOString()} did not finish and ${row.channel} cannot be asked whether it was delivered; not resent (at most once) — check with the resident and resend by hand if needed`,
        true,
      );
    }
    try {
      const found = await sender.confirm(ctx, lostAttempt);
      if (found) {
        await markOutboxSent(deps.sql, id, key, found.providerRef, now);
        return { status: 'sent', providerRef: found.providerRef, confirmed: true };
      }
      if (found === undefined) return fail(`attempt ${lostAttempt.key} did not finish and its delivery cannot be confirmed`, true);
    } catch (err) {
      // cannot look now: keep the row unconfirmed and look again later, never send blind
      const recheckAt = new Date(now.getTime() + retryDelayMs(row.attempts, err instanceof NotDeliveredError ? err.retryAfterMs : undefined));
      await markOutboxUnconfirmed(deps.sql, id, key, `confirming ${lostAttempt.key}: ${(err as Error).message}`, recheckAt);
      return { status: 'unconfirmed', recheckAt, error: (err as Error).message, attempts: row.attempts };
    }
    // confirmed not delivered: send again below
  }

  let providerRef: string;
  try {
    ({ providerRef } = await sender.send(ctx));
  } catch (err) {
    const message = (err as Error).message;
    if (err instanceof NotDeliveredError) return err.permanent ? fail(message, false) : retry(message, err.retryAfterMs);
    if (sender.confirm) {
      const recheckAt = new Date(now.getTime() + retryDelayMs(row.attempts));
      await markOutboxUnconfirmed(deps.sql, id, key, `outcome unknown: ${message}`, recheckAt);
      return { status: 'unconfirmed', recheckAt, error: message, attempts: row.attempts };
    }
    return fail(`outcome unknown, not resent (at most once): ${message}`, true);
  }
  // outside the try: a crash here leaves the row 'sending' exactly as a dead worker would
  await deps.afterProviderCall?.(row);
  await markOutboxSent(deps.sql, id, key, providerRef, now);
  return { status: 'sent', providerRef };
}
