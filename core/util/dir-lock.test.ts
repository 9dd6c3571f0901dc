import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withDirLock } from './dir-lock';

const dir = mkdtempSync(path.join(tmpdir(), 'minsheng-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('withDirLock', () => {
  it('one holder at a time; the lock is gone afterwards', async () => {
    const lock = path.join(dir, 'a.lock');
    const log: string[] = [];
    const holder = (name: string) =>
      withDirLock(lock, async () => {
        log.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 30));
        log.push(`${name} out`);
      }, 5);
    await Promise.all([holder('a'), holder('b'), holder('c')]);
    // never two "in" without an "out" between
    for (let i = 0; i < log.length; i += 2) expect([log[i].split(' ')[1], log[i + 1].split(' ')[1]]).toEqual(['in', 'out']);
    expect(log).toHaveLength(6);
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock whose owner died, and releases on an error', async () => {
    const lock = path.join(dir, 'b.lock');
    // a pid that is certainly gone: a child that has exited
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    mkdirSync(lock);
    writeFileSync(path.join(lock, 'pid'), dead);
    expect(await withDirLock(lock, async () => 'got it', 5)).toBe('got it');
    await expect(withDirLock(lock, async () => Promise.reject(new Error('build failed')), 5)).rejects.toThrow('build failed');
    expect(existsSync(lock)).toBe(false);
  });
});
