// The outbox of replies and notices: each row is claimed with a lease (status 'sending' +
// locked_until + an attempt key) and every later write is fenced by that attempt key.
import type { Db } from './connect';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

export interface OutboxRow {
  id: number;
  idempotencyKey: string;
  caseId: number | null;
  messageId: number | null;
  channel: string;
  recipient: string | null;
  kind: string;
  payload: Record<string, unknown>;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lockedUntil: Date | null;
  lastError: string | null;
  providerRef: string | null;
  attemptKey: string | null;
  attemptStartedAt: Date | null;
  outcomeUnknown: boolean;
  createdAt: Date;
  sentAt: Date | null;
}

const columns = (sql: Db) => sql`
  id, idempotency_key, case_id, message_id, channel, recipient, kind, payload,
  status, attempts, next_attempt_at, locked_until, last_error,
  provider_ref, attempt_key, attempt_started_at,
  outcome_unknown, created_at, sent_at`;

export interface OutboxInput {
  idempotencyKey: string;
  caseId?: number | null;
  messageId?: number | null;
  channel: string;
  recipient?: string | null;
  kind: string;
  payload: Record<string, unknown>;
  notBefore?: Date;
}

/**
 * The one writer of the outbox: inserts each row once per idempotency key and returns the rows
 * inserted now (a replayed key inserts nothing).
 */
export async function insertOutboxRows(sql: Db, list: OutboxInput[]): Promise<OutboxRow[]> {
  if (!list.length) return [];
  const now = new Date();
  const rows = list.map((o) => ({
    idempotencyKey: o.idempotencyKey, caseId: o.caseId ?? null, messageId: o.messageId ?? null, channel: o.channel,
    recipient: o.recipient ?? null, kind: o.kind, payload: sql.json(o.payload as never), nextAttemptAt: o.notBefore ?? now,
  }));
  return sql<OutboxRow[]>`
    INSERT INTO outbox ${sql(rows as never, 'idempotencyKey', 'caseId', 'messageId', 'channel', 'recipient', 'kind', 'payload', 'nextAttemptAt')}
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING ${columns(sql)}`;
}

/** Inserts once per idempotency key; a repeat returns the existing row with created=false. */
export async function insertOutbox(sql: Db, o: OutboxInput): Promise<{ row: OutboxRow; created: boolean }> {
  const [inserted] = await insertOutboxRows(sql, [o]);
  if (inserted) return { row: inserted, created: true };
  const [existing] = await sql<OutboxRow[]>`SELECT ${columns(sql)} FROM outbox WHERE idempotency_key = ${o.idempotencyKey}`;
  return { row: existing, created: false };
}

export async function getOutbox(sql: Db, id: number): Promise<OutboxRow | undefined> {
  const [row] = await sql<OutboxRow[]>`SELECT ${columns(sql)} FROM outbox WHERE id = ${id}`;
  return row;
}

export interface Claim {
  row: OutboxRow;
  /** set when the claim took over a lease that ran out: that attempt may have reached the provider */
  lostAttempt: { key: string; startedAt: Date } | null;
}

/** Takes the row for one attempt if it is due and nobody holds a live lease on it. */
export async function claimOutbox(sql: Db, id: number, now: Date, leaseMs: number): Promise<Claim | undefined> {
  const [row] = await sql<(OutboxRow & { prevStatus: OutboxStatus; prevKey: string | null; prevStartedAt: Date | null })[]>`
    WITH prev AS (
      SELECT id AS prev_id, status AS prev_status, attempt_key AS prev_key, attempt_started_at AS prev_started_at
      FROM outbox WHERE id = ${id} FOR UPDATE
    )
    UPDATE outbox o SET status = 'sending', attempts = o.attempts + 1, locked_until = ${new Date(now.getTime() + leaseMs)},
      attempt_key = o.id || '-' || (o.attempts + 1), attempt_started_at = ${now}
    FROM prev
    WHERE o.id = prev.prev_id
      AND ((o.status = 'pending' AND o.next_attempt_at <= ${now}) OR (o.status = 'sending' AND o.locked_until < ${now}))
    RETURNING ${columns(sql)}, prev_status, prev_key, prev_started_at`;
  if (!row) return undefined;
  const { prevStatus, prevKey, prevStartedAt, ...rest } = row;
  return {
    row: rest,
    lostAttempt: prevStatus === 'sending' && prevKey ? { key: prevKey, startedAt: prevStartedAt ?? now } : null,
  };
}

/** Every write below is fenced by the attempt key: false when another attempt owns the row now. */
export async function markOutboxSent(sql: Db, id: number, attemptKey: string, providerRef: string, now: Date): Promise<boolean> {
  const r = await sql`UPDATE outbox SET status = 'sent', sent_at = ${now}, provider_ref = ${providerRef}, locked_until = NULL, last_error = NULL
    WHERE id = ${id} AND attempt_key = ${attemptKey} AND status = 'sending'`;
  return r.count === 1;
}

export async function markOutboxRetry(sql: Db, id: number, attemptKey: string, error: string, nextAttemptAt: Date): Promise<boolean> {
  const r = await sql`UPDATE outbox SET status = 'pending', next_attempt_at = ${nextAttemptAt}, locked_until = NULL, last_error = ${error.slice(0, 2000)}
    WHERE id = ${id} AND attempt_key = ${attemptKey} AND status = 'sending'`;
  return r.count === 1;
}

export async function markOutboxFailed(sql: Db, id: number, attemptKey: string, error: string, outcomeUnknown: boolean): Promise<boolean> {
  const r = await sql`UPDATE outbox SET status = 'failed', locked_until = NULL, last_error = ${error.slice(0, 2000)}, outcome_unknown = ${outcomeUnknown}
    WHERE id = ${id} AND attempt_key = ${attemptKey} AND status = 'sending'`;
  return r.count === 1;
}

/** Keeps the row 'sending' with a lease that runs out at `recheckAt`: the next claim then checks with the provider. */
export async function markOutboxUnconfirmed(sql: Db, id: number, attemptKey: string, error: string, recheckAt: Date): Promise<boolean> {
  const r = await sql`UPDATE outbox SET locked_until = ${recheckAt}, last_error = ${error.slice(0, 2000)}
    WHERE id = ${id} AND attempt_key = ${attemptKey} AND status = 'sending'`;
  return r.count === 1;
}

/** Rows due now: pending ones whose time has come and 'sending' ones whose lease ran out. */
export async function listDueOutboxIds(sql: Db, now: Date, limit = 500): Promise<{ id: number; attempts: number }[]> {
  return sql<{ id: number; attempts: number }[]>`
    SELECT id, attempts FROM outbox
    WHERE (status = 'pending' AND next_attempt_at <= ${now}) OR (status = 'sending' AND locked_until < ${now})
    ORDER BY next_attempt_at, id LIMIT ${limit}`;
}
