// 受理, the one intake path of every channel (webhooks, the portal form, imports, the Weibo poller):
// store first, then enqueue. A stored message is never lost: if the queue is down the periodic
// message sweep enqueues it later. What cannot be read is kept in rejects with the reason.
import type { Db } from '../db/connect';
import { insertMessage, insertMessages, markMessageWithoutCase, type StoredMessage } from '../db/messages';
import { insertPhotos } from '../db/photos';
import { insertReject } from '../db/rejects';
import type { CleanPhoto } from '../photos/image';
import type { JobQueue } from '../queue/contract';
import { incomingMessageSchema, type IncomingMessageInput } from './incoming';

export interface IntakeDeps {
  sql: Db;
  queue: JobQueue;
  /** the queue could not take the job now (the message sweep will) */
  onQueueError?: (err: unknown) => void;
  /** how long the answer may wait for the queue; default ENQUEUE_WAIT_MS */
  enqueueWaitMs?: number;
}

/**
 * The longest a resident's answer waits for the queue. A queue that is down (Redis unreachable:
 * BullMQ holds the command until it reconnects) must not hold the request: the message is stored,
 * the answer goes out, and the message sweep enqueues it later.
 */
export const ENQUEUE_WAIT_MS = 2_000;

class EnqueueTimeout extends Error {
  constructor(ms: number) {
    super(`the queue did not take the job within ${ms} ms; the message sweep will enqueue it`);
    this.name = 'EnqueueTimeout';
  }
}

/** Enqueues the message's job, waiting at most `enqueueWaitMs`; false when the queue did not take it in time. */
async function enqueueBounded(deps: IntakeDeps, messageId: number): Promise<boolean> {
  const ms = deps.enqueueWaitMs ?? ENQUEUE_WAIT_MS;
  const pending = deps.queue.enqueue('process-message', { messageId });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([pending, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new EnqueueTimeout(ms)), ms)))]);
    return true;
  } catch (err) {
    pending.catch(() => {}); // it may still land when the queue comes back: the job id makes that harmless
    deps.onQueueError?.(err);
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export interface IntakeResult {
  message: StoredMessage;
  created: boolean;
  /** false when the queue could not take the job now (the sweep will) */
  enqueued: boolean;
}

/**
 * A resident's message: stored, then queued for the pipeline (the message sweep covers a queue outage).
 * `photos` (already checked and cleaned) are stored in the message's own transaction: the message is
 * never kept without the photos sent with it, nor the photos without it.
 */
export async function acceptMessage(
  deps: IntakeDeps,
  input: IncomingMessageInput,
  opts: { submitter?: string | null; photos?: CleanPhoto[] } = {},
): Promise<IntakeResult> {
  const incoming = incomingMessageSchema.parse(input);
  const photos = opts.photos ?? [];
  const { message, created } = photos.length && 'begin' in deps.sql
    ? await deps.sql.begin(async (tx) => {
        const r = await insertMessage(tx, incoming, opts);
        if (r.created) await insertPhotos(tx, r.message.id, photos, 'intake');
        return r;
      })
    : await insertMessage(deps.sql, incoming, opts);
  const enqueued = message.state !== 'processed' && message.state !== 'failed' ? await enqueueBounded(deps, message.id) : false;
  return { message, created, enqueued };
}

/** Bulk intake for imports, the Weibo poller and the demo: chunked inserts, then one job per new message. */
export async function acceptMessages(deps: IntakeDeps, inputs: IncomingMessageInput[]): Promise<{ created: StoredMessage[]; duplicates: number }> {
  const items = inputs.map((i) => incomingMessageSchema.parse(i));
  const result = await insertMessages(deps.sql, items);
  // stored is safe: once the queue does not take a job in time, the sweep enqueues the rest
  for (const m of result.created) if (!(await enqueueBounded(deps, m.id))) break;
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
