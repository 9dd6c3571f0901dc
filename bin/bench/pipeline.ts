// `npm run --silent bench -- pipeline [--messages N] [--rate R] [--workers K] [--concurrency C]`:
// production mode end to end. One API process and K worker processes on the PostgreSQL and Redis
// of DATABASE_URL and REDIS_URL (default the local ones), in a scratch schema and queue prefix of
// the run's own (removed afterwards). N realistic messages go through the HTTP intake (the portal
// form); the run ends when every one is on a case. Then each stage is measured alone in the same
// run: NLP (analyzeMessage in this process, times the worker processes the cores can run), the
// database writes of one message (intake insert + the case transaction), and the BullMQ round trip.
// Prints one JSON object on its last line.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { connectDatabase } from '../../core/db/connect';
import { appendCaseEvents, insertCase } from '../../core/db/cases';
import { backendPids, createSchema, dropSchema, pipelineProgress, processedTimes } from '../../core/db/bench';
import { insertMessage, markMessageProcessed } from '../../core/db/messages';
import { analyzeMessage } from '../../core/nlp/analyze';
import { BullMqQueue, redisConnection, startBullMqWorkers } from '../../core/queue/bullmq';
import { parseCommandArgs, UsageError } from '../../core/util/args';
import { measureCaseSteps } from './case-step';
import { benchTexts, deleteRedisPrefix, percentile, rssMb, sleep, startChild, stopChild, withSearchPath, type BenchText, type Child } from './common';

export const PIPELINE_USAGE = 'usage: npm run --silent bench -- pipeline [--messages N] [--rate R] [--workers K] [--concurrency C] [--keep]';

const positiveInt = (name: string, v: string | undefined, dflt: number, max: number) => {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} must be an integer from 1 to ${max} (--${name} 须为 1 到 ${max} 的整数)`);
  return n;
};

const log = (msg: string) => process.stderr.write(`bench pipeline: ${msg}\n`);

async function post(base: string, t: BenchText, i: number, tag: string): Promise<{ ok: boolean; trackingNo?: string; ms: number; status: number }> {
  const t0 = performance.now();
  try {
    const res = await fetch(`${base}/api/v1/messages`, {
      method: 'POST',
      // one address per 200 messages, as many residents: the per-address limit is not what is measured
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.18.${(i / 200 / 250) | 0}.${((i / 200) | 0) % 250}`, 'idempotency-key': `${tag}-${i}` },
      body: JSON.stringify({ title: t.title, content: t.content, contactName: '张先生', phone: `139${String(10_000_000 + i).slice(-8)}` }),
    });
    const ms = performance.now() - t0;
    if (res.status !== 201) return { ok: false, ms, status: res.status };
    return { ok: true, trackingNo: ((await res.json()) as { trackingNo: string }).trackingNo, ms, status: 201 };
  } catch {
    // the connection dropped: the API's request timeout (20 s) sheds a request that waited too long
    return { ok: false, ms: performance.now() - t0, status: 0 };
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc; null when it is gone or unknown. */
function cpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ 100 on Linux)
  } catch {
    return null;
  }
}

/**
 * CPU time by process during a window: each child (API, workers) and, by application_name, the
 * PostgreSQL server processes serving it. On a shared machine this says what a message costs,
 * whatever else runs beside the benchmark.
 */
class CpuMeter {
  private start = new Map<string, number>();
  private last = new Map<string, number>();
  private owner = new Map<string, string>();
  constructor(private readonly children: Child[], private readonly appPrefix: string, private readonly sql: Parameters<typeof backendPids>[0]) {}
  private async read(): Promise<Map<string, number>> {
    const now = new Map<string, number>();
    for (const c of this.children) {
      const s = cpuSeconds(c.proc.pid);
      if (s !== null) { now.set(`p${c.proc.pid}`, s); this.owner.set(`p${c.proc.pid}`, c.name); }
    }
    for (const b of await backendPids(this.sql, this.appPrefix).catch(() => [])) {
      const s = cpuSeconds(b.pid);
      if (s !== null) { now.set(`b${b.pid}`, s); this.owner.set(`b${b.pid}`, `postgres (${b.app.slice(this.appPrefix.length) || '?'})`); }
    }
    return now;
  }
  async begin(): Promise<void> {
    this.start = await this.read();
    this.last = new Map(this.start);
  }
  /** sampled while the run goes on: a backend that exits keeps the time last read */
  async sample(): Promise<void> {
    for (const [k, v] of await this.read()) {
      this.last.set(k, v);
      if (!this.start.has(k)) this.start.set(k, k.startsWith('b') ? 0 : v);
    }
  }
  /** CPU seconds by owner since begin() */
  totals(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of this.last) {
      const name = this.owner.get(k) ?? k;
      out[name] = (out[name] ?? 0) + (v - (this.start.get(k) ?? 0));
    }
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Math.round(v * 100) / 100]));
  }
}

