// A lock between processes on one machine: a directory holding the owner's pid, made in a private
// folder and renamed into place (rename onto an existing lock fails), so a lock never exists without
// its pid. A lock whose owner is gone (killed mid-build) is moved aside under a unique name first,
// so that of two processes taking it over only one removes it, and only the dead owner's.
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerOf(dir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dir, 'pid'), 'utf8'));
    return Number.isInteger(pid) ? pid : null;
  } catch {
    return null;
  }
}

function tryTake(lockDir: string): boolean {
  const mine = mkdtempSync(`${lockDir}.new-`);
  writeFileSync(path.join(mine, 'pid'), String(process.pid));
  try {
    renameSync(mine, lockDir);
    return true;
  } catch (err) {
    rmSync(mine, { recursive: true, force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
  }
  const owner = ownerOf(lockDir);
  if (owner === null || alive(owner)) return false;
  // the owner is dead: move its lock aside; put back a lock that turns out not to be that owner's
  const aside = `${lockDir}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(lockDir, aside);
  } catch {
    return false; // another process moved it first
  }
  if (ownerOf(aside) === owner) rmSync(aside, { recursive: true, force: true });
  else {
    try {
      renameSync(aside, lockDir);
    } catch {
      rmSync(aside, { recursive: true, force: true });
    }
  }
  return false;
}

/** Runs `fn` holding the lock; waits (polling) while another live process holds it. */
export async function withDirLock<T>(lockDir: string, fn: () => Promise<T>, pollMs = 200): Promise<T> {
  while (!tryTake(lockDir)) await new Promise((r) => setTimeout(r, pollMs));
  try {
    return await fn();
  } finally {
    // release only a lock that is still ours
    if (ownerOf(lockDir) === process.pid) rmSync(lockDir, { recursive: true, force: true });
  }
}
