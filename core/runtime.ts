// Opening the process's database and job queue from the configuration (used by every entry point).
import path from 'node:path';
import type { Config } from './config';
import { connectDatabase, type Database } from './db/connect';
import { migrate } from './db/migrate';
import type { Department } from './cases/routing';
import { seedReferenceData } from './db/reference-data';
import type { Logger } from './logger';
import { Redis } from 'ioredis';
import { BullMqQueue, redisConnection } from './queue/bullmq';
import type { JobQueue } from './queue/contract';
import { InProcessQueue } from './queue/in-process';

/** Opens the database; unless told not to, migrates it and seeds the reference data (departments, from the shipped data). */
export async function openDatabase(config: Config, logger: Logger, opts: { migrate: false } | { departments: Department[] }): Promise<Database> {
  const db = await connectDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: path.resolve(config.DATA_DIR),
    poolMax: config.DATABASE_POOL_MAX,
  });
  logger.info({ mode: db.mode, url: db.mode === 'embedded' ? db.url : undefined }, 'database connected');
  if ('departments' in opts) {
    try {
      const applied = await migrate(db.sql, { log: (m) => logger.info(m) });
      if (applied.length) logger.info({ applied }, 'migrations applied');
      await seedReferenceData(db.sql, { departments: opts.departments });
    } catch (err) {
      await db.close().catch(() => {});
      throw err;
    }
  }
  return db;
}

export function openQueue(config: Config, logger: Logger): JobQueue {
  if (config.REDIS_URL) return new BullMqQueue(redisConnection(config.REDIS_URL), config.QUEUE_PREFIX);
  return new InProcessQueue({
    concurrency: config.WORKER_CONCURRENCY,
    onError: (err, job) => logger[job.final ? 'error' : 'warn']({ err, job }, job.final ? 'job failed for good' : 'job failed; will retry'),
  });
}

/** A plain Redis client for state shared across API processes (rate limits); none in embedded mode. */
export function openRedis(config: Config, logger: Logger): Redis | undefined {
  if (!config.REDIS_URL) return undefined;
  const redis = new Redis({ ...(redisConnection(config.REDIS_URL) as object), maxRetriesPerRequest: 2 });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
  return redis;
}
