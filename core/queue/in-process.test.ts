// What only the in-process runner has (drain, close semantics, the bound on remembered ids). The job
// contract itself (dedupe, retries, delays, schedules, failures) is one suite for both runners:
// test/job-runners.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessQueue } from './in-process';

let q: InProcessQueue;
afterEach(async () => q?.close());

describe('in-process job runner', () => {
  it('drain() waits for waiting and running jobs, and for delayed ones within its horizon', async () => {
    q = new InProcessQueue({ concurrency: 1 });
    const done: number[] = [];
    q.register({ 'process-message': async (d) => void done.push(d.messageId) });
    await q.enqueue('process-message', { messageId: 1 });
    await q.enqueue('process-message', { messageId: 2 });
    await q.enqueue('process-message', { messageId: 3 }, { delayMs: 3_600_000 });
    await q.enqueue('process-message', { messageId: 4 }, { delayMs: 30 });
    await q.drain();
    expect(done).toEqual([1, 2]);
    // a horizon of an hour less a minute takes in the 30 ms job, not the hourly one
    await q.drain(3_540_000);
    expect(done).toEqual([1, 2, 4]);
  });

  it('remembers only the last `rememberCompleted` ids', async () => {
    q = new InProcessQueue({ rememberCompleted: 2 });
    const done: number[] = [];
    q.register({ 'process-message': async (d) => void done.push(d.messageId) });
    for (const id of [1, 2, 3]) await q.enqueue('process-message', { messageId: id });
    await q.drain();
    // 3 is still remembered; 1 was forgotten and runs again
    for (const id of [3, 1]) await q.enqueue('process-message', { messageId: id });
    await q.drain();
    expect(done).toEqual([1, 2, 3, 1]);
  });

  it('close() lets a running job finish, drops what waits, and refuses new jobs', async () => {
    q = new InProcessQueue({ concurrency: 1 });
    let release!: () => void;
    const started: number[] = [];
    const finished: number[] = [];
    q.register({
      'process-message': async (d) => {
        started.push(d.messageId);
        if (d.messageId === 1) await new Promise<void>((r) => (release = r));
        finished.push(d.messageId);
      },
    });
    await q.enqueue('process-message', { messageId: 1 });
    await q.enqueue('process-message', { messageId: 2 });
    expect(started).toEqual([1]);
    const closing = q.close();
    release();
    await closing;
    expect(finished).toEqual([1]);
    expect(await q.healthy()).toBe(false);
    await expect(q.enqueue('process-message', { messageId: 3 })).rejects.toThrow(/closed/);
    await expect(q.every('outbox-sweep', 1000)).rejects.toThrow(/closed/);
  });
});
