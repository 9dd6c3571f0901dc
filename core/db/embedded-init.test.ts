// A new embedded data directory is initialised in a child process, once; a failure names the folder.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initEmbeddedDataDir, needsInitdb } from './embedded-init';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ms-embedded-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('initEmbeddedDataDir', () => {
  it('runs initdb for a new folder only', async () => {
    const data = path.join(dir, 'pglite');
    expect(needsInitdb(data)).toBe(true);
    expect(await initEmbeddedDataDir(data)).toBe(true);
    expect(needsInitdb(data)).toBe(false);
    expect(await initEmbeddedDataDir(data)).toBe(false);
  }, 180_000);

  it('fails with the folder named when initdb cannot run there', async () => {
    const file = path.join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    await expect(initEmbeddedDataDir(file)).rejects.toThrow(/initdb of .*not-a-folder failed/);
  }, 180_000);
});
