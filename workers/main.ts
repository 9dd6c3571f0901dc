// Production worker process: `npm run start:worker` (any number of them), consuming BullMQ queues.
import { getConfigOrExit } from '../core/config';
import { loadShippedOrExit } from '../core/shipped/index';
import { createLogger } from '../core/logger';
import { redisConnection, startBullMqWorkers } from '../core/queue/bullmq';
import { openDatabase, openQueue } from '../core/runtime';
import { installShutdown } from '../core/shutdown';
import { createProcessors, keepSchedules, schedulePeriodic } from './processors/index';

const config = getConfigOrExit();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'minsheng-worker' });
if (!config.DATABASE_URL || !config.REDIS_URL) {
  logger.fatal('start:worker needs DATABASE_URL and REDIS_URL; for everything in one process use `npm start`');
  process.exit(78);
}
const shipped = loadShippedOrExit(config);
try {
  const { sla } = shipped;
  const db = await openDatabase(config, logger, { departments: shipped.departments });
  const queue = openQueue(config, logger);
  const processors = createProcessors({ db, queue, logger, config, shipped });
  const workers = startBullMqWorkers(redisConnection(config.REDIS_URL), config.QUEUE_PREFIX, processors, {
    concurrency: config.WORKER_CONCURRENCY,
    onError: (err, info) => logger.warn({ err, ...info }, 'worker error'),
  });
  await schedulePeriodic({ db, queue, logger, config, shipped });
  const stopKeeping = keepSchedules({ db, queue, logger, config, shipped });
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
