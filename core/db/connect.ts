// One postgres.js instance per process, against real PostgreSQL or the embedded PGlite,
// which is served on a loopback port by @electric-sql/pglite-socket so the same code runs on both.
import postgres from 'postgres';
import { mkdirSync } from 'node:fs';
import { initEmbeddedDataDir } from './embedded-init';
import path from 'node:path';

/** The pool: what begins transactions. */
export type Sql = postgres.Sql;
/** A transaction begun on the pool (the `tx` of `sql.begin`). */
export type TransactionSql = postgres.TransactionSql;
/** What every query function in core/db takes: the pool or a transaction, the same queries on either. */
export type Db = Sql | TransactionSql;

export interface Database {
  sql: Sql;
  mode: 'postgres' | 'embedded';
  /** the URL postgres.js connects to (the loopback socket server in embedded mode) */
  url: string;
  close(): Promise<void>;
  /** embedded only: the size of PGlite's WASM heap in this process (it grows, never shrinks) */
  embeddedHeapBytes?(): number;
}

const closeHooks = new WeakMap<Sql, Set<() => Promise<void>>>();
/** how long each close hook may take before the pool is ended without it */
export const CLOSE_HOOK_MS = 5_000;

/**
 * Runs `fn` when the Database of this pool is closed, before its connections end (a writer that
 * buffers, like the topic code's term counts, flushes there). Returns a function that removes it.
 */
export function onClose(sql: Sql, fn: () => Promise<void>): () => void {
  let hooks = closeHooks.get(sql);
  if (!hooks) closeHooks.set(sql, (hooks = new Set()));
  hooks.add(fn);
  return () => hooks.delete(fn);
}

/** Runs every close hook of the pool (each once, each for CLOSE_HOOK_MS at most, even if one throws); throws the first failure after all ran. */
async function runCloseHooks(sql: Sql): Promise<void> {
  const hooks = closeHooks.get(sql);
  if (!hooks) return;
  closeHooks.delete(sql);
  let failure: unknown;
  for (const fn of hooks) {
    let timer: NodeJS.Timeout | undefined;
    try {
      // a hook that cannot finish (the server gone, the one embedded connection held) does not hold the close
      await Promise.race([fn(), new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`a close hook took more than ${CLOSE_HOOK_MS} ms; the pool is ended without it`)), CLOSE_HOOK_MS);
      })]);
    } catch (err) {
      failure ??= err;
    } finally {
      clearTimeout(timer);
    }
  }
  if (failure !== undefined) throw failure;
}

/** Ends the pool after its close hooks, whether or not they succeeded; a hook's failure is thrown after. */
async function endPool(sql: Sql): Promise<void> {
  try {
    await runCloseHooks(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export interface ConnectOptions {
  databaseUrl?: string;
  dataDir: string;
  poolMax?: number;
  /** schema to use as search_path (tests isolate themselves in their own schema) */
  schema?: string;
  /** keep the embedded database in memory (tests) */
  inMemory?: boolean;
  onNotice?: (msg: string) => void;
}

function sqlOptions(max: number, schema?: string): postgres.Options<{}> {
  return {
    max,
    idle_timeout: 30,
    // postgres.js's default: on a loaded machine a new connection can take over 10 s (seen in CI at load 15)
    connect_timeout: 30,
    onnotice: () => {},
    connection: schema ? { search_path: schema } : {},
    // bigint ids fit a JS number for the life of this service; return them as numbers
    types: {
      bigint: { to: 20, from: [20], serialize: (x: number | bigint) => x.toString(), parse: (x: string) => Number(x) },
    },
    // result columns come back camelCase (case_id → caseId) and helper column names go out snake_case;
    // only names: JSONB values keep their keys as stored (postgres.camel would rewrite those too)
    transform: { undefined: null, column: { from: postgres.toCamel, to: postgres.fromCamel } },
  };
}

export async function connectDatabase(opts: ConnectOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const sql = postgres(opts.databaseUrl, sqlOptions(opts.poolMax ?? 10, opts.schema));
    return { sql, mode: 'postgres', url: opts.databaseUrl, close: () => endPool(sql) };
  }
  return startEmbedded(opts);
}

/** Where the embedded cluster lives under DATA_DIR. */
export function embeddedDataPath(dataDir: string): string {
  return path.resolve(dataDir, 'pglite');
}

async function startEmbedded(opts: ConnectOptions): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  let dataPath: string | undefined;
  if (!opts.inMemory) {
    dataPath = embeddedDataPath(opts.dataDir);
    mkdirSync(dataPath, { recursive: true });
    // a new directory's initdb runs in a child process, whose memory goes when it exits (./embedded-init.ts)
    await initEmbeddedDataDir(dataPath);
  }
  // small buffers: PGlite's default 128 MB shared_buffers sits in the WASM heap of this process
  // (a reopened data dir: 346 MB RSS with the defaults, 229 MB with these). Given as -c start
  // parameters, not PGlite's postgresqlconf option, which rewrites postgresql.conf and so drops
  // initdb's settings (timezone UTC, the text search config) and any operator's edits
  const startParams = [...PGlite.defaultStartParams, ...['shared_buffers=16MB', 'work_mem=2MB', 'maintenance_work_mem=16MB', 'wal_buffers=1MB', 'temp_buffers=2MB'].flatMap((s) => ['-c', s])];
  const pg = await PGlite.create(dataPath ? { dataDir: dataPath, startParams } : { startParams });
  const server = new PGLiteSocketServer({ db: pg, host: '127.0.0.1', port: 0 });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  if (!Number.isInteger(port) || port <= 0) throw new Error(`embedded database: socket server reported no port (${server.getServerConn()})`);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  // PGlite is one session: a pool larger than one connection resets (measured: ECONNRESET).
  const sql = postgres(url, sqlOptions(1, opts.schema));
  return {
    sql,
    mode: 'embedded',
    url,
    embeddedHeapBytes: () => pg.Module.HEAPU8.byteLength,
    async close() {
      try {
        await endPool(sql);
      } finally {
        await server.stop();
        await pg.close();
      }
    },
  };
}

/** One round trip: resolves when the database answers. */
export async function ping(sql: Db): Promise<void> {
  await sql`SELECT 1`;
}
