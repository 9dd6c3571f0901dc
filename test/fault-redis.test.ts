// Faults: Redis restarts (empty: no persistence) and Redis is flushed while residents are writing in
// (issue 13 item 4). Production mode: the API and a worker as separate processes on real PostgreSQL
// and on a Redis this test starts itself on another port — never the shared server. Intake answers
// throughout (it stores first and does not wait on the queue), the processes stay up and reconnect,
// and the sweeps rebuild what Redis lost: every accepted message ends on exactly one case.
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { freePort } from './support/net';
import { allowFor, WAIT_MS, waitFor } from './support/pipeline';
import { allOnCases, apiUp, ownRedis, pendingPipelineJobs, pipelineOutcome, postPortal, scratchDatabase, spawnService, type OwnRedis, type ServiceProcess } from './support/processes';

const pgUrl = inject('pgUrl');
const redisAvailable = inject('redisUrl');
const START_MS = allowFor(1, 5_000);
const BEFORE = 25;
const AFTER = 25;
// the pipeline's work, plus what Redis lost: the schedules come back within a minute (keepSchedules)
// and the message sweep takes messages older than a minute, so two sweep rounds on top
const PIPELINE_MS = allowFor(BEFORE + AFTER, 500) + 3 * 60_000;

describe.skipIf(!pgUrl || !redisAvailable)('fault: Redis restarts or is flushed during intake', () => {
  let db: Awaited<ReturnType<typeof scratchDatabase>> | undefined;
  let redis: OwnRedis | undefined;
  let api: ServiceProcess | undefined;
  let worker: ServiceProcess | undefined;
  let base = '';
  const prefix = 'msfault-redis';

  beforeAll(async () => {
    db = await scratchDatabase(pgUrl!);
    redis = await ownRedis();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env = { DATABASE_URL: db.url, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, PORT: String(port), PORTAL_RATE_LIMIT: '10000', WORKER_CONCURRENCY: '4' };
    api = spawnService('api/server.ts', env);
    worker = spawnService('workers/main.ts', env);
    await apiUp(base, api, START_MS);
  }, START_MS + WAIT_MS);

  afterAll(async () => {
    await worker?.kill('SIGKILL');
    await api?.kill('SIGKILL');
    await redis?.stop();
    await db?.drop();
  }, WAIT_MS);

  async function intakeAcross(tag: string, fault: () => Promise<string[]>): Promise<string[]> {
    const tracking: string[] = [];
    const post = async (from: number, n: number) => {
      for (let i = from; i < from + n; i++) {
        const t = await postPortal(base, i, tag);
        expect(t, `${tag}: post ${i} accepted while Redis is ${i < BEFORE ? 'up' : 'recovering'}`).toBeTruthy();
        tracking.push(t!);
      }
    };
    // a burst, so the worker has a backlog when the fault strikes
    const burst = await Promise.all(Array.from({ length: BEFORE }, (_, i) => postPortal(base, i, tag)));
    for (const t of burst) expect(t, `${tag}: burst post accepted`).toBeTruthy();
    tracking.push(...(burst as string[]));
    tracking.push(...(await fault()));
    const atFault = await pipelineOutcome(db!.url, tracking);
    expect(atFault.onCase, `${tag}: messages still waiting for the worker when Redis lost its data`).toBeLessThan(BEFORE);
    await post(BEFORE, AFTER);
    const total = tracking.length;
    await waitFor(() => allOnCases(db!.url, tracking, [api!, worker!]), PIPELINE_MS, 500, `${tag}: all ${total} messages on cases`);
    await waitFor(async () => (await pendingPipelineJobs(redis!.url, prefix)) === 0, WAIT_MS, 250, `${tag}: no pipeline job left waiting or running`);
    const o = await pipelineOutcome(db!.url, tracking);
    expect(o).toEqual({ stored: total, storedTwice: 0, onCase: total, failed: 0, orphanCases: 0, unprocessed: 0, onLiveCase: total });
    expect(api!.alive() && worker!.alive()).toBe(true);
    return tracking;
  }

  it('a Redis restart (crash, comes back empty) mid-intake: every accepted message on exactly one case', async () => {
    await intakeAcross('restart', async () => {
      await redis!.kill();
      // residents keep writing while Redis is down
      const during: string[] = [];
      for (let i = 0; i < 5; i++) {
        const t = await postPortal(base, 1000 + i, 'restart-down');
        expect(t, 'accepted with Redis down').toBeTruthy();
        during.push(t!);
      }
      await redis!.start();
      return during;
    });
  }, PIPELINE_MS + 2 * WAIT_MS);

  it('FLUSHALL mid-intake: every accepted message on exactly one case', async () => {
    await intakeAcross('flush', async () => {
      await redis!.flushAll();
      return [];
    });
  }, PIPELINE_MS + 2 * WAIT_MS);
});
