// Messages the pipeline could not turn into a case: parked as failed (a permanent error) or with
// every attempt of their job used up (a transient error the sweep keeps retrying). Staff see them
// with their error and can send one through the pipeline again.
import type { Db } from './connect';

export interface FailedMessage {
  id: number;
  trackingNo: string;
  channel: string;
  receivedAt: Date;
  storedAt: Date;
  state: string;
  attempts: number;
  lastError: string | null;
  title: string | null;
  excerpt: string;
}

/** Failed or exhausted messages without a case, newest first, with the total. */
export async function listFailedMessages(sql: Db, opts: { minAttempts: number; limit: number; offset: number }): Promise<{ total: number; items: FailedMessage[] }> {
  const where = sql`case_id IS NULL AND (state = 'failed' OR (state IN ('received', 'processing') AND attempts >= ${opts.minAttempts} AND last_error IS NOT NULL))`;
  const [{ total }] = await sql<{ total: number }[]>`SELECT count(*)::int AS total FROM messages WHERE ${where}`;
  const items = await sql<FailedMessage[]>`
    SELECT id, tracking_no, channel, received_at, stored_at, state, attempts, last_error, title, left(body, 400) AS excerpt
    FROM messages WHERE ${where} ORDER BY stored_at DESC, id DESC LIMIT ${opts.limit} OFFSET ${opts.offset}`;
  return { total, items };
}

/**
 * Takes a failed message out of the failed state for one more run through the pipeline (its
 * error is kept until a run succeeds). Undefined when there is no such message; `alreadyOnCase`
 * when it has a case by now.
 */
export async function reopenFailedMessage(sql: Db, id: number): Promise<{ id: number; state: string; alreadyOnCase: boolean } | undefined> {
  const [row] = await sql<{ id: number; state: string; caseId: number | null }[]>`
    UPDATE messages SET state = CASE WHEN state = 'failed' AND case_id IS NULL THEN 'received' ELSE state END
    WHERE id = ${id} RETURNING id, state, case_id`;
  return row && { id: row.id, state: row.state, alreadyOnCase: row.caseId !== null };
}
