// 答复 to residents: one outbox row per message on the case (merged duplicates included), each
// through the channel the message came in by, with an idempotency key per message and reply.
import type { Db } from '../db/connect';
import type { CaseRow } from '../db/cases';

export function replyIdempotencyKey(caseId: number, replyAt: Date, messageId: number): string {
  return `reply:${caseId}:${replyAt.getTime()}:${messageId}`;
}

/** Inserts the rows (a replayed reply inserts nothing new); returns the ids of the rows inserted now. */
export async function queueReplyToResidents(sql: Db, c: Pick<CaseRow, 'id' | 'trackingNo'>, text: string, at: Date): Promise<number[]> {
  const messages = await sql<{ id: number; channel: string; trackingNo: string; recipient: string | null; account: string | null }[]>`
    SELECT id, channel, tracking_no AS "trackingNo", coalesce(contact_phone, contact_handle) AS recipient, account
    FROM messages WHERE case_id = ${c.id} ORDER BY received_at, id`;
  if (!messages.length) return [];
  const rows = messages.map((m) => ({
    idempotency_key: replyIdempotencyKey(c.id, at, m.id),
    case_id: c.id,
    message_id: m.id,
    channel: m.channel,
    recipient: m.recipient,
    kind: 'reply',
    payload: JSON.stringify({
      trackingNo: m.trackingNo,
      caseTrackingNo: c.trackingNo,
      account: m.account,
      text,
      // the resident rates with their own tracking number and 查询码 (never sent in clear here)
      ratePath: `/api/v1/messages/${m.trackingNo}/rating`,
    }),
    next_attempt_at: at,
  }));
  const inserted = await sql<{ id: number }[]>`
    INSERT INTO outbox (idempotency_key, case_id, message_id, channel, recipient, kind, payload, next_attempt_at)
    SELECT r.idempotency_key, r.case_id, r.message_id, r.channel, r.recipient, r.kind, r.payload::jsonb, r.next_attempt_at::timestamptz
    FROM jsonb_to_recordset(${sql.json(rows as never)}) AS r(idempotency_key text, case_id bigint, message_id bigint, channel text,
      recipient text, kind text, payload text, next_attempt_at text)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id`;
  return inserted.map((r) => r.id);
}
