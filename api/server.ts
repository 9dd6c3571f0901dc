// Production API process: `npm run start:api` (needs DATABASE_URL and REDIS_URL; workers run apart).
import { calendarWarnings } from '../core/cases/calendar-coverage';
import { refreshWorkingCalendar } from '../core/cases/calendar';
import { serve } from '@hono/node-server';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, openQueue, openRedis, serviceProcess } from '../core/runtime';
import { installShutdown } from '../core/shutdown';
import { createApp } from './app';

export const DASHBOARD_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dashboard/dist');

/**
 * How long a client may take (Node's defaults are 60 s for headers and 300 s for the request, checked
 * every 30 s): a request whose headers or body do not arrive in time is answered 408 and its
 * connection closed, so slow or incomplete uploads cannot hold connections for minutes. Every
 * payload here is at most 64 KiB; 20 s is plenty on a poor mobile link.
 */
export const SERVER_TIMEOUTS = { headersTimeoutMs: 10_000, requestTimeoutMs: 20_000, checkEveryMs: 1_000, keepAliveTimeoutMs: 5_000 };

export function listen(
  app: ReturnType<typeof createApp>,
  host: string,
  port: number,
  timeouts: typeof SERVER_TIMEOUTS = SERVER_TIMEOUTS,
): Promise<ReturnType<typeof serve>> {
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: app.fetch,
        hostname: host,
        port,
        serverOptions: {
          headersTimeout: timeouts.headersTimeoutMs,
          requestTimeout: timeouts.requestTimeoutMs,
          connectionsCheckingInterval: timeouts.checkEveryMs,
          keepAliveTimeout: timeouts.keepAliveTimeoutMs,
        },
      },
      () => resolve(server),
    );
    server.once('error', reject);
  });
}

async function main() {
  const { config, logger, shipped } = serviceProcess(
    'minsheng-api',
    'start:api runs the API alone and needs DATABASE_URL and REDIS_URL; for everything in one process use `npm start`',
  );
  const { sla } = shipped;
  const db = await openDatabase(config, logger, { departments: shipped.departments });
  const queue = openQueue(config, logger);
  const redis = openRedis(config, logger);
  const app = createApp({ db, queue, config, logger, shipped, redis, dashboardDir: DASHBOARD_DIST });
  const server = await listen(app, config.HOST, config.PORT);
  for (const w of calendarWarnings(sla.calendar, new Date())) logger.warn(w);
  // the workers' SLA sweep recounts provisional deadlines when a holiday file arrives; this process
  // only needs to count new deadlines on it too
  const calendarCheck = setInterval(() => {
    try {
      if (refreshWorkingCalendar(sla.calendar).changed) logger.info({ years: sla.calendar.years }, 'holiday calendar reloaded');
    } catch (err) {
      logger.error({ err }, 'holiday calendar folder changed but does not validate; keeping the calendar loaded before');
    }
  }, 60_000);
  calendarCheck.unref();
  logger.info({ url: `http://${config.HOST}:${config.PORT}` }, 'api listening');
  installShutdown(logger, [
    { name: 'http', run: () => new Promise<void>((r) => server.close(() => r())) },
    { name: 'calendar', run: async () => clearInterval(calendarCheck) },
    { name: 'queue', run: () => queue.close() },
    { name: 'redis', run: async () => redis?.disconnect() },
    { name: 'database', run: () => db.close() },
  ]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`start:api failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
