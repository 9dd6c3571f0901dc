// Fault: PostgreSQL restarts while a worker process is processing (issue 13 item 4, F6). The test
// starts a PostgreSQL of its own (initdb in a temp dir, another port, as the postgres user when run
// as root) — never the machine's server — and a real worker process on it with BullMQ. Messages
// stored before, during and after the restart each end on exactly one case, and the worker is still
// the same process at the end.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../core/db/connect';
import { migrate } from '../core/db/migrate';
import { seedReferenceData } from '../core/db/reference-data';
import { loadDepartments } from '../core/cases/routing';
import { acceptMessage, acceptMessages } from '../core/messages/intake';
import { BullMqQueue, redisConnection } from '../core/queue/bullmq';
import { incoming } from './support/cases';
import { redisUrlOrNull, uniquePrefix } from './support/db';
import { freePort } from './support/net';
import { allowFor, WAIT_MS, waitFor } from './support/pipeline';
import { deleteRedisPrefix } from './support/redis';

const ROOT = path.resolve(import.meta.dirname, '..');
const redisUrl = redisUrlOrNull();

function pgBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  for (const v of readdirSync(base).sort().reverse()) if (existsSync(path.join(base, v, 'bin', 'initdb'))) return path.join(base, v, 'bin');
  return null;
}
const bin = pgBin();
const asRoot = process.getuid?.() === 0;
const pgUser = () => Number(execFileSync('id', ['-u', 'postgres']).toString().trim());

/** Runs a PostgreSQL tool, as the postgres user when we are root (initdb refuses root). */
function pg(tool: string, args: string[], timeoutMs = 60_000): void {
  const cmd = path.join(bin!, tool);
  if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'ignore', timeout: timeoutMs });
  else execFileSync(cmd, args, { stdio: 'ignore', timeout: timeoutMs });
}

const PER_PHASE = 15;
/** stored at once before the restart, so the worker is mid-batch (queries in flight) when the server goes */
const BATCH = 60;
const START_MS = allowFor(1, 5_000);
const PIPELINE_MS = allowFor(BATCH + PER_PHASE, 100);

describe.skipIf(!redisUrl || !bin)('fault: PostgreSQL restarts under a working worker process', () => {
  let dir = '';
  let port = 0;
  let url = '';
  let db: Database | undefined;
  let queue: BullMqQueue | undefined;
  let worker: ChildProcess | undefined;
  let workerLog = '';
  const prefix = uniquePrefix();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ms-pg-fault-'));
    chmodSync(dir, 0o700);
    if (asRoot) chownSync(dir, pgUser(), pgUser());
    port = await freePort();
    pg('initdb', ['-D', dir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    pg('pg_ctl', ['-D', dir, '-l', path.join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
    url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    db = await connectDatabase({ databaseUrl: url, dataDir: '', poolMax: 2 });
    await migrate(db.sql);
    await seedReferenceData(db.sql, { departments: loadDepartments() });
    queue = new BullMqQueue(redisConnection(redisUrl!), prefix);
    worker = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'workers/main.ts')], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url, REDIS_URL: redisUrl!, QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn', WORKER_CONCURRENCY: '4' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (d: Buffer) => (workerLog = (workerLog + d.toString()).slice(-20_000)));
    worker.stderr!.on('data', (d: Buffer) => (workerLog = (workerLog + d.toString()).slice(-20_000)));
  }, START_MS + WAIT_MS);

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      const gone = new Promise((r) => worker!.once('exit', r));
      worker.kill('SIGKILL');
      await gone;
    }
    await queue?.close().catch(() => {});
    await db?.close().catch(() => {});
    if (dir) {
      try {
        pg('pg_ctl', ['-D', dir, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // not running
      }
      rmSync(dir, { recursive: true, force: true });
    }
    if (redisUrl) await deleteRedisPrefix(redisUrl, prefix);
  }, WAIT_MS);

  it('every message stored before, during and after the restart ends on exactly one case; the worker lives on', async () => {
    const ids: number[] = [];
    const store = async (phase: string, n: number) => {
      for (let i = 0; i < n; i++) {
        // intake retries its own connection across the restart, as an API process would after a 5xx
        const r = await waitFor(
          async () => acceptMessage({ sql: db!.sql, queue: queue! }, incoming({ externalId: `pg-fault-${phase}-${i}-${randomBytes(3).toString('hex')}`, body: `镜湖区赭山路第${phase}${i}号路灯不亮，晚上很黑，请尽快维修。` })).catch(() => null),
          WAIT_MS,
          250,
          'intake after the restart',
        );
        ids.push(r.message.id);
      }
    };
    const batch = await acceptMessages(
      { sql: db!.sql, queue: queue! },
      Array.from({ length: BATCH }, (_, i) => incoming({ externalId: `pg-fault-batch-${i}`, body: `鸠江区湾里街道第${i}号楼电梯停运，老人上下楼困难，请尽快检修。` })),
    );
    ids.push(...batch.created.map((m) => m.id));
    // the worker has started on them: restart with queries in flight
    await waitFor(async () => (await db!.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM messages WHERE case_id IS NOT NULL`)[0].n > 5, PIPELINE_MS, 50, 'the worker started');
    const restarting = new Promise<void>((resolve, reject) => {
      try {
        pg('pg_ctl', ['-D', dir, '-m', 'immediate', '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'restart']);
        resolve();
      } catch (err) {
        reject(err);
      }
    });
    await restarting;
    await store('after', PER_PHASE);
    const pending = async () => {
      if (worker!.exitCode !== null) throw new Error(`the worker died (exit ${worker!.exitCode}): ${workerLog.slice(-1500)}`);
      const rows = await db!.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM messages WHERE id IN ${db!.sql(ids)} AND case_id IS NULL`.catch(() => [{ n: -1 }]);
      return rows[0].n === 0;
    };
    // a message whose job failed during the outage is picked up again by the sweep (a minute)
    await waitFor(pending, PIPELINE_MS + 2 * 60_000, 500, `all ${ids.length} messages on cases (worker ${worker!.exitCode === null ? 'alive' : `exited ${worker!.exitCode}`}: ${workerLog.slice(-1500)})`);
    expect(worker!.exitCode).toBeNull();
    const rows = await db!.sql<{ caseId: number; n: number }[]>`SELECT case_id AS "caseId", count(*)::int AS n FROM messages WHERE id IN ${db!.sql(ids)} GROUP BY case_id`;
    expect(rows.reduce((a, r) => a + r.n, 0)).toBe(ids.length);
    // exactly one case per message, or merged: no message on two cases, no case without its messages
    const [{ orphans }] = await db!.sql<{ orphans: number }[]>`SELECT count(*)::int AS orphans FROM cases c WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.case_id = c.id) AND c.merged_into IS NULL`;
    expect(orphans).toBe(0);
  }, START_MS + PIPELINE_MS + 4 * 60_000);
});
