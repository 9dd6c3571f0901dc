// Wires processors to a queue the way bin/start.ts and workers/main.ts do.
import { InProcessQueue } from '../../core/queue/in-process';
import { createProcessors } from '../../workers/processors/index';
import type { Database } from '../../core/db/connect';
import { silentLogger } from './app';
import { shipped } from './cases';

export function inProcessPipeline(db: Database, opts: { now?: () => Date } = {}) {
  const queue = new InProcessQueue({ concurrency: 2 });
  queue.register(createProcessors({ db, queue, logger: silentLogger, now: opts.now, shipped }));
  return queue;
}

/**
 * A generous limit for a condition that takes a moment on an idle machine (a pipeline run, a server
 * answering): on a loaded 2-core machine the same work can take many times longer. Waits for work
 * that grows (N messages, a backoff to sit out) add their own share on top: see `allowFor`.
 */
export const WAIT_MS = 60_000;

/** A limit for `count` units of work of about `msEach` each on an idle machine: 20× that, plus WAIT_MS. */
export function allowFor(count: number, msEach: number): number {
  return WAIT_MS + 20 * count * msEach;
}

/** Polls `fn` until it returns something truthy; fails naming the limit (and `what`) when it never does. */
export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = WAIT_MS, stepMs = 100, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
