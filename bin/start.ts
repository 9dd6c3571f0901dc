// `npm start`: the whole service in one process. With no DATABASE_URL/REDIS_URL it runs on embedded
// PGlite and the in-process job runner, and loads demo data on first start (`-- --no-demo` skips it).
// Against a real DATABASE_URL it loads no demo data (and so creates no public demo accounts) unless
// asked with `-- --demo`.
import { calendarWarnings } from '../core/cases/calendar-coverage';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../api/app';
import { DASHBOARD_DIST, listen } from '../api/server';
import { getConfigOrExit } from '../core/config';
import { loadShippedOrExit } from '../core/shipped/index';
import { loadDemo } from '../core/demo/load';
import { createLogger } from '../core/logger';
import { embeddedDataPath } from '../core/db/connect';
import { initEmbeddedDataDir, needsInitdb } from '../core/db/embedded-init';
import { analyzeMessage } from '../core/nlp/analyze';
import { redisConnection, startBullMqWorkers } from '../core/queue/bullmq';
import { InProcessQueue } from '../core/queue/in-process';
import { openDatabase, openQueue, openRedis } from '../core/runtime';
import { parseCommandArgs, UsageError } from '../core/util/args';
import { withDirLock } from '../core/util/dir-lock';
import { installShutdown, type ShutdownStep } from '../core/shutdown';
import { createProcessors, keepSchedules, schedulePeriodic } from '../workers/processors/index';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** the longest the periodic sweeps wait for the demo load (in-process runner) */
const DEMO_SWEEPS_AFTER_MS = 120_000;

