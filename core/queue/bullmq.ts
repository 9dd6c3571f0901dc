// Production jobs: BullMQ on Redis. Producers use BullMqQueue; workers/main.ts runs the consumers.
import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import {
  BACKOFF_BASE_MS,
  isPermanent,
  jobIdFor,
  periodicJobIds,
  parseJobData,
  queueDefinitions,
  QUEUE_NAMES,
  REMOVE_ON_COMPLETE,
  REMOVE_ON_FAIL,
  type BulkJob,
  type EnqueueOptions,
  type JobData,
  type JobQueue,
  type ProcessorMap,
  type QueueName,
} from './contract';

export function redisConnection(url: string): ConnectionOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null, // required by BullMQ workers
    enableOfflineQueue: true,
  };
}

/** The options every job of a queue is added with (the contract's attempts, backoff and retention). */
function jobOptions(name: QueueName, jobId: string, delayMs: number | undefined) {
  return {
    jobId,
    delay: delayMs && delayMs > 0 ? Math.round(delayMs) : undefined,
    attempts: queueDefinitions[name].attempts,
    backoff: { type: 'exponential' as const, delay: BACKOFF_BASE_MS },
    removeOnComplete: REMOVE_ON_COMPLETE,
    removeOnFail: REMOVE_ON_FAIL,
  };
}

export class BullMqQueue implements JobQueue {
  readonly kind = 'bullmq' as const;
  private queues = new Map<QueueName, Queue>();
  private pinger: Redis | undefined;
  private scheduled = new Set<string>();

  constructor(private readonly connection: ConnectionOptions, private readonly prefix: string) {}

  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection, prefix: this.prefix });
      q.on('error', () => {}); // surfaced through healthy(); ioredis reconnects on its own
      this.queues.set(name, q);
    }
    return q;
  }

  async enqueue<Q extends QueueName>(name: Q, data: JobData<Q>, opts: EnqueueOptions = {}): Promise<void> {
    const parsed = parseJobData(name, data);
    const jobId = opts.jobId ?? jobIdFor(name, parsed);
    if (opts.retryFailed || opts.rerunFinished) {
      const kept = await this.queue(name).getJob(jobId);
      const state = kept ? await kept.getState() : undefined;
      if (kept && state === 'failed') {
        await kept.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        return;
      }
      // a completed job keeps its id for dedup: remove it so the add below makes a fresh run
      if (kept && state === 'completed' && opts.rerunFinished) await kept.remove();
    }
    await this.queue(name).add(name, parsed, jobOptions(name, jobId, opts.delayMs));
  }

  async enqueueBulk<Q extends QueueName>(name: Q, jobs: BulkJob<Q>[]): Promise<void> {
    if (!jobs.length) return;
    const bulk = jobs.map((j) => {
      const data = parseJobData(name, j.data);
      return { name, data, opts: jobOptions(name, j.opts?.jobId ?? jobIdFor(name, data), j.opts?.delayMs) };
    });
    // addBulk adds each job with the same script as add (a job id already kept is left as it is), in one MULTI
    await this.queue(name).addBulk(bulk);
  }

  async every(task: JobData<'periodic'>['task'], everyMs: number): Promise<void> {
    const q = this.queue('periodic');
    const id = periodicJobIds.schedule(task);
    // a schedule that is missing although we set it before means Redis lost its data: run the
    // task at once as well, so a flush costs no sweep interval
    const missing = this.scheduled.has(task) && !(await q.getJobScheduler(id));
    await q.upsertJobScheduler(
      id,
      { every: everyMs },
      { name: 'periodic', data: { task }, opts: { attempts: 1, removeOnComplete: REMOVE_ON_COMPLETE, removeOnFail: REMOVE_ON_FAIL } },
    );
    this.scheduled.add(task);
    if (missing) await this.enqueue('periodic', { task }, { jobId: periodicJobIds.restored(task, Date.now()) });
  }

  async healthy(): Promise<boolean> {
    // a separate client that fails fast, so /health answers within its time even with Redis down
    this.pinger ??= new Redis({ ...(this.connection as object), maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    this.pinger.on('error', () => {});
    try {
      if (this.pinger.status === 'wait' || this.pinger.status === 'end') await this.pinger.connect();
      const pong = await Promise.race([
        this.pinger.ping(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('redis timeout')), 2000)),
      ]);
      return pong === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
    this.pinger?.disconnect();
    this.pinger = undefined;
  }
}

export interface WorkerSet {
  workers: Worker[];
  close(): Promise<void>;
}

/**
 * Starts one BullMQ worker per queue that has a processor. One job a processor call: processing
 * several jobs per call is BullMQ Pro's (batches), and on the open-source API a worker that drains
 * ready siblings itself would still move, lock and complete each job with its own Redis calls (so no
 * fewer queue round trips), while one database transaction for several messages would hold their
 * place locks (lockDuplicateKeys) for the whole batch and retry all of them when one fails. The case
 * step stays one message, one transaction (per-message idempotency: the message row lock); its cost
 * is cut inside it instead (round trips pipelined, core/db/cases.ts PIPELINING; timer jobs in one addBulk).
 */
export function startBullMqWorkers(
  connection: ConnectionOptions,
  prefix: string,
  processors: ProcessorMap,
  opts: { concurrency: number; onError: (err: unknown, info: { queue: string; jobId?: string; final?: boolean }) => void },
): WorkerSet {
  const workers: Worker[] = [];
  for (const name of QUEUE_NAMES) {
    const processor = processors[name] as ((d: unknown, j: unknown) => Promise<void>) | undefined;
    if (!processor) continue;
    const worker = new Worker(
      name,
      async (job: Job) => {
        let data: unknown;
        try {
          data = parseJobData(name, job.data);
        } catch (err) {
          throw new UnrecoverableError(`bad job data: ${(err as Error).message}`);
        }
        try {
          await processor(data, { id: job.id ?? '', queue: name, attempt: job.attemptsMade + 1 });
        } catch (err) {
          if (isPermanent(err) && !(err instanceof UnrecoverableError)) throw new UnrecoverableError((err as Error).message);
          throw err;
        }
      },
      { connection, prefix, concurrency: opts.concurrency, autorun: true },
    );
    worker.on('error', (err) => opts.onError(err, { queue: name }));
    // final: no try follows, because the attempts are used up or the error is permanent (BullMQ fails
    // an UnrecoverableError at once, with attempts left)
    worker.on('failed', (job, err) =>
      opts.onError(err, { queue: name, jobId: job?.id, final: !job || isPermanent(err) || job.attemptsMade >= (job.opts.attempts ?? 1) }),
    );
    workers.push(worker);
  }
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
