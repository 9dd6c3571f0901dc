// A new embedded data directory is initialised (PGlite's initdb) in a child process of its own (this
// Node binary, no shell), then opened by the caller as an existing one. PGlite keeps the memory of
// its initdb step for the life of the instance that ran it: measured on PGlite 0.5.14, a process that
// created a new data directory sat at 653 MB RSS after a GC, one that reopened the same directory at
// 161 MB. Done in a worker thread instead, the process kept some 107 MB of it (the thread's malloc
// arenas); a child process gives everything back when it exits. The child writes a folder beside the
// data directory, renamed into place once initdb is done: a start killed part-way leaves no half
// cluster where the next start would open it, only that folder, removed by the next start.
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { execFile } from 'node:child_process';

const require = createRequire(import.meta.url);

// plain CommonJS run by the child: create (initdb) and close; argv: PGlite's module, the folder
const INIT = `
const { PGlite } = require(process.argv[1]);
PGlite.create({ dataDir: process.argv[2] }).then((pg) => pg.close()).then(
  () => process.exit(0),
  (err) => { process.stderr.write(String((err && err.stack) || err)); process.exit(1); });
`;

/** True when the folder holds no PostgreSQL cluster yet (PGlite runs initdb there on open). */
export function needsInitdb(dataPath: string): boolean {
  return !existsSync(path.join(dataPath, 'PG_VERSION'));
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The folders of initdb runs whose process is gone (a start killed part-way). */
function removeStaleInits(dataPath: string): void {
  const dir = path.dirname(dataPath);
  const prefix = `${path.basename(dataPath)}.initdb-`;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

/** how long initdb may take before the child is killed (some seconds normally; a loaded machine is slower) */
export const INITDB_TIMEOUT_MS = 5 * 60_000;

/** Runs PGlite's initdb for `dataPath` in a child process when the folder has no cluster; true when it did. */
export async function initEmbeddedDataDir(dataPath: string, opts: { timeoutMs?: number } = {}): Promise<boolean> {
  const timeoutMs = opts.timeoutMs ?? INITDB_TIMEOUT_MS;
  if (!needsInitdb(dataPath)) return false;
  removeStaleInits(dataPath);
  const staging = `${dataPath}.initdb-${process.pid}`;
  try {
    rmSync(staging, { recursive: true, force: true });
    await new Promise<void>((resolve, reject) => {
      const args = ['-e', INIT, require.resolve('@electric-sql/pglite'), staging];
      execFile(process.execPath, args, { maxBuffer: 4 << 20, timeout: timeoutMs, killSignal: 'SIGKILL' }, (err, _out, stderr) => {
        if (err && (err as { killed?: boolean }).killed) {
          const s = Math.round(timeoutMs / 1000);
          reject(new Error(`初始化数据目录 ${dataPath} 超时（${s} 秒），已中止 / timed out after ${s} s and was stopped`));
        } else if (err) reject(new Error(stderr.trim().slice(-2000) || err.message));
        else resolve();
      });
    });
    // into place: rename(2) replaces the empty folder the caller may have made
    renameSync(staging, dataPath);
  } catch (err) {
    try {
      rmSync(staging, { recursive: true, force: true });
    } catch {
      // nothing was made
    }
    throw new Error(`embedded database: initdb of ${dataPath} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return true;
}
