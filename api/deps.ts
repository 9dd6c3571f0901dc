import type { Config } from '../core/config';
import type { Database } from '../core/db/connect';
import type { Logger } from '../core/logger';
import type { Redis } from 'ioredis';
import type { Shipped } from '../core/shipped/index';
import type { JobQueue } from '../core/queue/contract';

/** What the API needs from its process; tests pass their own. */
export interface AppDeps {
  db: Database;
  queue: JobQueue;
  config: Config;
  logger: Logger;
  /** the shipped data (lexicons/: SLA policy and working calendar, routing, places…), loaded and checked once per process */
  shipped: Shipped;
  /** shared state across API processes (rate limits); absent in embedded mode */
  redis?: Redis;
  /** built dashboard to serve at / (absent: API only) */
  dashboardDir?: string;
}

export type AppEnv = { Variables: { requestId: string } };
