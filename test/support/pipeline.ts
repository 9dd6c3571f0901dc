// Wires processors to a queue the way bin/start.ts and workers/main.ts do.
import { InProcessQueue } from '../../core/queue/in-process';
import { createProcessors } from '../../workers/processors/index';
import type { Database } from '../../core/db/connect';
import { silentLogger } from './app';
import { sla } from './cases';

export function inProcessPipeline(db: Database, opts: { now?: () => Date } = {}) {
  const queue = new InProcessQueue({ concurrency: 2 });
  queue.register(createProcessors({ db, queue, logger: silentLogger, now: opts.now, sla }));
  return queue;
}

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000, stepMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
