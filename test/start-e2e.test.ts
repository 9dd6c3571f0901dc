// `npm start` as a user runs it: embedded database, demo data, dashboard; killed during the demo
// load and started again, it neither duplicates nor loses data.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './support/net';
import { allowFor, WAIT_MS, waitFor } from './support/pipeline';

const ROOT = path.resolve(import.meta.dirname, '..');
const DEMO = 300;
// limits from the work, for a loaded 2-core machine (no speed is checked): a start (migrations, and
// on a fresh clone the first dashboard build) is some 5 s idle; one demo message some 50 ms
const START_MS = allowFor(1, 5_000);
const DEMO_MS = allowFor(DEMO, 50);

function start(dataDir: string, port: number): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), DEMO_MESSAGES: String(DEMO), LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  // one process (no tsx wrapper), so SIGKILL really kills the server
  return spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/start.ts')], {
    cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function getJson<T>(url: string): Promise<T | undefined> {
  try {
    const res = await fetch(url);
    return res.ok ? ((await res.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

interface Overview { messages: { total: number; pending: number; failed: number }; cases: { total: number; byStatus: Record<string, number> }; demo?: { done: boolean } }

const children: ChildProcess[] = [];
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'minsheng-e2e-'));
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start (embedded)', () => {
  it('serves health, dashboard and demo data; a kill during the demo load loses and duplicates nothing', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const first = start(dataDir, port);
    children.push(first);
    await waitFor(() => getJson(`${base}/health`), START_MS, 250, 'first start: /health');
    // kill it hard while the demo is still loading
    await waitFor(async () => {
      const o = await getJson<Overview>(`${base}/api/v1/stats/overview`);
      return o && o.messages.total > 0 ? o : undefined;
    }, WAIT_MS, 50, 'the demo load has begun');
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    const second = start(dataDir, port);
    children.push(second);
    const health = await waitFor(async () => {
      const res = await fetch(`${base}/health`).catch(() => undefined);
      return res?.status === 200 ? res : undefined;
    }, START_MS, 250, 'second start: /health');
    expect(health.status).toBe(200);
    const done = await waitFor(async () => {
      const o = await getJson<Overview>(`${base}/api/v1/stats/overview`);
      return o?.demo?.done ? o : undefined;
    }, DEMO_MS, 500, `the demo load of ${DEMO} messages is done`);
    // every generated message stored exactly once (the unique key forbids more) and each on a case;
    // near-duplicates join an open case, so there are somewhat fewer cases than messages
    expect(done.messages.total).toBe(DEMO);
    expect(done.messages.pending).toBe(0);
    expect(done.messages.failed).toBe(0);
    expect(done.cases.total).toBeGreaterThan(DEMO * 0.7);
    expect(done.cases.total).toBeLessThanOrEqual(DEMO);

    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));
  }, 2 * START_MS + DEMO_MS + 2 * WAIT_MS);
});
