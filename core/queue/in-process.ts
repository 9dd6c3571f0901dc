// The embedded mode's job runner: the same processors as the BullMQ workers, the same
// job-id deduplication, retries with exponential backoff and delayed jobs, all in this process.
import {
  BACKOFF_BASE_MS,
  isPermanent,
  jobIdFor,
  periodicJobIds,
  parseJobData,
  queueDefinitions,
  type BulkJob,
  type EnqueueOptions,
  type JobData,
  type JobQueue,
  type ProcessorMap,
  type QueueName,
} from './contract';

interface PendingJob {
  /** `${queue}:${jobId}`: job ids are unique per queue, as in BullMQ */
  key: string;
  /** the job id the processor sees (the same id BullMQ gives it) */
  id: string;
  queue: QueueName;
  data: unknown;
  attempt: number;
  runAt: number;
}

export interface InProcessOptions {
  concurrency?: number;
  onError?: (err: unknown, job: { id: string; queue: QueueName; attempt: number; final: boolean }) => void;
  /** how many finished job ids to remember for deduplication (as BullMQ's removeOnComplete) */
  rememberCompleted?: number;
}

export class InProcessQueue implements JobQueue {
  readonly kind = 'in-process' as const;
  private processors: ProcessorMap = {};
  private ready: PendingJob[] = [];
  private timers = new Map<string, NodeJS.Timeout>();
  private known = new Set<string>(); // waiting, delayed or running
  private completed: string[] = [];
  private completedSet = new Set<string>();
  /** the finished ids that failed for good (a subset of completedSet) */
  private failedSet = new Set<string>();
  private running = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  readonly stats = { completed: 0, failed: 0, retried: 0 };

  constructor(private readonly opts: InProcessOptions = {}) {}

  /** Attach the processors (the same functions the BullMQ workers run). */
  register(processors: ProcessorMap): void {
    this.processors = { ...this.processors, ...processors };
    this.pump();
  }

  async enqueue<Q extends QueueName>(queue: Q, data: JobData<Q>, opts: EnqueueOptions = {}): Promise<void> {
    if (this.closed) throw new Error('job queue is closed');
    const parsed = parseJobData(queue, data);
    const id = opts.jobId ?? jobIdFor(queue, parsed);
    const key = `${queue}:${id}`;
    if ((opts.retryFailed && this.failedSet.has(key)) || (opts.rerunFinished && this.completedSet.has(key))) {
      this.failedSet.delete(key);
      this.completedSet.delete(key);
    }
    this.add(queue, id, parsed, opts.delayMs);
  }

  async enqueueBulk<Q extends QueueName>(queue: Q, jobs: BulkJob<Q>[]): Promise<void> {
    if (this.closed) throw new Error('job queue is closed');
    // all parsed before any is added: a bad job adds none, as BullMQ's addBulk (one transaction)
    const parsed = jobs.map((j) => ({ data: parseJobData(queue, j.data), opts: j.opts ?? {} }));
    for (const j of parsed) this.add(queue, j.opts.jobId ?? jobIdFor(queue, j.data), j.data, j.opts.delayMs);
  }

  private add(queue: QueueName, id: string, data: unknown, delayMs: number | undefined): void {
    const key = `${queue}:${id}`;
    if (this.known.has(key) || this.completedSet.has(key)) return; // same id, same job: BullMQ semantics
    this.known.add(key);
    this.schedule({ key, id, queue, data, attempt: 1, runAt: Date.now() + Math.max(0, delayMs ?? 0) });
  }

  async healthy(): Promise<boolean> {
    return !this.closed;
  }

  /** Jobs waiting, delayed (a retry included) or running: BullMQ's waiting + delayed + active. */
  get pending(): number {
    return this.known.size;
  }

