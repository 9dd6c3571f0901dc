import { afterEach, describe, expect, it } from 'vitest';
import { InProcessQueue } from './in-process';
import { PermanentJobError } from './contract';

let q: InProcessQueue;
afterEach(async () => q?.close());

describe('in-process job runner', () => {
  it('runs each job id once, like BullMQ job ids', async () => {
    q = new InProcessQueue();
    const seen: number[] = [];
    q.register({ 'process-message': async (d) => void seen.push(d.messageId) });
    await q.enqueue('process-message', { messageId: 1 });
    await q.enqueue('process-message', { messageId: 1 });
    await q.enqueue('process-message', { messageId: 2 });
    await q.drain();
    await q.enqueue('process-message', { messageId: 1 }); // completed ids are remembered
    await q.drain();
    expect(seen.sort()).toEqual([1, 2]);
  });

  it('retries a failing job and gives up on a permanent error', async () => {
    q = new InProcessQueue();
    let tries = 0;
    let permanentTries = 0;
    const errors: boolean[] = [];
    q = new InProcessQueue({ onError: (_e, j) => errors.push(j.final) });
    q.register({
      'process-message': async (d) => {
        if (d.messageId === 1) {
          tries++;
          if (tries < 2) throw new Error('transient');
        } else {
          permanentTries++;
          throw new PermanentJobError('no such message');
        }
      },
    });
    await q.enqueue('process-message', { messageId: 1 });
    await q.enqueue('process-message', { messageId: 2 });
    await q.drain(5000);
    expect(tries).toBe(2);
    expect(permanentTries).toBe(1);
    expect(errors.filter((f) => f)).toHaveLength(1);
  });

  it('rejects bad job data at the producer', async () => {
    q = new InProcessQueue();
    await expect(q.enqueue('process-message', { messageId: -1 })).rejects.toThrow();
  });

  it('holds delayed jobs until their time', async () => {
    q = new InProcessQueue();
    const at: number[] = [];
    q.register({ 'send-outbox': async () => void at.push(Date.now()) });
    const t0 = Date.now();
    await q.enqueue('send-outbox', { outboxId: 1 }, { delayMs: 50 });
    expect(at).toHaveLength(0);
    await q.drain(1000);
    expect(at[0] - t0).toBeGreaterThanOrEqual(45);
  });
});
