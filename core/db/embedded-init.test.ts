// A new embedded data directory is initialised in a child process, once, and moved into place when
// done; what a killed start left is removed; a failure names the folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initEmbeddedDataDir, needsInitdb } from './embedded-init';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ms-embedded-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('initEmbeddedDataDir', () => {
  it('runs initdb for a new folder only, and removes what a killed start left', async () => {
    const data = path.join(dir, 'pglite');
    mkdirSync(data); // the empty folder a caller makes first
    // a start killed during its initdb: its process is gone, its folder stayed
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    mkdirSync(path.join(dir, `pglite.initdb-${gone}`));
    expect(needsInitdb(data)).toBe(true);
    expect(await initEmbeddedDataDir(data)).toBe(true);
    expect(needsInitdb(data)).toBe(false);
    expect(existsSync(path.join(data, 'postgresql.conf'))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['pglite']);
    expect(await initEmbeddedDataDir(data)).toBe(false);
  }, 180_000);

  it('fails with the folder named when initdb cannot run there', async () => {
    const file = path.join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    await expect(initEmbeddedDataDir(path.join(file, 'pglite'))).rejects.toThrow(/initdb of .*not-a-folder\/pglite failed/);
  }, 180_000);

  it('stops an initdb that outlasts its limit, naming the folder, and leaves nothing taken for a cluster', async () => {
    const data = path.join(dir, 'slow', 'pglite');
    mkdirSync(data, { recursive: true });
    // 1 ms: the child is killed before Node has even started, let alone PGlite's initdb
    await expect(initEmbeddedDataDir(data, { timeoutMs: 1 })).rejects.toThrow(/initdb of .*slow\/pglite failed: 初始化数据目录 .*slow\/pglite 超时.*timed out/);
    expect(needsInitdb(data)).toBe(true);
    expect(readdirSync(path.join(dir, 'slow'))).toEqual(['pglite']);
    expect(readdirSync(data)).toEqual([]);
  }, 180_000);

  it('a child killed part-way leaves the data directory needing initdb, and the next start completes it', async () => {
    const data = path.join(dir, 'killed', 'pglite');
    mkdirSync(data, { recursive: true });
    const staging = `${data}.initdb-${process.pid}`;
    const run = initEmbeddedDataDir(data);
    run.catch(() => {});
    // once the child has begun writing its cluster (PG_VERSION is among the first files), kill it
    const child = await waitForChild(staging);
    process.kill(child, 'SIGKILL');
    await expect(run).rejects.toThrow(/initdb of .*killed\/pglite failed/);
    expect(needsInitdb(data)).toBe(true);
    expect(existsSync(staging)).toBe(false);
    expect(await initEmbeddedDataDir(data)).toBe(true);
    expect(needsInitdb(data)).toBe(false);
  }, 180_000);
});

/** The pid of this process's initdb child, once the folder it writes has a file in it. */
async function waitForChild(staging: string): Promise<number> {
  for (;;) {
    if (existsSync(staging) && readdirSync(staging).length > 0) {
      const out = spawnSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' }).stdout;
      const pids = out.split('\n').filter(Boolean).map(Number);
      const mine = pids.find((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(staging);
        } catch {
          return false;
        }
      });
      if (mine) return mine;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
