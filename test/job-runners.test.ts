// One conformance suite for the job contract (core/queue/contract.ts), run against both runners:
// the embedded in-process runner and BullMQ on Redis (each BullMQ case under its own queue prefix,
// its keys deleted afterwards). The same cases, the same assertions: what the processors can rely
// on does not depend on the mode the service runs in.
//
// Nothing here measures speed. Waits are on conditions, with limits derived from the work (the
// backoff a retry must sit out, plus a generous allowance for a loaded machine); time is only
// checked from below (a delayed job or a retry never runs early).
import { afterEach, describe, expect, it } from 'vitest';
import { BullMqQueue, redisConnection, startBullMqWorkers } from '../core/queue/bullmq';
import { BACKOFF_BASE_MS, jobIdFor, PermanentJobError, QUEUE_NAMES, type JobQueue, type ProcessorMap } from '../core/queue/contract';
import { InProcessQueue } from '../core/queue/in-process';
import { redisUrlOrNull, uniquePrefix } from './support/db';
import { waitFor } from './support/pipeline';
import { deleteRedisPrefix } from './support/redis';

/** What a job's failure reported: its id and whether it is the last try. */
interface Failure {
  jobId: string;
  final: boolean;
  message: string;
}

interface Running {
  queue: JobQueue;
  failures: Failure[];
  /** jobs waiting, delayed (retries included) or running */
  pending(): Promise<number>;
  close(): Promise<void>;
}

interface Runner {
  name: string;
  /** null when the runner can run here; otherwise why not */
  unavailable(): string | null;
  start(processors: ProcessorMap, opts?: { concurrency?: number }): Running;
}

const inProcess: Runner = {
  name: 'in-process',
  unavailable: () => null,
  start(processors, opts = {}) {
    const failures: Failure[] = [];
    const queue = new InProcessQueue({
      concurrency: opts.concurrency ?? 4,
      onError: (err, job) => failures.push({ jobId: job.id, final: job.final, message: (err as Error).message }),
    });
    queue.register(processors);
    return { queue, failures, pending: async () => queue.pending, close: () => queue.close() };
  },
};

const bullmq: Runner = {
  name: 'bullmq',
  unavailable: () => (redisUrlOrNull() ? null : 'no Redis'),
  start(processors, opts = {}) {
    const url = redisUrlOrNull()!;
    const connection = redisConnection(url);
    const prefix = uniquePrefix();
    const failures: Failure[] = [];
    const queue = new BullMqQueue(connection, prefix);
    const workers = startBullMqWorkers(connection, prefix, processors, {
      concurrency: opts.concurrency ?? 4,
      onError: (err, info) => {
        // worker-level errors (a lost connection) carry no job; they are not job failures
        if (info.jobId !== undefined) failures.push({ jobId: info.jobId, final: info.final ?? true, message: (err as Error).message });
      },
    });
    return {
      queue,
      failures,
      async pending() {
        let n = 0;
        for (const name of QUEUE_NAMES) {
          const counts = await queue.queue(name).getJobCounts('waiting', 'delayed', 'active', 'prioritized', 'paused');
          n += Object.values(counts).reduce((a, b) => a + b, 0);
        }
        return n;
      },
      async close() {
        await workers.close();
        await queue.close();
        await deleteRedisPrefix(url, prefix);
      },
    };
  },
};

// a generous allowance for anything to happen on a loaded 2-core machine (a job to be picked up,
// a delayed job promoted); waits add it to the time the work itself must take
const SLACK_MS = 60_000;
// a test's own limit: its waits plus time to start and stop the runner
const testTimeout = (waitsMs: number) => waitsMs + 2 * SLACK_MS;

let running: Running[] = [];
afterEach(async () => {
  await Promise.all(running.map((r) => r.close()));
  running = [];
});

