// `npm run --silent cli -- open311 key …` through the real dispatcher, on an embedded database in a
// temp folder: the key alone on stdout (so a script can capture it), never again after.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const dataDir = mkdtempSync(path.join(tmpdir(), 'ms-open311-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv;
  delete env.DATABASE_URL;
  return spawnSync(tsx, ['bin/cli.ts', 'open311', ...args], { cwd: root, encoding: 'utf8', env });
}

describe('open311 key CLI', () => {
  // five tsx starts, each opening the embedded database: seconds idle, much more on a loaded machine
  it('add prints only the key; list shows the name, never the key; revoke ends it; bad usage exits 2', { timeout: 5 * 60_000 }, () => {
    const add = cli('key', 'add', '--name', 'fixmystreet');
    expect(add.stderr).toMatch(/shown only this once/);
    expect(add.status).toBe(0);
    expect(add.stdout).toMatch(/^ms311_[\w-]{43}\n$/);
    const key = add.stdout.trim();

    const list = cli('key', 'list');
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^fixmystreet\tms311_.{6}…\t\S+\tactive\n$/);
    expect(list.stdout).not.toContain(key);

    expect(cli('key', 'revoke', '--name', 'fixmystreet').status).toBe(0);
    expect(cli('key', 'list').stdout).toMatch(/\trevoked /);

    const bad = cli('key');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/the action is missing/);
  });
});
