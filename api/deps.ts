import type { Sla } from '../core/cases/sla';
import type { Config } from '../core/config';
import type { Database } from '../core/db/connect';
import type { Logger } from '../core/logger';
import type { Redis } from 'ioredis';
import type { JobQueue } from '../core/queue/contract';

/** What the API needs from its process; tests pass their own. */
export interface AppDeps {
  db: Database;
  queue: JobQueue;
  config: Config;
  logger: Logger;
  /** the SLA policy and working calendar, loaded once per process */
  sla: Sla;
  /** shared state across API processes (rate limits); absent in embedded mode */
  redis?: Redis;
  /** built dashboard to serve at / (absent: API only) */
  dashboardDir?: string;
}

export type AppEnv = { Variables: { requestId: string } };
