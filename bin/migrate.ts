// `npm run migrate`: applies pending migrations and exits non-zero, naming the file, on failure.
import { getConfigOrExit } from '../core/config';
import { createLogger } from '../core/logger';
import { openDatabase } from '../core/runtime';
import { loadShippedOrExit } from '../core/shipped/index';
import { parseCommandArgs, UsageError } from '../core/util/args';

const USAGE = 'usage: npm run migrate (no options; DATABASE_URL or DATA_DIR says which database)';
try {
  if (parseCommandArgs({ args: process.argv.slice(2), options: { help: { type: 'boolean', short: 'h' } } }).values.help) {
    console.error(USAGE);
    process.exit(0);
  }
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(`migrate: ${err.message}\n${USAGE}`);
  process.exit(2);
}
const config = getConfigOrExit();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'minsheng-migrate' });
try {
  const db = await openDatabase(config, logger, { departments: loadShippedOrExit(config).departments });
  await db.close();
  logger.info('database is up to date');
} catch (err) {
  console.error(`migrate failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
