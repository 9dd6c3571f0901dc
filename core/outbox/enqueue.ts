// Putting a reply or notice in the outbox: one row per idempotency key, then a send job
// (the outbox sweep sends it anyway if the queue is down).
import type { Sql } from '../db/connect';
import { insertOutbox, type OutboxInput, type OutboxRow } from '../db/outbox';
import type { JobQueue } from '../queue/contract';

export async function queueOutbox(deps: { sql: Sql; queue: JobQueue }, input: OutboxInput): Promise<{ row: OutboxRow; created: boolean }> {
  const r = await insertOutbox(deps.sql, input);
  if (r.row.status === 'pending') await scheduleSend(deps.queue, r.row.id, r.row.attempts).catch(() => {});
  return r;
}

/** One job per attempt: BullMQ keeps finished job ids, so a retry needs a fresh id. */
export async function scheduleSend(queue: JobQueue, outboxId: number, attempts: number, delayMs = 0): Promise<void> {
  await queue.enqueue('send-outbox', { outboxId }, { jobId: `out-${outboxId}-${attempts}`, delayMs });
}
