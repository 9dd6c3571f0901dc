// 答复 to residents: one outbox row per message on the case (merged duplicates included), each
// through the channel the message came in by, with an idempotency key per message and reply.
import type { Db } from '../db/connect';
import type { CaseRow } from '../db/cases';
import { listReplyRecipients } from '../db/messages';
import { insertOutboxRows } from '../db/outbox';

export function replyIdempotencyKey(caseId: number, replyAt: Date, messageId: number): string {
  return `reply:${caseId}:${replyAt.getTime()}:${messageId}`;
}

/** Inserts the rows (a replayed reply inserts nothing new); returns the ids of the rows inserted now. */
export async function queueReplyToResidents(sql: Db, c: Pick<CaseRow, 'id' | 'trackingNo'>, text: string, at: Date): Promise<number[]> {
  const recipients = await listReplyRecipients(sql, c.id);
  const inserted = await insertOutboxRows(sql, recipients.map((m) => ({
    idempotencyKey: replyIdempotencyKey(c.id, at, m.id),
    caseId: c.id,
    messageId: m.id,
    channel: m.channel,
    recipient: m.recipient,
    kind: 'reply',
    payload: {
      trackingNo: m.trackingNo,
      caseTrackingNo: c.trackingNo,
      account: m.account,
      text,
      // the resident rates with their own tracking number and 查询码 (never sent in clear here)
      ratePath: `/api/v1/messages/${m.trackingNo}/rating`,
    },
    notBefore: at,
  })));
  return inserted.map((r) => r.id);
}
