// Opening the process's database and job queue from the configuration (used by every entry point).
import path from 'node:path';
import { getConfigOrExit, type Config } from './config';
import { connectDatabase, type Database } from './db/connect';
import { migrate } from './db/migrate';
import { installPostgresCrashGuard } from './db/postgres-crash-guard';
import type { Department } from './cases/routing';
import { seedReferenceData } from './db/reference-data';
import { createLogger, type Logger } from './logger';
import { loadShippedOrExit, type Shipped } from './shipped/index';
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

/**
 * The start of a production process that runs apart (start:api, start:worker): its configuration and
 * logger, a stop when DATABASE_URL or REDIS_URL is missing (`needs` says why), then the shipped data.
 */
export function serviceProcess(name: string, needs: string): { config: Config & { DATABASE_URL: string; REDIS_URL: string }; logger: Logger; shipped: Shipped } {
  const config = getConfigOrExit();
  const logger = createLogger({ level: config.LOG_LEVEL, name });
  if (!config.DATABASE_URL || !config.REDIS_URL) {
    logger.fatal(needs);
    process.exit(78);
  }
  // a PostgreSQL restart must not kill the process (an upstream postgres.js bug throws from a timer)
  installPostgresCrashGuard(logger);
  return { config: { ...config, DATABASE_URL: config.DATABASE_URL, REDIS_URL: config.REDIS_URL }, logger, shipped: loadShippedOrExit(config) };
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
