// Production worker process: `npm run start:worker` (any number of them), consuming BullMQ queues.
import { getConfigOrExit } from '../core/config';
import { loadSla } from '../core/cases/sla';
import { createLogger } from '../core/logger';
import { redisConnection, startBullMqWorkers } from '../core/queue/bullmq';
import { installPostgresCrashGuard } from '../core/db/postgres-crash-guard';
import { openDatabase, openQueue } from '../core/runtime';
import { installShutdown } from '../core/shutdown';
import { createProcessors, keepSchedules, schedulePeriodic } from './processors/index';

const config = getConfigOrExit();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'minsheng-worker' });
if (!config.DATABASE_URL || !config.REDIS_URL) {
  logger.fatal('start:worker needs DATABASE_URL and REDIS_URL; for everything in one process use `npm start`');
  process.exit(78);
}
// a PostgreSQL restart must not kill the worker (an upstream postgres.js bug throws from a timer)
installPostgresCrashGuard(logger);
try {
  const sla = loadSla();
  const db = await openDatabase(config, logger);
  const queue = openQueue(config, logger);
  const processors = createProcessors({ db, queue, logger, config, sla });
  const workers = startBullMqWorkers(redisConnection(config.REDIS_URL), config.QUEUE_PREFIX, processors, {
    concurrency: config.WORKER_CONCURRENCY,
    onError: (err, info) => logger.warn({ err, ...info }, 'worker error'),
  });
  await schedulePeriodic({ db, queue, logger, config, sla });
  const stopKeeping = keepSchedules({ db, queue, logger, config, sla });
  logger.info({ queues: workers.workers.map((w) => w.name), concurrency: config.WORKER_CONCURRENCY }, 'workers running');
  installShutdown(logger, [
    { name: 'schedules', run: async () => stopKeeping() },
    { name: 'workers', run: () => workers.close() },
    { name: 'queue', run: () => queue.close() },
    { name: 'database', run: () => db.close() },
  ]);
} catch (err) {
  logger.fatal({ err }, 'worker failed to start');
  process.exit(1);
}
