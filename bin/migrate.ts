// `npm run migrate`: applies pending migrations and exits non-zero, naming the file, on failure.
import { getConfigOrExit } from '../core/config';
import { createLogger } from '../core/logger';
import { openDatabase } from '../core/runtime';

const config = getConfigOrExit();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'minsheng-migrate' });
try {
  const db = await openDatabase(config, logger);
  await db.close();
  logger.info('database is up to date');
} catch (err) {
  console.error(`migrate failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
