// What one case step (the worker's openCaseForMessage: lock, duplicate check, open or merge, timers),
// or with `topic` one 舆情 topic step (assignMessageToTopic, right after the message's case step, which
// is not counted), costs the
// database and the queue: statements and round trips counted on the wire by a loopback
// proxy that reads the PostgreSQL protocol, queue calls counted at the JobQueue, and the CPU of the
// PostgreSQL processes serving the run (/proc). Used by case-step-run.ts and the pipeline bench.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { openCaseForMessage } from '../../core/cases/open-case-for-message';
import { termCounts } from '../../core/opinion/term-counts';
import { assignMessageToTopic } from '../../core/opinion/topics';
import { shippedRouter } from '../../core/cases/routing';
import { backendPids, createSchema, dropSchema } from '../../core/db/bench';
import { connectDatabase, type Database } from '../../core/db/connect';
import { insertMessages } from '../../core/db/messages';
import { migrate } from '../../core/db/migrate';
import { seedReferenceData } from '../../core/db/reference-data';
import { loadDepartments } from '../../core/cases/routing';
import { BullMqQueue, redisConnection } from '../../core/queue/bullmq';
import type { BulkJob, EnqueueOptions, JobData, JobQueue, QueueName } from '../../core/queue/contract';
import { InProcessQueue } from '../../core/queue/in-process';
import { loadShipped } from '../../core/shipped/index';
import { benchTexts, deleteRedisPrefix } from './common';

/** Frontend and backend messages counted on the wire. */
export interface WireCounts {
  /** Execute and simple Query messages: statements run */
  statements: number;
  /** client sends that began while no earlier Sync or Query was unanswered: the waits for the server */
  roundTrips: number;
}

/**
 * A loopback TCP proxy in front of the database that reads both directions of the protocol: every
 * Execute ('E') or Query ('Q') the client sends is a statement; a send carrying a Sync ('S') or Query
 * while nothing is outstanding starts a round trip; each ReadyForQuery ('Z') answers one of them.
 * Pipelined queries (sent before the first answer) thus count as one round trip.
 */
export class WireCounter {
  readonly counts: WireCounts = { statements: 0, roundTrips: 0 };
  private server: net.Server | undefined;
  private outstanding = new Map<net.Socket, number>();

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<number> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      // no Nagle delay on either leg: the proxy must not hold back a pipelined batch's tail
      client.setNoDelay(true);
      upstream.setNoDelay(true);
      this.outstanding.set(client, 0);
      let startup = true;
      const fromClient = frames((type) => {
        if (type === 'E' || type === 'Q') this.counts.statements++;
        if (type === 'S' || type === 'Q') {
          const n = this.outstanding.get(client) ?? 0;
          if (n === 0) this.counts.roundTrips++;
          this.outstanding.set(client, n + 1);
        }
      }, () => startup && !(startup = false)); // the startup message has no type byte
      const fromServer = frames((type) => {
        if (type === 'Z') this.outstanding.set(client, Math.max(0, (this.outstanding.get(client) ?? 0) - 1));
      });
      client.on('data', (d: Buffer) => {
        fromClient(d);
        upstream.write(d);
      });
      upstream.on('data', (d: Buffer) => {
        fromServer(d);
        client.write(d);
      });
      const end = () => {
        client.destroy();
        upstream.destroy();
        this.outstanding.delete(client);
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return (this.server.address() as net.AddressInfo).port;
  }

  reset(): void {
    this.counts.statements = 0;
    this.counts.roundTrips = 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }
}

/** A parser of protocol frames split anyhow across chunks: calls `onType` with each frame's type byte. */
function frames(onType: (type: string) => void, untyped: () => boolean = () => false): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let at = 0;
    for (;;) {
      if (untyped()) {
        if (pending.length - at < 4) break;
        at += pending.readInt32BE(at);
        continue;
      }
      if (pending.length - at < 5) break;
      const len = pending.readInt32BE(at + 1);
      if (pending.length - at < 1 + len) break;
      onType(String.fromCharCode(pending[at]));
      at += 1 + len;
    }
    pending = pending.subarray(at);
  };
}

