// A lock between processes on one machine: a directory created atomically (mkdir fails when it
// exists), holding the owner's pid. A lock whose owner is gone (killed mid-build) is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryTake(lockDir: string): boolean {
  try {
    mkdirSync(lockDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    let owner = NaN;
    try {
      owner = Number(readFileSync(path.join(lockDir, 'pid'), 'utf8'));
    } catch {
      // the owner has made the folder but not yet written its pid: it is alive
      return false;
    }
    if (Number.isInteger(owner) && !alive(owner)) rmSync(lockDir, { recursive: true, force: true });
    return false;
  }
  writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
  return true;
}

/** Runs `fn` holding the lock; waits (polling) while another live process holds it. */
export async function withDirLock<T>(lockDir: string, fn: () => Promise<T>, pollMs = 200): Promise<T> {
  while (!tryTake(lockDir)) await new Promise((r) => setTimeout(r, pollMs));
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
