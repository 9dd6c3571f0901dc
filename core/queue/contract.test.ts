// One job-id scheme per queue, defined in the contract: every producer of send-outbox jobs (a new
// reply after commit, a retry, the outbox sweep) gets its id from jobIdFor, so the runners dedupe alike.
import { describe, expect, it } from 'vitest';
import { scheduleSend } from '../outbox/enqueue';
import { jobIdFor } from './contract';
import { InProcessQueue } from './in-process';

describe('send-outbox job ids', () => {
  it('are one per row and attempt, and one per sweep round', () => {
    expect(jobIdFor('send-outbox', { outboxId: 5 })).toBe('out-5-0');
    expect(jobIdFor('send-outbox', { outboxId: 5, attempts: 0 })).toBe('out-5-0');
    expect(jobIdFor('send-outbox', { outboxId: 5, attempts: 2 })).toBe('out-5-2');
    expect(jobIdFor('send-outbox', { outboxId: 5, attempts: 2, sweepRound: 7 })).toBe('out-5-2-s7');
    expect(jobIdFor('send-outbox', { outboxId: 5, attempts: 2, sweepRound: 0 })).toBe('out-5-2-s0');
  });

  it('dedupe a repeated schedule of the same attempt; a retry or a sweep round is a new job', async () => {
    const q = new InProcessQueue({ concurrency: 1 });
    const ran: string[] = []; // processors see the job id as BullMQ gives it (the conformance suite holds both runners to it)
    q.register({ 'send-outbox': async (_d, job) => void ran.push(job.id) });
    await scheduleSend(q, 9, 0);
    await scheduleSend(q, 9, 0);
    await q.enqueue('send-outbox', { outboxId: 9 }); // what a caller without an attempt count makes: the same job
    await q.drain();
    expect(ran).toEqual(['out-9-0']);
    await scheduleSend(q, 9, 1);
    await q.enqueue('send-outbox', { outboxId: 9, attempts: 1, sweepRound: 3 });
    await q.enqueue('send-outbox', { outboxId: 9, attempts: 1, sweepRound: 3 });
    await q.drain();
    expect(ran).toEqual(['out-9-0', 'out-9-1', 'out-9-1-s3']);
    await q.close();
  });
});
