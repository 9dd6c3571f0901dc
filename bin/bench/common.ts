// What the benchmarks share: percentiles, process memory, the realistic messages they send, and
// child processes of the service.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { generateDemoMessages } from '../../core/demo/generate';
import { readCsvFile } from '../../core/util/csv';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const DATASET = path.resolve(ROOT, '../shared/datasets/tipdm-2020c/messages-labelled-dev.csv');

export function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[i] * 10) / 10;
}

/** Resident set size of a process in MB (Linux /proc), null when unknown. */
export function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export interface BenchText {
  title: string;
  content: string;
}

/**
 * Realistic messages: the real provincial message-board posts (subject, detail) when the shared
 * data set is there, otherwise (or with `demo`) the demo generator's, which repeat problems at a place. Repeated in turn when more are asked for.
 */
export function benchTexts(n: number, opts: { demo?: boolean } = {}): { source: string; texts: BenchText[] } {
  let pool: BenchText[] = [];
  let source = 'demo-generator';
  if (!opts.demo && existsSync(DATASET)) {
    const { rows } = readCsvFile(DATASET);
    pool = rows
      .map((r) => ({ title: (r.subject ?? '').trim().slice(0, 100), content: (r.detail ?? r.text ?? '').trim().slice(0, 5000) }))
      .filter((t) => t.title.length >= 2 && t.content.length >= 5);
    source = 'tipdm-2020c/messages-labelled-dev.csv';
  }
  if (!pool.length) {
    pool = generateDemoMessages({ seed: 1, count: Math.min(n, 5000), now: new Date() }).map((m) => ({
      title: (m.title ?? m.body.slice(0, 20)).slice(0, 100).padEnd(2, '。'),
      content: m.body.slice(0, 5000).padEnd(5, '。'),
    }));
  }
  return { source, texts: Array.from({ length: n }, (_, i) => pool[i % pool.length]) };
}

export interface Child {
  proc: ChildProcess;
  name: string;
  log(): string;
  maxRssMb: number | null;
}

/** Starts a service entry point (api/server.ts, workers/main.ts) with the environment given on top of ours. */
export function startChild(name: string, script: string, env: Record<string, string>): Child {
  let log = '';
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d: Buffer) => (log = (log + d.toString()).slice(-8000));
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  return { proc, name, log: () => log, maxRssMb: null };
}

export async function stopChild(c: Child): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  const gone = new Promise((r) => c.proc.once('exit', r));
  c.proc.kill('SIGTERM');
  const t = setTimeout(() => c.proc.kill('SIGKILL'), 15_000);
  await gone;
  clearTimeout(t);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The URL with `search_path` set to `schema` (postgres.js passes unknown query parameters to the server at connect). */
export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('search_path', schema);
  return u.toString();
}

/** Deletes every key under `prefix:` (a bench run's queues, schedules and rate-limit counters). */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<number> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url);
  let n = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) n += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return n;
}