/** A gate: jobs wait on it until the test opens it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe.each([inProcess, bullmq])('job runner: $name', (runner) => {
  const start = (processors: ProcessorMap, opts?: { concurrency?: number }) => {
    const r = runner.start(processors, opts);
    running.push(r);
    return r;
  };
  const skip = runner.unavailable();
  const test = skip ? it.skip : it;

  test('runs each job id once, also after it completed; ids are per queue', { timeout: testTimeout(2 * SLACK_MS) }, async () => {
    const seen: string[] = [];
    const { queue } = start(
      {
        'process-message': async (d) => void seen.push(`msg ${d.messageId}`),
        'send-outbox': async (d) => void seen.push(`out ${d.outboxId}`),
      },
      { concurrency: 1 },
    );
    await queue.enqueue('process-message', { messageId: 1 });
    await queue.enqueue('process-message', { messageId: 1 });
    await queue.enqueue('process-message', { messageId: 2 });
    // an explicit job id: the same id on another queue is another job
    await queue.enqueue('process-message', { messageId: 3 }, { jobId: 'same' });
    await queue.enqueue('process-message', { messageId: 4 }, { jobId: 'same' });
    await queue.enqueue('send-outbox', { outboxId: 5 }, { jobId: 'same' });
    await waitFor(async () => seen.length >= 4, SLACK_MS, 20);
    // completed ids are remembered: enqueueing one again runs nothing; a later job shows the queue moved past it
    await queue.enqueue('process-message', { messageId: 1 });
    await queue.enqueue('process-message', { messageId: 3 }, { jobId: 'same' });
    await queue.enqueue('process-message', { messageId: 9 });
    await waitFor(async () => seen.includes('msg 9'), SLACK_MS, 20);
    expect(seen.sort()).toEqual(['msg 1', 'msg 2', 'msg 3', 'msg 9', 'out 5']);
  });

  test('gives the processor the data-derived job id and the attempt number', { timeout: testTimeout(SLACK_MS) }, async () => {
    const jobs: { id: string; attempt: number; queue: string }[] = [];
    const { queue } = start({ 'sla-timer': async (_d, job) => void jobs.push({ id: job.id, attempt: job.attempt, queue: job.queue }) });
    const data = { caseId: 7, kind: 'remind', deadline: 'resolve', at: '2026-03-02T17:30:00+08:00' } as const;
    await queue.enqueue('sla-timer', data);
    await waitFor(async () => jobs.length > 0, SLACK_MS, 20);
    expect(jobs).toEqual([{ id: jobIdFor('sla-timer', data), attempt: 1, queue: 'sla-timer' }]);
  });

  test('retries a failing job with exponential backoff until it succeeds', { timeout: testTimeout(3 * BACKOFF_BASE_MS + SLACK_MS) }, async () => {
    const tries: { attempt: number; at: number }[] = [];
    const { queue, failures } = start({
      'process-message': async (_d, job) => {
        tries.push({ attempt: job.attempt, at: Date.now() });
        if (job.attempt < 3) throw new Error(`transient ${job.attempt}`);
      },
    });
    await queue.enqueue('process-message', { messageId: 11 });
    // the work: a wait of 1× then 2× the backoff base before the third try
    await waitFor(async () => tries.length >= 3, 3 * BACKOFF_BASE_MS + SLACK_MS, 50);
    expect(tries.map((t) => t.attempt)).toEqual([1, 2, 3]);
    // never early (a few ms of timer rounding allowed); how late depends on the machine and is not checked
    expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(BACKOFF_BASE_MS - 20);
    expect(tries[2].at - tries[1].at).toBeGreaterThanOrEqual(2 * BACKOFF_BASE_MS - 20);
    expect(failures).toEqual([
      { jobId: 'msg-11', final: false, message: 'transient 1' },
      { jobId: 'msg-11', final: false, message: 'transient 2' },
    ]);
  });

  test('a job that failed for good runs again when enqueued with retryFailed, from its first attempt', { timeout: testTimeout(2 * SLACK_MS) }, async () => {
    const tries: number[] = [];
    let broken = true;
    const { queue, failures, pending } = start({
      // periodic jobs have one attempt: the first failure is final
      periodic: async (_d, job) => {
        tries.push(job.attempt);
        if (broken) throw new Error('sweep failed');
      },
    });
    await queue.enqueue('periodic', { task: 'message-sweep' }, { jobId: 'kept-failed' });
    await waitFor(async () => failures.length >= 1 && (await pending()) === 0, SLACK_MS, 20);
    // the failed job is kept under its id: a plain enqueue is a no-op, as for a finished job
    await queue.enqueue('periodic', { task: 'message-sweep' }, { jobId: 'kept-failed' });
    await queue.enqueue('periodic', { task: 'outbox-sweep' }, { jobId: 'later' });
    await waitFor(async () => tries.length >= 2, SLACK_MS, 20);
    expect(tries).toEqual([1, 1]);
    broken = false;
    await queue.enqueue('periodic', { task: 'message-sweep' }, { jobId: 'kept-failed' });
    await queue.enqueue('periodic', { task: 'message-sweep' }, { jobId: 'kept-failed', retryFailed: true });
    await waitFor(async () => tries.length >= 3, SLACK_MS, 20);
    expect(tries).toEqual([1, 1, 1]);
    await waitFor(async () => (await pending()) === 0, SLACK_MS, 20);
    // it succeeded now: retryFailed on a finished job that did not fail is a no-op
    await queue.enqueue('periodic', { task: 'message-sweep' }, { jobId: 'kept-failed', retryFailed: true });
    await queue.enqueue('periodic', { task: 'outbox-sweep' }, { jobId: 'last' });
    await waitFor(async () => tries.length >= 4, SLACK_MS, 20);
    expect(tries).toHaveLength(4);
  });

  test('a permanent error is not retried; an exhausted job fails for good; other jobs go on', { timeout: testTimeout(2 * SLACK_MS) }, async () => {
    const tries: string[] = [];
    const { queue, failures, pending } = start(
      {
        'process-message': async (d) => {
          tries.push(`msg ${d.messageId}`);
          if (d.messageId === 21) throw new PermanentJobError('no such message');
        },
        // periodic jobs have one attempt
        periodic: async (d) => {
          tries.push(d.task);
          throw new Error('sweep failed');
        },
      },
      { concurrency: 1 },
    );
    await queue.enqueue('process-message', { messageId: 21 });
    await queue.enqueue('periodic', { task: 'outbox-sweep' });
    await queue.enqueue('process-message', { messageId: 22 });
    await waitFor(async () => tries.length >= 3 && failures.length >= 2, SLACK_MS, 20);
    // nothing left waiting or delayed: no retry was scheduled (a retry would sit delayed for its backoff)
    await waitFor(async () => (await pending()) === 0, SLACK_MS, 20, 'no job pending');
    expect(tries.sort()).toEqual(['msg 21', 'msg 22', 'outbox-sweep']);
    expect(failures.map((f) => ({ ...f, jobId: f.jobId.startsWith('periodic') ? 'periodic' : f.jobId })).sort((a, b) => a.jobId.localeCompare(b.jobId))).toEqual([
      { jobId: 'msg-21', final: true, message: 'no such message' },
      { jobId: 'periodic', final: true, message: 'sweep failed' },
    ]);
  });

  test('rejects bad job data at the producer', { timeout: testTimeout(0) }, async () => {
    const { queue } = start({});
    await expect(queue.enqueue('process-message', { messageId: -1 })).rejects.toThrow();
    await expect(queue.enqueue('periodic', { task: 'no-such-task' } as never)).rejects.toThrow();
  });

  test('holds a delayed job until its time; the same id while it waits is the same job', { timeout: testTimeout(SLACK_MS) }, async () => {
    const DELAY = 400;
    const at: { id: number; at: number }[] = [];
    const { queue } = start({ 'send-outbox': async (d) => void at.push({ id: d.outboxId, at: Date.now() }) });
    const t0 = Date.now();
    await queue.enqueue('send-outbox', { outboxId: 31 }, { delayMs: DELAY });
    await queue.enqueue('send-outbox', { outboxId: 31 }); // already waiting: not run at once
    await queue.enqueue('send-outbox', { outboxId: 32 });
    await waitFor(async () => at.some((a) => a.id === 31), DELAY + SLACK_MS, 20);
    expect(at.map((a) => a.id).sort()).toEqual([31, 32]);
    expect(at.find((a) => a.id === 31)!.at - t0).toBeGreaterThanOrEqual(DELAY - 20);
  });

  test('a periodic schedule runs at once and then repeatedly; declaring it again keeps one schedule', { timeout: testTimeout(2 * SLACK_MS) }, async () => {
    const EVERY = 250;
    const runs: number[] = [];
    const hourly: number[] = [];
    const { queue } = start({
      periodic: async (d) => {
        if (d.task === 'message-sweep') runs.push(Date.now());
        if (d.task === 'weibo-poll') hourly.push(Date.now());
      },
    });
    // the first run does not wait for an interval: an hourly task runs within the allowance
    await queue.every('weibo-poll', 3_600_000);
    await waitFor(async () => hourly.length >= 1, SLACK_MS, 10);
    const t0 = Date.now();
    await queue.every('message-sweep', EVERY);
    await queue.every('message-sweep', EVERY);
    await queue.every('message-sweep', EVERY);
    await waitFor(async () => runs.length >= 5, 5 * EVERY + SLACK_MS, 20);
    // one schedule, however often declared: never more runs than intervals elapsed (a slow machine only makes fewer)
    const elapsed = Date.now() - t0;
    expect(runs.length).toBeLessThanOrEqual(Math.floor(elapsed / EVERY) + 2);
    expect(hourly).toHaveLength(1);
  });

  test('runs at most `concurrency` jobs at a time', { timeout: testTimeout(2 * SLACK_MS) }, async () => {
    const g = gate();
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];
    const { queue } = start(
      {
        'process-message': async (d) => {
          inFlight++;
          most = Math.max(most, inFlight);
          await g.opened;
          inFlight--;
          done.push(d.messageId);
        },
      },
      { concurrency: 2 },
    );
    for (let i = 41; i <= 45; i++) await queue.enqueue('process-message', { messageId: i });
    await waitFor(async () => inFlight === 2, SLACK_MS, 20);
    g.open();
    await waitFor(async () => done.length === 5, SLACK_MS, 20);
    expect(most).toBe(2);
    expect(done.sort()).toEqual([41, 42, 43, 44, 45]);
  });

  test('is healthy while open', { timeout: testTimeout(0) }, async () => {
    const { queue } = start({});
    expect(await queue.healthy()).toBe(true);
  });
});
