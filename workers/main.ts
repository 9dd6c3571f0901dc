// Production worker process: `npm run start:worker` (any number of them), consuming BullMQ queues.
import { redisConnection, startBullMqWorkers } from '../core/queue/bullmq';
import { openDatabase, openQueue, serviceProcess } from '../core/runtime';
import { installShutdown } from '../core/shutdown';
import { createProcessors, keepSchedules, schedulePeriodic } from './processors/index';

const { config, logger, shipped } = serviceProcess('minsheng-worker', 'start:worker needs DATABASE_URL and REDIS_URL; for everything in one process use `npm start`');
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