export async function runPipeline(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      messages: { type: 'string' },
      rate: { type: 'string' },
      workers: { type: 'string' },
      concurrency: { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.error(PIPELINE_USAGE);
    return 0;
  }
  const n = positiveInt('messages', values.messages, 2000, 1_000_000);
  const rate = values.rate === undefined ? null : positiveInt('rate', values.rate, 0, 100_000);
  const k = positiveInt('workers', values.workers, 1, 32);
  const inFlight = positiveInt('concurrency', values.concurrency, 32, 1000);
  const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const tag = randomBytes(4).toString('hex');
  const schema = `bench_${tag}`;
  const prefix = `msbench-${tag}`;
  const url = withSearchPath(databaseUrl, schema);
  const admin = await connectDatabase({ databaseUrl, dataDir: '', poolMax: 1 });
  await createSchema(admin.sql, schema);
  const children: Child[] = [];
  const { source, texts } = benchTexts(n);
  try {
    const port = 20_000 + (parseInt(tag.slice(0, 4), 16) % 20_000);
    const appPrefix = `msbench-${tag}-`;
    const appUrl = (name: string) => { const u = new URL(url); u.searchParams.set('application_name', `${appPrefix}${name}`); return u.toString(); };
    const env = { DATABASE_URL: appUrl('api'), REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, PORT: String(port), HOST: '127.0.0.1', TRUST_PROXY: '1', PORTAL_RATE_LIMIT: '10000' };
    const api = startChild('api', 'api/server.ts', env);
    children.push(api);
    const base = `http://127.0.0.1:${port}`;
    const upBy = Date.now() + 120_000;
    for (;;) {
      if (api.proc.exitCode !== null) throw new Error(`the API exited: ${api.log()}`);
      const ok = await fetch(`${base}/health`).then((r) => r.status === 200, () => false);
      if (ok) break;
      if (Date.now() > upBy) throw new Error(`the API did not answer /health within 120 s: ${api.log()}`);
      await sleep(200);
    }
    // migrated by the API: the workers start on the schema as it is
    for (let w = 0; w < k; w++) children.push(startChild(`worker-${w + 1}`, 'workers/main.ts', { ...env, DATABASE_URL: appUrl(`worker-${w + 1}`) }));
    const db = await connectDatabase({ databaseUrl, dataDir: '', poolMax: 10, schema });
    const sampler = setInterval(() => {
      for (const c of children) {
        const r = rssMb(c.proc.pid);
        if (r !== null) c.maxRssMb = Math.max(c.maxRssMb ?? 0, r);
      }
    }, 250);
    await sleep(3000); // the workers connect and load their models
    const idleRss = Object.fromEntries(children.map((c) => [c.name, rssMb(c.proc.pid)]));
    log(`${n} messages (${source}) → API :${port}, ${k} worker process(es), ${rate ? `offered at ${rate}/s` : `${inFlight} requests in flight`}`);

    const cpu = new CpuMeter(children, appPrefix, db.sql);
    await cpu.begin();
    const cpuSampler = setInterval(() => void cpu.sample(), 1000);
    const sentAt = new Map<string, number>();
    let failed = 0;
    const refusedBy: Record<number, number> = {};
    const intakeMs: number[] = [];
    const t0 = Date.now();
    let next = 0;
    const sendOne = async (i: number) => {
      const at = Date.now();
      const r = await post(base, texts[i], i, tag);
      intakeMs.push(r.ms);
      if (r.ok && r.trackingNo) sentAt.set(r.trackingNo, at);
      else {
        failed++;
        refusedBy[r.status] = (refusedBy[r.status] ?? 0) + 1;
      }
    };
    if (rate) {
      // open loop: message i is offered at t0 + i / rate, whether or not earlier ones were answered
      const pending: Promise<void>[] = [];
      for (let i = 0; i < n; i++) {
        const due = t0 + (i * 1000) / rate;
        const wait = due - Date.now();
        if (wait > 0) await sleep(wait);
        pending.push(sendOne(i));
      }
      await Promise.all(pending);
    } else {
      await Promise.all(Array.from({ length: inFlight }, async () => {
        for (let i = next++; i < n; i = next++) await sendOne(i);
      }));
    }
    const intakeDone = Date.now();
    log(`intake: ${sentAt.size} accepted, ${failed} refused in ${((intakeDone - t0) / 1000).toFixed(1)} s`);
    const limitAt = Date.now() + Math.max(300_000, n * 200);
    let last = -1;
    for (;;) {
      const p = await pipelineProgress(db.sql);
      if (p.onCase !== last) log(`${p.onCase}/${p.stored} on cases`);
      last = p.onCase;
      if (p.onCase >= p.stored && p.stored >= sentAt.size) break;
      for (const c of children) if (c.proc.exitCode !== null) throw new Error(`${c.name} exited: ${c.log()}`);
      if (Date.now() > limitAt) throw new Error(`only ${p.onCase} of ${p.stored} messages on cases after ${(limitAt - t0) / 1000} s`);
      await sleep(500);
    }
    clearInterval(sampler);
    clearInterval(cpuSampler);
    await cpu.sample();
    const cpuSecondsBy = cpu.totals();
    const cpuTotal = Object.values(cpuSecondsBy).reduce((a, b) => a + b, 0);
    const times = await processedTimes(db.sql);
    const lat: number[] = [];
    let lastProcessed = 0;
    let routed = 0;
    for (const t of times) {
      const s = sentAt.get(t.trackingNo);
      if (!t.processedAt || s === undefined) continue;
      const p = t.processedAt.getTime();
      lat.push(p - s);
      lastProcessed = Math.max(lastProcessed, p);
      if (t.routed) routed++;
    }
    lat.sort((a, b) => a - b);
    intakeMs.sort((a, b) => a - b);
    const wallS = (lastProcessed - t0) / 1000;
    const messagesPerSec = Math.round((lat.length / wallS) * 10) / 10;
    const underLoadRss = Object.fromEntries(children.map((c) => [c.name, c.maxRssMb]));
    for (const c of children.slice(1)) await stopChild(c); // the workers: the stages are measured on a quiet machine

    // ---- each stage alone ----
    const cores = os.cpus().length;
    const sample = texts.slice(0, Math.min(texts.length, 600));
    for (const t of sample.slice(0, 30)) analyzeMessage(`${t.title}\n${t.content}`); // warm up
    const nlpT0 = performance.now();
    let analysis = analyzeMessage(`${sample[0].title}\n${sample[0].content}`);
    for (const t of sample) analysis = analyzeMessage(`${t.title}\n${t.content}`);
    const nlpPerProcess = sample.length / ((performance.now() - nlpT0) / 1000);

    const DB_N = Math.min(2000, Math.max(300, n));
    let dbNext = 0;
    const dbT0 = performance.now();
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let i = dbNext++; i < DB_N; i = dbNext++) {
        const at = new Date();
        const { message } = await insertMessage(db.sql, {
          channel: 'portal', externalId: `stage-db-${tag}-${i}`, receivedAt: at, raw: JSON.stringify(texts[i % texts.length]), rawContentType: 'application/json',
          title: texts[i % texts.length].title, body: texts[i % texts.length].content, contactName: '张先生', contactPhone: '13900000000', isPublic: true,
        } as never);
        await db.sql.begin(async (tx) => {
          const c = await insertCase(tx, {
            trackingNo: message.trackingNo, status: 'dispatched', title: message.title, summary: analysis.maskedText.slice(0, 200), channel: 'portal',
            category: analysis.category.label, categoryConfidence: analysis.category.confidence, requestType: analysis.requestType.label, typeConfidence: analysis.requestType.confidence,
            urgency: 'normal', sentiment: analysis.sentiment.label, sentimentScore: analysis.sentiment.score, district: null, street: null, community: null, address: null,
            keywords: analysis.keywords, fingerprint: analysis.fingerprint, needsReview: false, departmentCode: null, routeRule: null,
            acceptDueAt: at, responseDueAt: at, resolveDueAt: at, dispatchedAt: at, createdAt: at,
          } as never);
          await appendCaseEvents(tx, c.id, [{ type: 'received', fromStatus: null, toStatus: 'received', actorKind: 'system', at }, { type: 'dispatched', fromStatus: 'received', toStatus: 'dispatched', actorKind: 'system', at }]);
          await markMessageProcessed(tx, message.id, c.id, at, analysis);
        });
      }
    }));
    const dbWrites = DB_N / ((performance.now() - dbT0) / 1000);

    const RT_N = 2000;
    const rtPrefix = `${prefix}-rt`;
    const rtQueue = new BullMqQueue(redisConnection(redisUrl), rtPrefix);
    let done = 0;
    let allDone: () => void = () => {};
    const finished = new Promise<void>((r) => (allDone = r));
    const rtWorkers = startBullMqWorkers(redisConnection(redisUrl), rtPrefix, { 'process-message': async () => { if (++done === RT_N) allDone(); } }, { concurrency: 4 * k, onError: () => {} });
    await rtWorkers.workers[0].waitUntilReady();
    const rtT0 = performance.now();
    let rtNext = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      for (let i = rtNext++; i < RT_N; i = rtNext++) await rtQueue.enqueue('process-message', { messageId: i + 1 });
    }));
    await finished;
    const queueRoundTrip = RT_N / ((performance.now() - rtT0) / 1000);
    await rtWorkers.close();
    await rtQueue.close();
    await deleteRedisPrefix(redisUrl, rtPrefix);
    await db.close();
    // what one case step costs the database and the queue, counted on the wire (bin/bench/case-step.ts)
    const caseStep = await measureCaseSteps({ n: 200, concurrency: 1, databaseUrl, redisUrl, log });

    const stageLimits = {
      nlp: Math.round(nlpPerProcess * Math.min(k, cores)),
      nlpPerProcess: Math.round(nlpPerProcess),
      dbWrites: Math.round(dbWrites),
      queueRoundTrip: Math.round(queueRoundTrip),
    };
    const slowest = Math.min(stageLimits.nlp, stageLimits.dbWrites, stageLimits.queueRoundTrip);
    const result = {
      bench: 'pipeline',
      messages: lat.length,
      refused: failed,
      refusedByStatus: refusedBy,
      source,
      workers: k,
      workerConcurrency: Number(process.env.WORKER_CONCURRENCY || 4),
      offeredRate: rate,
      inFlight: rate ? null : inFlight,
      messagesPerSec,
      wallSeconds: Math.round(wallS * 10) / 10,
      p50Ms: percentile(lat, 50),
      p99Ms: percentile(lat, 99),
      intakeP50Ms: percentile(intakeMs, 50),
      intakeP99Ms: percentile(intakeMs, 99),
      routedShare: Math.round((routed / Math.max(1, lat.length)) * 1000) / 1000,
      stageLimits,
      caseStep: {
        statements: caseStep.statementsPerCase, roundTrips: caseStep.roundTripsPerCase, queueCalls: caseStep.queueCallsPerCase,
        pgCpuMs: caseStep.pgCpuMsPerCase, cases: caseStep.cases, merged: caseStep.merged,
      },
      slowestStage: Object.entries(stageLimits).find(([key, v]) => key !== 'nlpPerProcess' && v === slowest)?.[0],
      ratioToLimit: Math.round((messagesPerSec / slowest) * 100) / 100,
      // CPU seconds each process (and the PostgreSQL processes serving it) used from the first POST to the last case;
      // cpuMsPerMessage is their sum per message, and cpuBoundPerSec what the cores could do at that cost alone
      cpuSeconds: cpuSecondsBy,
      cpuMsPerMessage: Math.round((cpuTotal / Math.max(1, lat.length)) * 10000) / 10,
      cpuBoundPerSec: Math.round((os.cpus().length * lat.length) / Math.max(0.001, cpuTotal)),
      rssMb: { idle: idleRss, underLoadMax: underLoadRss },
      cores,
      loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10),
    };
    console.log(JSON.stringify(result));
    return 0;
  } finally {
    for (const c of children) await stopChild(c);
    if (!values.keep) {
      await dropSchema(admin.sql, schema).catch((err: Error) => log(`could not drop schema ${schema}: ${err.message}`));
      await deleteRedisPrefix(redisUrl, prefix).catch((err: Error) => log(`could not delete the queue prefix ${prefix}: ${err.message}`));
    }
    await admin.close();
  }
}