/** A JobQueue that counts the calls made on it and hands each to the real queue under it. */
export class CountingQueue implements JobQueue {
  calls = 0;
  jobs = 0;
  constructor(private readonly inner: JobQueue) {}
  get kind() {
    return this.inner.kind;
  }
  enqueue<Q extends QueueName>(queue: Q, data: JobData<Q>, opts?: EnqueueOptions): Promise<void> {
    this.calls++;
    this.jobs++;
    return this.inner.enqueue(queue, data, opts);
  }
  enqueueBulk<Q extends QueueName>(queue: Q, jobs: BulkJob<Q>[]): Promise<void> {
    this.calls++;
    this.jobs += jobs.length;
    return this.inner.enqueueBulk(queue, jobs);
  }
  every(task: JobData<'periodic'>['task'], everyMs: number): Promise<void> {
    return this.inner.every(task, everyMs);
  }
  healthy(): Promise<boolean> {
    return this.inner.healthy();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** CPU seconds (user + system) a process has used, from /proc; 0 when it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

export interface CaseStepFigures {
  mode: 'postgres' | 'embedded';
  /** the step measured: the case step, or the 舆情 topic step (assignMessageToTopic), each right after its message's case step */
  step: 'case' | 'topic';
  /** the messages' texts (bin/bench/common.ts benchTexts) */
  source: string;
  cases: number;
  concurrency: number;
  opened: number;
  merged: number;
  statementsPerCase: number;
  roundTripsPerCase: number;
  queueCallsPerCase: number;
  queueJobsPerCase: number;
  /** CPU of the PostgreSQL processes serving the run, per case step (null in embedded mode: PGlite runs in this process) */
  pgCpuMsPerCase: number | null;
  /** this process's CPU per step (in embedded mode PGlite's too) */
  clientCpuMsPerCase: number;
  wallMsPerCase: number;
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * Stores `n` realistic messages (plus a warm-up share) in a scratch schema and runs the case step on
 * each, `concurrency` at a time (`demo`: the demo generator's texts, with their repeated problems, so
 * merges are measured too); the warm-up messages run first and are not counted (statements are
 * prepared per connection on first use). PostgreSQL (DATABASE_URL) with BullMQ (REDIS_URL), or, with
 * `embedded`, PGlite over its socket with the in-process runner.
 */
export async function measureCaseSteps(o: { n: number; concurrency: number; embedded?: boolean; demo?: boolean; topic?: boolean; databaseUrl?: string; redisUrl?: string; log?: (m: string) => void }): Promise<CaseStepFigures> {
  const log = o.log ?? (() => {});
  const tag = randomBytes(4).toString('hex');
  const shipped = loadShipped();
  let target: Database | undefined;
  let admin: Database | undefined;
  let pglite: { stop(): Promise<void> } | undefined;
  let url: URL;
  const schema = `bench_cs_${tag}`;
  const appName = `mscasestep-${tag}`;
  if (o.embedded) {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    const pg = await PGlite.create();
    const server = new PGLiteSocketServer({ db: pg, host: '127.0.0.1', port: 0 });
    await server.start();
    pglite = { async stop() { await server.stop(); await pg.close(); } };
    url = new URL(`postgres://postgres@${server.getServerConn()}/postgres`);
  } else {
    url = new URL(o.databaseUrl ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
    admin = await connectDatabase({ databaseUrl: url.toString(), dataDir: '', poolMax: 1 });
    await createSchema(admin.sql, schema);
  }
  const wire = new WireCounter({ host: url.hostname, port: Number(url.port || 5432) });
  const port = await wire.start();
  const viaProxy = new URL(url.toString());
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(port);
  viaProxy.searchParams.set('application_name', appName);
  const redisUrl = o.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `mscasestep-${tag}`;
  const inner: JobQueue = o.embedded ? new InProcessQueue() : new BullMqQueue(redisConnection(redisUrl), prefix);
  const queue = new CountingQueue(inner);
  try {
    // PGlite is one session: one connection, as the embedded mode has
    target = await connectDatabase({ databaseUrl: viaProxy.toString(), dataDir: '', poolMax: o.embedded ? 1 : o.concurrency, schema: o.embedded ? undefined : schema });
    await migrate(target.sql);
    await seedReferenceData(target.sql, { departments: loadDepartments() });
    const warm = Math.max(20, o.concurrency * 10);
    const { texts, source } = benchTexts(o.n + warm, { demo: o.demo });
    const now = Date.now();
    const ids: number[] = [];
    for (let i = 0; i < texts.length; i += 500) {
      const part = texts.slice(i, i + 500).map((t, j) => ({
        channel: 'portal' as const, externalId: `cs-${tag}-${i + j}`, receivedAt: new Date(now - (texts.length - i - j) * 1000), raw: '{}', rawContentType: 'application/json',
        title: t.title, body: t.content, contactName: '张先生', contactPhone: '13900000000', contactHandle: null, account: null, address: null, location: null, isPublic: true,
      }));
      const { created } = await insertMessages(target.sql, part);
      ids.push(...created.map((m) => m.id).sort((a, b) => a - b));
    }
    const ctx = { sql: target.sql, policy: shipped.sla.policy, calendar: shipped.sla.calendar, queue, router: shippedRouter() };
    let opened = 0;
    let merged = 0;
    const run = async (list: number[], count: boolean, step: 'case' | 'topic' = 'case') => {
      let next = 0;
      await Promise.all(Array.from({ length: o.concurrency }, async () => {
        for (let i = next++; i < list.length; i = next++) {
          if (step === 'topic') {
            const r = await assignMessageToTopic(target!.sql, list[i]);
            if (!r) throw new Error(`message ${list[i]} was not processed: no topic step`);
            if (count && r.created) opened++;
            if (count && !r.created) merged++;
            continue;
          }
          const r = await openCaseForMessage(ctx, list[i], new Date());
          if (count && r.created) opened++;
          if (count && r.merged) merged++;
        }
      }));
    };
    const step = o.topic ? 'topic' : 'case';
    // as the worker's job runs them: each message's case step, then its topic step
    const both = async (list: number[]) => {
      for (const id of list) {
        await run([id], false);
        await run([id], false, 'topic');
      }
    };
    if (step === 'topic') await both(ids.slice(0, warm));
    else await run(ids.slice(0, warm), false);
    const measured = ids.slice(warm);
    const pids = o.embedded ? [] : (await backendPids(admin!.sql, appName)).map((b) => b.pid);
    const pgCpu = () => pids.reduce((sum, p) => sum + cpuSeconds(p), 0);
    const counts = { statements: 0, roundTrips: 0 };
    let cpu = 0;
    let wallMs = 0;
    let clientUs = 0;
    // what is counted: from here to `stop`
    let calls = 0;
    let jobs = 0;
    const start = () => {
      wire.reset();
      return { pg: pgCpu(), t: performance.now(), client: process.cpuUsage(), calls: queue.calls, jobs: queue.jobs };
    };
    const stop = (m: ReturnType<typeof start>) => {
      wallMs += performance.now() - m.t;
      const c = process.cpuUsage(m.client);
      clientUs += c.user + c.system;
      cpu += pgCpu() - m.pg;
      counts.statements += wire.counts.statements;
      counts.roundTrips += wire.counts.roundTrips;
      calls += queue.calls - m.calls;
      jobs += queue.jobs - m.jobs;
    };
    if (step === 'topic') {
      // the topic step alone is counted; the case step before it (the same message's, in the same
      // process, as in the worker) is not
      for (const id of measured) {
        await run([id], false);
        const m = start();
        await run([id], true, 'topic');
        // the counts' flush a step starts (every FLUSH_MS: core/opinion/term-counts.ts) is its cost
        await termCounts(target.sql).settled();
        stop(m);
      }
    } else {
      const m = start();
      await run(measured, true, step);
      stop(m);
    }
    log(`${measured.length} ${step} steps (${source}), ${opened} ${step === 'topic' ? 'topics opened' : 'opened'}, ${merged} ${step === 'topic' ? 'joined a topic' : 'merged'}, ${o.concurrency} at a time (${o.embedded ? 'PGlite' : 'PostgreSQL'}, ${pids.length} backends)`);
    const per = (x: number) => round(x / measured.length, 1);
    return {
      mode: o.embedded ? 'embedded' : 'postgres',
      step,
      source,
      cases: measured.length,
      concurrency: o.concurrency,
      opened,
      merged,
      statementsPerCase: per(counts.statements),
      roundTripsPerCase: per(counts.roundTrips),
      queueCallsPerCase: per(calls),
      queueJobsPerCase: per(jobs),
      pgCpuMsPerCase: o.embedded ? null : round((cpu * 1000) / measured.length, 2),
      clientCpuMsPerCase: round(clientUs / 1000 / measured.length, 2),
      wallMsPerCase: round(wallMs / measured.length, 2),
    };
  } finally {
    await queue.close().catch(() => {});
    await target?.close().catch(() => {});
    await wire.stop();
    if (admin) {
      await dropSchema(admin.sql, schema).catch((err: Error) => log(`could not drop schema ${schema}: ${err.message}`));
      await admin.close();
      await deleteRedisPrefix(redisUrl, prefix).catch(() => {});
    }
    await pglite?.stop();
  }
}
