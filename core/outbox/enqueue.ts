// Putting a reply or notice in the outbox: one row per idempotency key, then a send job
// (the outbox sweep sends it anyway if the queue is down).
import type { Db } from '../db/connect';
import { insertOutbox, type OutboxInput, type OutboxRow } from '../db/outbox';
import type { JobQueue } from '../queue/contract';

export interface OutboxDeps {
  sql: Db;
  queue: JobQueue;
  log: { warn(obj: object, msg: string): void };
}

export async function queueOutbox(deps: OutboxDeps, input: OutboxInput): Promise<{ row: OutboxRow; created: boolean }> {
  const r = await insertOutbox(deps.sql, input);
  if (r.row.status === 'pending') {
    // the row is stored: a queue that cannot take the job now only delays it until the next outbox sweep
    await scheduleSend(deps.queue, r.row.id, r.row.attempts).catch((err) =>
      deps.log.warn({ err, outboxId: r.row.id }, 'could not enqueue the outbox send; the outbox sweep will send it'),
    );
  }
  return r;
}

/** The send job for the row's next attempt (its id, one per attempt, comes from the job contract). */
export async function scheduleSend(queue: JobQueue, outboxId: number, attempts: number, delayMs = 0): Promise<void> {
  await queue.enqueue('send-outbox', { outboxId, attempts }, { delayMs });
}
