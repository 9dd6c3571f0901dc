// A new embedded data directory is initialised in a child process, once, and moved into place when
// done; what a killed start left is removed; a failure names the folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
});
