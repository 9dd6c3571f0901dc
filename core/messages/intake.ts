// 受理: store first, then enqueue. A stored message is never lost: if the queue is down the
// periodic message sweep enqueues it later.
import type { Sql } from '../db/connect';
import { insertMessage, insertMessages, type StoredMessage } from '../db/messages';
import type { JobQueue } from '../queue/contract';
import { incomingMessageSchema, type IncomingMessageInput } from './incoming';

export interface IntakeResult {
  message: StoredMessage;
  created: boolean;
  /** false when the queue could not take the job now (the sweep will) */
  enqueued: boolean;
}

export async function acceptMessage(
  deps: { sql: Sql; queue: JobQueue; onQueueError?: (err: unknown) => void },
  input: IncomingMessageInput,
): Promise<IntakeResult> {
  const incoming = incomingMessageSchema.parse(input);
  const { message, created } = await insertMessage(deps.sql, incoming);
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
  deps: { sql: Sql; queue: JobQueue },
  inputs: IncomingMessageInput[],
): Promise<{ created: StoredMessage[]; duplicates: number }> {
  const items = inputs.map((i) => incomingMessageSchema.parse(i));
  const result = await insertMessages(deps.sql, items);
  for (const m of result.created) await deps.queue.enqueue('process-message', { messageId: m.id });
  return result;
}
