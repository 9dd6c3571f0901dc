// `npm run --silent bench -- dashboard [--runs 50] [--budget-s 60]`: every analytics and list
// endpoint the dashboard calls, `runs` times each in turn (after one warm-up call), against the
// database of DATABASE_URL as it is (fill it with `npm run cli -- seed --messages N`), through a
// real API process (api/server.ts on REDIS_URL, default the local servers). An endpoint that is
// still running after `budget-s` seconds stops early and says how many runs it got.
// Prints {"messages":N,"endpoints":{"<path>":{"p50Ms":…,"p95Ms":…,"runs":…}}} on its last line.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { connectDatabase } from '../../core/db/connect';
import { countMessages } from '../../core/db/seed';
import { parseCommandArgs, UsageError } from '../../core/util/args';
import { percentile, rssMb, sleep, startChild, stopChild } from './common';

export const DASHBOARD_USAGE = 'usage: npm run --silent bench -- dashboard [--runs 50] [--budget-s 60]';

/** The analytics and list endpoints: public statistics, then the staff lists (with an admin token). */
export const DASHBOARD_ENDPOINTS: { path: string; staff: boolean }[] = [
  { path: '/api/v1/stats/overview', staff: false },
  { path: '/api/v1/stats/metrics', staff: false },
  { path: '/api/v1/stats/metrics?days=366', staff: false },
  { path: '/api/v1/stats/departments', staff: true },
  { path: '/api/v1/stats/service-times', staff: true },
  { path: '/api/v1/stats/topics?days=7', staff: false },
  { path: '/api/v1/stats/topics?days=90', staff: false },
  { path: '/api/v1/stats/recurring', staff: true },
  { path: '/api/v1/board', staff: false },
  { path: '/api/v1/cases?limit=50', staff: true },
  { path: '/api/v1/cases?status=dispatched&limit=50', staff: true },
  { path: '/api/v1/cases?overdue=true&limit=50', staff: true },
  { path: `/api/v1/cases?district=${encodeURIComponent('镜湖区')}&category=${encodeURIComponent('城乡建设')}&limit=50`, staff: true },
  { path: `/api/v1/cases?q=${encodeURIComponent('路灯')}&limit=50`, staff: true },
  { path: '/api/v1/cases?limit=50&offset=10000', staff: true },
  { path: '/api/v1/triage?limit=20', staff: true },
  { path: '/api/v1/cases/queues', staff: true },
  { path: '/api/v1/cases/queues/dispatch', staff: true },
  { path: '/api/v1/alerts', staff: true },
  { path: '/api/v1/reports', staff: true },
  { path: '/api/v1/messages/failed?limit=50', staff: true },
];

const log = (msg: string) => process.stderr.write(`bench dashboard: ${msg}\n`);

export async function runDashboard(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({ args: argv, options: { runs: { type: 'string' }, 'budget-s': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.error(DASHBOARD_USAGE);
    return 0;
  }
  const runs = values.runs === undefined ? 50 : Number(values.runs);
  const budgetS = values['budget-s'] === undefined ? 60 : Number(values['budget-s']);
  if (!Number.isInteger(runs) || runs < 1 || runs > 10_000) throw new UsageError('--runs must be an integer from 1 to 10000 (--runs 须为 1 到 10000 的整数)');
  if (!Number.isFinite(budgetS) || budgetS <= 0) throw new UsageError('--budget-s must be a positive number of seconds (--budget-s 须为正数)');
  const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const db = await connectDatabase({ databaseUrl, dataDir: '', poolMax: 1 });
  const messages = await countMessages(db.sql);
  await db.close();
  const tag = randomBytes(4).toString('hex');
  const token = `bench-admin-${tag}-0000`;
  const port = 20_000 + (parseInt(tag.slice(0, 4), 16) % 20_000);
  const api = startChild('api', 'api/server.ts', { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: `msbench-${tag}`, PORT: String(port), HOST: '127.0.0.1', ADMIN_TOKEN: token });
  const base = `http://127.0.0.1:${port}`;
  try {
    const upBy = Date.now() + 120_000;
    while (!(await fetch(`${base}/health`).then((r) => r.status === 200, () => false))) {
      if (api.proc.exitCode !== null) throw new Error(`the API exited: ${api.log()}`);
      if (Date.now() > upBy) throw new Error(`the API did not answer /health within 120 s: ${api.log()}`);
      await sleep(200);
    }
    log(`${messages.toLocaleString('en')} messages in the database; ${DASHBOARD_ENDPOINTS.length} endpoints × ${runs}`);
    const endpoints: Record<string, { p50Ms: number | null; p95Ms: number | null; runs: number; status: number }> = {};
    for (const e of DASHBOARD_ENDPOINTS) {
      const headers: Record<string, string> = e.staff ? { authorization: `Bearer ${token}` } : {};
      // a call that takes longer than the budget is abandoned and counted as status 0
      const call = async () => {
        const t0 = performance.now();
        try {
          const res = await fetch(`${base}${e.path}`, { headers, signal: AbortSignal.timeout(Math.max(budgetS, 5) * 1000) });
          await res.arrayBuffer();
          return { ms: performance.now() - t0, status: res.status };
        } catch {
          return { ms: performance.now() - t0, status: 0 };
        }
      };
      let status = (await call()).status; // warm-up
      const times: number[] = [];
      const until = Date.now() + budgetS * 1000;
      for (let i = 0; i < runs && Date.now() < until; i++) {
        const r = await call();
        if (r.status !== 200) status = r.status;
        times.push(r.ms);
        if (r.status === 0) break;
      }
      times.sort((a, b) => a - b);
      endpoints[e.path] = { p50Ms: percentile(times, 50), p95Ms: percentile(times, 95), runs: times.length, status };
      log(`${e.path}: p50 ${endpoints[e.path].p50Ms} ms, p95 ${endpoints[e.path].p95Ms} ms (${times.length} runs, status ${status})`);
    }
    console.log(JSON.stringify({ bench: 'dashboard', messages, endpoints, apiRssMb: rssMb(api.proc.pid), cores: os.cpus().length, loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10) }));
    return 0;
  } finally {
    await stopChild(api);
  }
}
