// Production mode for the fault tests: a scratch database on the test PostgreSQL, a Redis of the
// test's own (another port, no persistence: never the shared server when the test restarts or
// flushes it), and the API and worker processes as `start:api` / `start:worker` run them.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import postgres from 'postgres';
import { freePort } from './net';
import { WAIT_MS, waitFor } from './pipeline';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** A database of its own on the test server, dropped by `drop()`. */
export async function scratchDatabase(pgUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `minsheng_fault_${randomBytes(4).toString('hex')}`;
  const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const a = postgres(pgUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export interface OwnRedis {
  url: string;
  port: number;
  /** stops the server at once (SIGKILL: a crash, no save) */
  kill(): Promise<void>;
  /** starts it again on the same port, empty (no persistence) */
  start(): Promise<void>;
  flushAll(): Promise<void>;
  stop(): Promise<void>;
}

/** `redis-server --port N --save "" --appendonly no` on a free port, started by the test. */
export async function ownRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  const ping = async () => {
    const { Redis } = await import('ioredis');
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => {});
    try {
      await r.connect();
      return (await r.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      r.disconnect();
    }
  };
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitFor(ping, WAIT_MS, 100, `redis-server on port ${port}`);
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  };
  await start();
  return {
    url,
    port,
    kill,
    start,
    async flushAll() {
      const { Redis } = await import('ioredis');
      const r = new Redis(url);
      try {
        await r.flushall();
      } finally {
        r.disconnect();
      }
    },
    stop: kill,
  };
}

export interface ServiceProcess {
  child: ChildProcess;
  /** the last 20,000 characters it wrote */
  log(): string;
  alive(): boolean;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `api/server.ts` or `workers/main.ts` with the given environment on top of the test's. */
export function spawnService(script: string, env: Record<string, string>): ServiceProcess {
  let log = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d: Buffer) => (log = (log + d.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return {
    child,
    log: () => log,
    alive: () => child.exitCode === null && child.signalCode === null,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const gone = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill(signal);
      return gone;
    },
  };
}

/** Posts one portal message; the tracking number when the API accepted it (201), else null. */
export async function postPortal(base: string, i: number, tag: string): Promise<string | null> {
  const res = await fetch(`${base}/api/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `${tag}-${i}-key` },
    body: JSON.stringify({
      title: `第${i}号楼问题反映`,
      content: `${['镜湖区赭山路', '弋江区中山南路', '鸠江区湾里街道', '繁昌区繁阳镇'][i % 4]}第${i}号楼${['电梯停运，老人上下楼困难', '路灯不亮，晚上很黑', '下水道堵塞，污水外溢', '噪音扰民，夜里睡不着'][(i >> 2) % 4]}，请尽快处理。编号${tag}-${i}`,
      contactName: '赵先生',
      phone: `138055${String(10000 + i).slice(-5)}`,
    }),
  }).catch(() => undefined);
  if (!res) return null;
  if (res.status !== 201) return null;
  return ((await res.json()) as { trackingNo: string }).trackingNo;
}

/**
 * What every fault test ends with: every accepted message stored once and on exactly one case (or
 * merged into one), no case without its messages, nothing failed, and nothing left in the queue.
 */
export async function pipelineOutcome(databaseUrl: string, tracking: string[]) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ trackingNo: string; n: number; withCase: number; failed: number }[]>`
      SELECT tracking_no AS "trackingNo", count(*)::int AS n, count(case_id)::int AS "withCase", count(*) FILTER (WHERE state = 'failed')::int AS failed
      FROM messages WHERE tracking_no IN ${sql(tracking)} GROUP BY tracking_no`;
    const [{ orphans }] = await sql<{ orphans: number }[]>`
      SELECT count(*)::int AS orphans FROM cases c WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.case_id = c.id) AND c.merged_into IS NULL`;
    const [{ unprocessed }] = await sql<{ unprocessed: number }[]>`SELECT count(*)::int AS unprocessed FROM messages WHERE case_id IS NULL`;
    const [{ live }] = await sql<{ live: number }[]>`
      SELECT count(*)::int AS live FROM messages m JOIN cases c ON c.id = m.case_id WHERE m.tracking_no IN ${sql(tracking)}
        AND (c.merged_into IS NULL OR EXISTS (SELECT 1 FROM cases t WHERE t.id = c.merged_into))`;
    return {
      stored: rows.length,
      storedTwice: rows.filter((r) => r.n !== 1).length,
      onCase: rows.filter((r) => r.withCase === 1).length,
      failed: rows.reduce((a, r) => a + r.failed, 0),
      orphanCases: orphans,
      unprocessed,
      onLiveCase: live,
    };
  } finally {
    await sql.end();
  }
}

/** True once every accepted message has its case (fails at once naming a dead process). */
export async function allOnCases(databaseUrl: string, tracking: string[], processes: ServiceProcess[]): Promise<boolean> {
  for (const p of processes) if (!p.alive()) throw new Error(`a service process died (exit ${p.child.exitCode}, ${p.child.signalCode}): ${p.log().slice(-2000)}`);
  const o = await pipelineOutcome(databaseUrl, tracking).catch(() => null);
  return !!o && o.onCase === tracking.length;
}

/** Jobs of the message pipeline still waiting, running or delayed under `prefix` (0: nothing stuck in the queue). */
export async function pendingPipelineJobs(redisUrl: string, prefix: string): Promise<number> {
  const { Queue } = await import('bullmq');
  const { redisConnection } = await import('../../core/queue/bullmq');
  const q = new Queue('process-message', { connection: redisConnection(redisUrl), prefix });
  try {
    const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    return Object.values(c).reduce((a, n) => a + n, 0);
  } finally {
    await q.close();
  }
}

/** Waits for the API's /health to answer 200; fails with its last answer and log. */
export async function apiUp(base: string, api: ServiceProcess, timeoutMs: number): Promise<void> {
  let last = '';
  try {
    await waitFor(async () => {
      if (!api.alive()) throw new Error(`the API exited (${api.child.exitCode}): ${api.log().slice(-2000)}`);
      const res = await fetch(`${base}/health`).catch((e: Error) => e);
      last = res instanceof Error ? res.message : `${res.status} ${await res.text()}`;
      return !(res instanceof Error) && res.status === 200;
    }, timeoutMs, 250, 'the API answers /health');
  } catch (err) {
    throw new Error(`${(err as Error).message}; last answer: ${last}; log: ${api.log().slice(-2000)}`);
  }
}