  private intervals = new Map<string, { timer: NodeJS.Timeout; everyMs: number }>();
  private fired = 0;
  /**
   * As BullMQ's job schedulers: the first run is due at once, then one every `everyMs`; declaring the
   * same schedule again changes nothing, a new interval replaces the old one (and starts at once).
   */
  async every(task: JobData<'periodic'>['task'], everyMs: number): Promise<void> {
    if (this.closed) throw new Error('job queue is closed');
    const current = this.intervals.get(task);
    if (current?.everyMs === everyMs) return;
    if (current) clearInterval(current.timer);
    const fire = () => void this.enqueue('periodic', { task }, { jobId: periodicJobIds.run(task, ++this.fired) }).catch(() => {});
    const timer = setInterval(fire, everyMs);
    timer.unref?.();
    this.intervals.set(task, { timer, everyMs });
    fire();
  }

  /** Resolves when nothing is waiting or running (delayed jobs further than `horizonMs` ignored). */
  async drain(horizonMs = 0): Promise<void> {
    const busy = () =>
      this.running > 0 || this.ready.length > 0 || (horizonMs > 0 && this.hasDelayedWithin(horizonMs));
    while (busy()) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  private delayedRunAt = new Map<string, number>();
  private hasDelayedWithin(ms: number): boolean {
    const limit = Date.now() + ms;
    for (const at of this.delayedRunAt.values()) if (at <= limit) return true;
    return false;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const { timer } of this.intervals.values()) clearInterval(timer);
    this.intervals.clear();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.delayedRunAt.clear();
    this.ready = [];
    // let running jobs finish so nothing is cut off halfway
    while (this.running > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.notifyIdle();
  }

  private schedule(job: PendingJob): void {
    const delay = job.runAt - Date.now();
    if (delay <= 0) {
      this.ready.push(job);
      this.pump();
      return;
    }
    // setTimeout caps at ~24.8 days; re-arm for longer delays
    const step = Math.min(delay, 2 ** 31 - 1);
    this.delayedRunAt.set(job.key, job.runAt);
    const timer = setTimeout(() => {
      this.timers.delete(job.key);
      this.delayedRunAt.delete(job.key);
      if (!this.closed) this.schedule(job);
    }, step);
    timer.unref?.();
    this.timers.set(job.key, timer);
  }

  private pump(): void {
    const limit = this.opts.concurrency ?? 4;
    while (!this.closed && this.running < limit && this.ready.length > 0) {
      const idx = this.ready.findIndex((j) => this.processors[j.queue]);
      if (idx < 0) break;
      const [job] = this.ready.splice(idx, 1);
      this.running++;
      void this.run(job).finally(() => {
        this.running--;
        this.pump();
        this.notifyIdle();
      });
    }
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private async run(job: PendingJob): Promise<void> {
    const processor = this.processors[job.queue] as ((d: unknown, j: unknown) => Promise<void>) | undefined;
    if (!processor) return;
    const maxAttempts = queueDefinitions[job.queue].attempts;
    try {
      await processor(job.data, { id: job.id, queue: job.queue, attempt: job.attempt });
      this.stats.completed++;
      this.finish(job.key);
    } catch (err) {
      const final = isPermanent(err) || job.attempt >= maxAttempts;
      this.opts.onError?.(err, { id: job.id, queue: job.queue, attempt: job.attempt, final });
      if (final || this.closed) {
        this.stats.failed++;
        this.finish(job.key);
        this.failedSet.add(job.key);
        return;
      }
      this.stats.retried++;
      this.schedule({ ...job, attempt: job.attempt + 1, runAt: Date.now() + BACKOFF_BASE_MS * 2 ** (job.attempt - 1) });
    }
  }

  private finish(key: string): void {
    this.known.delete(key);
    this.completedSet.add(key);
    this.completed.push(key);
    const keep = this.opts.rememberCompleted ?? 1000;
    while (this.completed.length > keep) {
      const gone = this.completed.shift()!;
      this.completedSet.delete(gone);
      this.failedSet.delete(gone);
    }
  }
}
