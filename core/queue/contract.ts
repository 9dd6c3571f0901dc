// The job contract shared by producers (api, cli) and consumers (workers): queue names,
// zod payload schemas, job ids derived from the data (idempotent enqueue), and job options.
import { z } from 'zod';
import { TIMER_DEADLINES, TIMER_KINDS } from '../db/sla-timers';

const id = z.number().int().positive();

export const queueDefinitions = {
  /** normalise → segment → classify → duplicate check → case → route + deadline */
  'process-message': {
    schema: z.object({ messageId: id }),
    jobId: (d: { messageId: number }) => `msg-${d.messageId}`,
    attempts: 5,
  },
  /** send one outbox row (reply or notice) through its channel */
  'send-outbox': {
    schema: z.object({
      outboxId: id,
      /** the row's attempts when the job was made: one job per attempt (BullMQ keeps finished ids, so a retry needs a fresh one) */
      attempts: z.number().int().nonnegative().optional(),
      /** set by the outbox sweep: one job per sweep round, so a finished job of the same attempt cannot hide a row that is due */
      sweepRound: z.number().int().nonnegative().optional(),
    }),
    jobId: (d: { outboxId: number; attempts?: number; sweepRound?: number }) =>
      `out-${d.outboxId}-${d.attempts ?? 0}${d.sweepRound === undefined ? '' : `-s${d.sweepRound}`}`,
    attempts: 8,
  },
  /** one SLA timer firing: reminder, overdue or escalation for one deadline */
  'sla-timer': {
    schema: z.object({
      caseId: id,
      kind: z.enum(TIMER_KINDS),
      deadline: z.enum(TIMER_DEADLINES),
      /** the due time the timer was computed for: a stale timer (deadline moved) does nothing */
      at: z.string().datetime({ offset: true }),
    }),
    jobId: (d: { caseId: number; kind: string; deadline: string; at: string }) =>
      `sla-${d.caseId}-${d.deadline}-${d.kind}-${Date.parse(d.at)}`,
    attempts: 5,
  },
  /** periodic work: re-create missing SLA timers, flush the outbox, poll channels, evaluate alert rules, make due reports */
  'periodic': {
    schema: z.object({ task: z.enum(['sla-sweep', 'outbox-sweep', 'weibo-poll', 'message-sweep', 'topic-sweep', 'alert-sweep', 'report-schedule', 'read-model-sweep']) }),
    jobId: (d: { task: string }) => `periodic-${d.task}`,
    attempts: 1,
  },
} as const;

export type QueueName = keyof typeof queueDefinitions;
export type JobData<Q extends QueueName> = z.infer<(typeof queueDefinitions)[Q]['schema']>;
export const QUEUE_NAMES = Object.keys(queueDefinitions) as QueueName[];

export const BACKOFF_BASE_MS = 1000;
export const REMOVE_ON_COMPLETE = { count: 1000, age: 24 * 3600 };
export const REMOVE_ON_FAIL = { count: 5000, age: 7 * 24 * 3600 };

/** Validates job data at the consumer; bad data is a permanent failure. */
export function parseJobData<Q extends QueueName>(queue: Q, data: unknown): JobData<Q> {
  return queueDefinitions[queue].schema.parse(data) as JobData<Q>;
}

/** The ids of periodic runs, one scheme for both runners: the schedule's own id, one run of it
 * (in-process), and a run made up at once for a schedule Redis lost (BullMQ). */
export const periodicJobIds = {
  schedule: (task: JobData<'periodic'>['task']) => `every-${task}`,
  run: (task: JobData<'periodic'>['task'], n: number) => `every-${task}-${n}`,
  restored: (task: JobData<'periodic'>['task'], at: number) => `${task}-restored-${at}`,
};

export function jobIdFor<Q extends QueueName>(queue: Q, data: JobData<Q>): string {
  return (queueDefinitions[queue].jobId as (d: JobData<Q>) => string)(data);
}

export interface EnqueueOptions {
  /** run no earlier than this many milliseconds from now */
  delayMs?: number;
  /** override the data-derived id (rarely needed) */
  jobId?: string;
  /**
   * a job of the same id that failed for good (attempts used up) runs again, from its first
   * attempt; without this a kept failed job makes the enqueue a no-op, as a waiting or finished one does
   */
  retryFailed?: boolean;
  /**
   * a staff retry: a kept job of the same id that finished, failed or completed, runs again from its
   * first attempt (implies retryFailed); the processors are idempotent, so a run too many does nothing
   */
  rerunFinished?: boolean;
}

/** One job of a bulk enqueue: its data and delay (the id derives from the data, as for enqueue). */
export interface BulkJob<Q extends QueueName> {
  data: JobData<Q>;
  opts?: Pick<EnqueueOptions, 'delayMs' | 'jobId'>;
}

/** The producer side, the same for BullMQ and the in-process runner. */
export interface JobQueue {
  readonly kind: 'bullmq' | 'in-process';
  enqueue<Q extends QueueName>(queue: Q, data: JobData<Q>, opts?: EnqueueOptions): Promise<void>;
  /**
   * Many jobs of one queue in one call (BullMQ addBulk: one Redis round trip). Each is deduplicated by
   * its id exactly as enqueue does it; retryFailed and rerunFinished need a read per job, so they are
   * enqueue's alone.
   */
  enqueueBulk<Q extends QueueName>(queue: Q, jobs: BulkJob<Q>[]): Promise<void>;
  /** run a periodic task every `everyMs` (one schedule across all processes in BullMQ) */
  every(task: JobData<'periodic'>['task'], everyMs: number): Promise<void>;
  /** true when jobs can be accepted right now */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

/** A permanent failure: the job is not retried (BullMQ's UnrecoverableError is recognised by name too). */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnrecoverableError';
  }
}

export function isPermanent(err: unknown): boolean {
  return err instanceof Error && (err.name === 'UnrecoverableError' || err.name === 'ZodError');
}

export interface JobContext<Q extends QueueName = QueueName> {
  id: string;
  queue: Q;
  /** 1 on the first try */
  attempt: number;
}
export type Processor<Q extends QueueName> = (data: JobData<Q>, job: JobContext<Q>) => Promise<void>;
export type ProcessorMap = { [Q in QueueName]?: Processor<Q> };
