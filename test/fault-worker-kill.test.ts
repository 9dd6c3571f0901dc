// Fault: a worker process is SIGKILLed mid-batch (issue 13 item 4). Production mode as deployed: the
// API and a worker as separate processes on real PostgreSQL and a Redis the test starts itself. The
// killed worker's jobs were taken and never finished; a new worker finds them (BullMQ's stalled-job
// check) and the message sweep covers anything else. Every accepted message ends on exactly one case.
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { allowFor, WAIT_MS, waitFor } from './support/pipeline';
import { freePort } from './support/net';
import { allOnCases, apiUp, ownRedis, pendingPipelineJobs, pipelineOutcome, postPortal, scratchDatabase, spawnService, type OwnRedis, type ServiceProcess } from './support/processes';

const pgUrl = inject('pgUrl');
const redisAvailable = inject('redisUrl');
const START_MS = allowFor(1, 5_000);
/** posted before the kill, so the worker has a batch in hand; and after it, with no worker, and with the new one */
const BEFORE = 60;
const BETWEEN = 20;
const AFTER = 20;
const TOTAL = BEFORE + BETWEEN + AFTER;
// one message some 500 ms through the pipeline on a loaded machine, plus BullMQ's stalled-job check (30 s)
// and a sweep round (a minute) for a job the kill took with it
const PIPELINE_MS = allowFor(TOTAL, 500) + 2 * 60_000;

describe.skipIf(!pgUrl || !redisAvailable)('fault: a worker process is killed mid-batch', () => {
  let db: Awaited<ReturnType<typeof scratchDatabase>> | undefined;
  let redis: OwnRedis | undefined;
  const procs: ServiceProcess[] = [];
  let env: Record<string, string> = {};
  let base = '';
  const prefix = 'msfault-kill';

  beforeAll(async () => {
    db = await scratchDatabase(pgUrl!);
    redis = await ownRedis();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = { DATABASE_URL: db.url, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, PORT: String(port), PORTAL_RATE_LIMIT: '10000', WORKER_CONCURRENCY: '4' };
    const api = spawnService('api/server.ts', env);
    procs.push(api);
    await apiUp(base, api, START_MS);
  }, START_MS + WAIT_MS);

  afterAll(async () => {
    for (const p of procs) await p.kill('SIGKILL');
    await redis?.stop();
    await db?.drop();
  }, WAIT_MS);

  it('every accepted message ends on exactly one case after a SIGKILL and a new worker', async () => {
    const tracking: string[] = [];
    const post = async (from: number, n: number) => {
      for (let i = from; i < from + n; i++) {
        const t = await postPortal(base, i, 'kill');
        expect(t, `post ${i} accepted`).toBeTruthy();
        tracking.push(t!);
      }
    };
    const first = spawnService('workers/main.ts', env);
    procs.push(first);
    await post(0, BEFORE);
    // the worker has started on the batch: kill it with jobs in hand
    await waitFor(async () => {
      if (!first.alive()) throw new Error(`the first worker died on its own: ${first.log().slice(-2000)}`);
      const o = await pipelineOutcome(db!.url, tracking);
      return o.onCase >= 1;
    }, START_MS + allowFor(1, 500), 25, 'the first worker started on the batch');
    expect(await first.kill('SIGKILL')).toBeNull(); // killed, not exited
    const atKill = await pipelineOutcome(db!.url, tracking);
    expect(atKill.onCase).toBeLessThan(BEFORE); // mid-batch

    await post(BEFORE, BETWEEN); // intake goes on with no worker at all
    const second = spawnService('workers/main.ts', env);
    procs.push(second);
    await post(BEFORE + BETWEEN, AFTER);
    expect(tracking).toHaveLength(TOTAL);

    await waitFor(() => allOnCases(db!.url, tracking, [procs[0], second]), PIPELINE_MS, 500, `all ${TOTAL} messages on cases`);
    await waitFor(async () => (await pendingPipelineJobs(redis!.url, prefix)) === 0, WAIT_MS, 250, 'no pipeline job left waiting or running');
    const o = await pipelineOutcome(db!.url, tracking);
    expect(o).toEqual({ stored: TOTAL, storedTwice: 0, onCase: TOTAL, failed: 0, orphanCases: 0, unprocessed: 0, onLiveCase: TOTAL });
    expect(second.alive()).toBe(true);
  }, START_MS + PIPELINE_MS + 2 * WAIT_MS);
});
