// postgres.js 3.4.9 can throw from a timer after a server restart closed the socket under a pending
// write: `TypeError: Cannot read properties of null (reading 'write')` in src/connection.js
// (porsager/postgres #1154, #1208). Nothing can catch it but the process, and uncaught it kills
// the worker while the database is already back. This guard swallows exactly that signature
// (logged; the pool opens a fresh connection on the next query) and keeps Node's behaviour for
// every other uncaught exception: log it and exit non-zero.
import type { Logger } from '../logger';

const NULL_SOCKET_WRITE = "Cannot read properties of null (reading 'write')";
const POSTGRES_CONNECTION = /[\\/]postgres[\\/](?:cjs[\\/]|cf[\\/])?src[\\/]connection\.js/;

/** True for the upstream bug's error and nothing else. */
export function isPostgresNullSocketWrite(err: unknown): boolean {
  return err instanceof TypeError && err.message === NULL_SOCKET_WRITE && POSTGRES_CONNECTION.test(err.stack ?? '');
}

/** Installs the process-level handler; returns a function that removes it. */
export function installPostgresCrashGuard(logger: Logger, exit: (code: number) => void = (code) => process.exit(code)): () => void {
  const onUncaught = (err: Error, origin: string) => {
    if (isPostgresNullSocketWrite(err)) {
      logger.warn({ err: err.message }, 'postgres.js wrote to a closed connection after a database restart (porsager/postgres #1154); the pool reconnects');
      return;
    }
    logger.fatal({ err, origin }, 'uncaught exception');
    exit(1);
  };
  process.on('uncaughtException', onUncaught);
  return () => process.off('uncaughtException', onUncaught);
}
