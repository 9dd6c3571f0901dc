// Entry points refuse a bad environment, naming the variable, before touching anything.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

function run(script: string, env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, script)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    encoding: 'utf8',
    // a tsx start is a second or two idle and much more on a loaded machine: the limit only catches a hang
    timeout: 120_000,
  });
}

describe('configuration at start-up', () => {
  it('npm start stops on a bad PORT and names it', () => {
    const r = run('bin/start.ts', { PORT: 'eighty' });
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/config error: PORT/);
  });

  it('the worker stops on a non-redis REDIS_URL and names it', () => {
    const r = run('workers/main.ts', { DATABASE_URL: 'postgres://x@127.0.0.1:1/x', REDIS_URL: 'http://nope' });
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/config error: REDIS_URL/);
  });

  it('start:api refuses to run without the production services', () => {
    const r = run('api/server.ts', {});
    expect(r.status).toBe(78);
    expect(r.stdout + r.stderr).toMatch(/DATABASE_URL and REDIS_URL/);
  });

  it('npm start refuses unknown options', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/start.ts'), '--demo-off'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option --demo-off/);
  });
});
