// 受理, the one intake path of every channel (webhooks, the portal form, imports, the Weibo poller):
// store first, then enqueue. A stored message is never lost: if the queue is down the periodic
// message sweep enqueues it later. What cannot be read is kept in rejects with the reason.
import type { Db } from '../db/connect';
import { insertMessage, insertMessages, markMessageWithoutCase, type StoredMessage } from '../db/messages';
import { insertReject } from '../db/rejects';
import type { JobQueue } from '../queue/contract';
import { incomingMessageSchema, type IncomingMessageInput } from './incoming';

export interface IntakeDeps {
  sql: Db;
  queue: JobQueue;
  /** the queue could not take the job now (the message sweep will) */
  onQueueError?: (err: unknown) => void;
}

export interface IntakeResult {
  message: StoredMessage;
  created: boolean;
  /** false when the queue could not take the job now (the sweep will) */
  enqueued: boolean;
}

/** A resident's message: stored, then queued for the pipeline (the message sweep covers a queue outage). */
export async function acceptMessage(deps: IntakeDeps, input: IncomingMessageInput, opts: { submitter?: string | null } = {}): Promise<IntakeResult> {
  const incoming = incomingMessageSchema.parse(input);
  const { message, created } = await insertMessage(deps.sql, incoming, opts);
  let enqueued = false;
  if (message.state !== 'processed') {
    try {
      await deps.queue.enqueue('process-message', { messageId: message.id });
      enqueued = true;
    } catch (err) {
      deps.onQueueError?.(err);
    }
  }
  return { message, created, enqueued };
}

/** Bulk intake for imports and the demo: chunked inserts, then one job per new message. */
export async function acceptMessages(
  deps: { sql: Db; queue: JobQueue },
  inputs: IncomingMessageInput[],
): Promise<{ created: StoredMessage[]; duplicates: number }> {
  const items = inputs.map((i) => incomingMessageSchema.parse(i));
  const result = await insertMessages(deps.sql, items);
  for (const m of result.created) await deps.queue.enqueue('process-message', { messageId: m.id });
  return result;
}

/** A record that is not a request (subscribe, menu click): stored once, never turned into a case. */
export async function acceptRecordOnly(deps: { sql: Db }, input: IncomingMessageInput, note: string): Promise<{ message: StoredMessage; created: boolean }> {
  const r = await insertMessage(deps.sql, incomingMessageSchema.parse(input));
  if (r.created) await markMessageWithoutCase(deps.sql, r.message.id, note);
  return r;
}

/** A payload that cannot be read: kept with the reason, never dropped. */
export async function rejectPayload(sql: Db, channel: string, raw: string, contentType: string | undefined, reason: string, details?: Record<string, unknown>): Promise<number> {
  return insertReject(sql, { channel, raw, contentType: contentType ?? null, reason, details });
}
