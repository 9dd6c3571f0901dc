// Production mode as deployed: one API process and two worker processes on real PostgreSQL and
// Redis; messages posted to the API become cases; SIGTERM shuts each process down cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { freePort } from './support/net';
import { allowFor, WAIT_MS, waitFor } from './support/pipeline';
import { deleteRedisPrefix } from './support/redis';

const ROOT = path.resolve(import.meta.dirname, '..');
// limits from the work, for a loaded 2-core machine (no speed is checked): a process start some 5 s
// idle, one message through the pipeline some 500 ms
const START_MS = allowFor(1, 5_000);
const POSTS = 12;
const PIPELINE_MS = allowFor(POSTS, 500);
const pgUrl = inject('pgUrl');
const redisUrl = inject('redisUrl');

describe.skipIf(!pgUrl || !redisUrl)('production mode: separate API and worker processes', () => {
  const dbName = `minsheng_e2e_${randomBytes(4).toString('hex')}`;
  const prefix = `mse2e-${randomBytes(4).toString('hex')}`;
  const children: ChildProcess[] = [];
  let databaseUrl = '';
  let port = 0;

  beforeAll(async () => {
    const admin = postgres(pgUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(pgUrl!);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
    port = await freePort();
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    const admin = postgres(pgUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    await deleteRedisPrefix(redisUrl!, prefix);
  });

  /** Starts a process; with `log`, its info-level JSON log lines are collected there. */
  function spawnProcess(script: string, log?: object[]): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script)], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl!, QUEUE_PREFIX: prefix, PORT: String(port), LOG_LEVEL: log ? 'info' : 'warn', PORTAL_RATE_LIMIT: '1000' },
      stdio: ['ignore', log ? 'pipe' : 'ignore', 'pipe'],
    });
    child.stderr?.on('data', () => {});
    if (log) {
      let rest = '';
      child.stdout?.on('data', (d: Buffer) => {
        const lines = (rest + d.toString()).split('\n');
        rest = lines.pop()!;
        for (const line of lines) {
          try {
            log.push(JSON.parse(line) as object);
          } catch {
            // not a log line
          }
        }
      });
    }
    children.push(child);
    return child;
  }

  it('posts become cases through separate workers, and every process stops cleanly', async () => {
    const api = spawnProcess('api/server.ts');
    const workers = [spawnProcess('workers/main.ts'), spawnProcess('workers/main.ts')];
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base}/health`).catch(() => undefined))?.status === 200, START_MS, 250, 'the API answers /health');

    const tracking: string[] = [];
    for (let i = 0; i < POSTS; i++) {
      const res = await fetch(`${base}/api/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          title: `鸠江区第${i}号楼电梯故障`,
          content: `鸠江区湾里街道某小区${i}号楼电梯这几天经常停运，老人上下楼很困难，请物业和相关部门尽快检修。`,
          contactName: '赵先生',
          phone: `1380553${String(1000 + i)}`,
        }),
      });
      expect(res.status).toBe(201);
      tracking.push(((await res.json()) as { trackingNo: string }).trackingNo);
    }
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await waitFor(async () => {
        const [{ n }] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM messages WHERE case_id IS NOT NULL AND tracking_no IN ${sql(tracking)}`;
        return n === tracking.length;
      }, PIPELINE_MS, 250, `${POSTS} posts on cases`);
    } finally {
      await sql.end();
    }
    const exits = [api, ...workers].map((c) => new Promise<number | null>((r) => c.once('exit', (code) => r(code))));
    for (const c of [api, ...workers]) c.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual([0, 0, 0]);
  }, START_MS + PIPELINE_MS + 2 * WAIT_MS);

  it('npm start against the real servers loads no demo data and creates no demo accounts', async () => {
    const log: { msg?: string; demo?: boolean }[] = [];
    const all = spawnProcess('bin/start.ts', log);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base}/health`).catch(() => undefined))?.status === 200, START_MS, 250, 'npm start answers /health');
    // the start-up line says whether a demo load was started; without one nothing below can change later
    const running = await waitFor(async () => log.find((l) => l.msg === 'Minsheng 民声 is running'), WAIT_MS, 50, 'the start-up log line');
    expect(running.demo).toBe(false);
    const overview = (await (await fetch(`${base}/api/v1/stats/overview`)).json()) as { demo: unknown; messages: { total: number } };
    expect(overview.demo).toBeNull();
    expect(overview.messages.total).toBe(POSTS);
    const centre = await fetch(`${base}/api/v1/cases`, { headers: { authorization: 'Bearer demo-centre' } });
    expect(centre.status).toBe(401);
    const exit = new Promise<number | null>((r) => all.once('exit', (code) => r(code)));
    all.kill('SIGTERM');
    expect(await exit).toBe(0);
  }, START_MS + 2 * WAIT_MS);
});