const USAGE = 'usage: npm start [-- --demo | --no-demo]';
let args: { demo?: boolean; 'no-demo'?: boolean; help?: boolean };
try {
  args = parseCommandArgs({
    args: process.argv.slice(2),
    options: { demo: { type: 'boolean' }, 'no-demo': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  }).values;
  if (args.demo && args['no-demo']) throw new UsageError('give one of --demo and --no-demo (--demo 与 --no-demo 只能给一个)');
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(`npm start: ${err.message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.error(USAGE);
  process.exit(0);
}
const config = getConfigOrExit();
const logger = createLogger({ level: config.LOG_LEVEL });
// every shipped file, read and checked before anything starts
const shipped = loadShippedOrExit(config);

/** Newest modification time under a folder (sources of the dashboard). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

// builds the dashboard when there is no build or its sources changed since (a stale build would
// hide a change); a clean clone has none, so the first start builds it. Several processes may start
// at once in one checkout (two test runs side by side): one builds, under a lock, into a folder of
// its own that then replaces dashboard/dist; the others wait and find the build fresh.
async function ensureDashboardBuilt(): Promise<void> {
  const index = path.join(DASHBOARD_DIST, 'index.html');
  const dashboard = path.join(ROOT, 'dashboard');
  const fresh = () => {
    const sources = Math.max(
      newestMtime(path.join(dashboard, 'src')),
      statSync(path.join(dashboard, 'index.html')).mtimeMs,
      statSync(path.join(dashboard, 'vite.config.ts')).mtimeMs,
    );
    return existsSync(index) && statSync(index).mtimeMs >= sources;
  };
  if (fresh()) return;
  await withDirLock(path.join(dashboard, '.build-lock'), async () => {
    if (fresh()) return; // built by another process while this one waited
    logger.info(existsSync(index) ? 'rebuilding the dashboard (sources changed)…' : 'building the dashboard (first start)…');
    const { build } = await import('vite');
    const outDir = path.join(dashboard, `.dist-${process.pid}`);
    await build({ configFile: path.join(dashboard, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    const old = path.join(dashboard, `.dist-old-${process.pid}`);
    if (existsSync(DASHBOARD_DIST)) renameSync(DASHBOARD_DIST, old);
    renameSync(outDir, DASHBOARD_DIST);
    rmSync(old, { recursive: true, force: true });
  });
}

async function main() {
  const steps: ShutdownStep[] = [];
  const shutdown = installShutdown(logger, steps);
  const { sla } = shipped;
  const demo = (args.demo || (!config.DATABASE_URL && !args['no-demo'])) && config.DEMO_MESSAGES > 0;
  const dataPath = embeddedDataPath(config.DATA_DIR);
  if (!config.DATABASE_URL && demo && needsInitdb(dataPath)) {
    // a first start: the new data directory's initdb (some seconds, in a child process) and this
    // process's first analysis (jieba's dictionary, the models), which the demo load needs, side by side
    mkdirSync(dataPath, { recursive: true });
    const initdb = initEmbeddedDataDir(dataPath);
    initdb.catch(() => {}); // awaited just below
    analyzeMessage('镜湖区路灯不亮，请尽快维修。');
    await initdb;
  }
  const db = await openDatabase(config, logger, { departments: shipped.departments });
  const queue = openQueue(config, logger);
  const processors = createProcessors({ db, queue, logger, config, shipped });
  if (queue instanceof InProcessQueue) {
    queue.register(processors);
  } else {
    const workers = startBullMqWorkers(redisConnection(config.REDIS_URL!), config.QUEUE_PREFIX, processors, {
      concurrency: config.WORKER_CONCURRENCY,
      onError: (err, info) => logger.warn({ err, ...info }, 'worker error'),
    });
    steps.push({ name: 'workers', run: () => workers.close() });
  }
  const periodic = () => schedulePeriodic({ db, queue, logger, config, shipped });
  // in-process, the sweeps would share PGlite's one session with the demo load (and the message
  // sweep race it for the messages it stores): they start once the load is over. With Redis the
  // schedules live in Redis and other workers run them anyway, so they are asserted at once.
  const sweepsAfterDemo = demo && queue instanceof InProcessQueue;
  if (!sweepsAfterDemo) await periodic();
  if (!(queue instanceof InProcessQueue)) {
    const stopKeeping = keepSchedules({ db, queue, logger, config, shipped });
    steps.push({ name: 'schedules', run: async () => stopKeeping() });
  }
  await ensureDashboardBuilt();
  const redis = openRedis(config, logger);
  const app = createApp({ db, queue, config, logger, shipped, redis, dashboardDir: DASHBOARD_DIST });
  const server = await listen(app, config.HOST, config.PORT);
  steps.unshift({ name: 'http', run: () => new Promise<void>((r) => server.close(() => r())) });
  steps.push(
    { name: 'queue', run: () => queue.close() },
    { name: 'redis', run: async () => redis?.disconnect() },
    { name: 'database', run: () => db.close() },
  );
  for (const w of calendarWarnings(sla.calendar, new Date())) logger.warn(w);
  logger.info(
    { url: `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}/`, database: db.mode, queue: queue.kind, demo },
    'Minsheng 民声 is running',
  );
  if (demo) {
    // the sweeps start when the load ends or after DEMO_SWEEPS_AFTER_MS, whichever comes first (a
    // load that hangs must not leave the service without sweeps), and never once shutdown has begun
    // (the queue would be closed under them)
    let stopping = false;
    let swept = !sweepsAfterDemo;
    const startSweeps = () => {
      if (swept || stopping) return;
      swept = true;
      periodic().catch((err) => logger.error({ err }, 'could not schedule the periodic sweeps'));
    };
    const timer = setTimeout(() => {
      if (!swept && !stopping) logger.warn({ afterMs: DEMO_SWEEPS_AFTER_MS }, 'demo data still loading: the periodic sweeps start now');
      startSweeps();
    }, DEMO_SWEEPS_AFTER_MS);
    timer.unref();
    steps.unshift({ name: 'sweeps', run: async () => { stopping = true; clearTimeout(timer); } });
    loadDemo({ sql: db.sql, logger, shipped, count: config.DEMO_MESSAGES, heapBytes: db.embeddedHeapBytes })
      .catch((err) => logger.error({ err }, 'demo data could not be loaded'))
      // the sweeps start even when the load failed: the service runs on what was stored
      .finally(() => {
        clearTimeout(timer);
        startSweeps();
      });
  }
  return shutdown;
}

main().catch((err) => {
  logger.fatal({ err }, `start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
