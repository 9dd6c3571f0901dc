// Fault: processing fails for a while — every job errors until its attempts are used up — and then
// the fault ends (issue 13 item 4, F7). A real fault, in production mode: the API and a worker as
// separate processes on real PostgreSQL and a Redis of the test's own, and the database the worker
// writes cases to loses its `cases` table (renamed away) and gets it back. The "minute" is sized by
// work, not by the clock: the fault lasts until every message stored during it has used up all its
// attempts. The worker stays up, and the message sweep takes the exhausted messages up again: every
// accepted message ends on exactly one case, none is parked failed, nothing is left in the queue.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { queueDefinitions } from '../core/queue/contract';
import { freePort } from './support/net';
import { allowFor, WAIT_MS, waitFor } from './support/pipeline';
import { allOnCases, apiUp, ownRedis, pendingPipelineJobs, pipelineOutcome, postPortal, scratchDatabase, spawnService, type OwnRedis, type ServiceProcess } from './support/processes';

const pgUrl = inject('pgUrl');
const redisAvailable = inject('redisUrl');
const START_MS = allowFor(1, 5_000);
const DURING = 20;
const AFTER = 10;
const ATTEMPTS = queueDefinitions['process-message'].attempts;
// every attempt's backoff (1, 2, 4, 8 s) for the jobs of the fault, then a sweep round (a minute)
const FAULT_MS = allowFor(DURING * ATTEMPTS, 200) + 15_000;
const PIPELINE_MS = allowFor(DURING + AFTER, 500) + 2 * 60_000;

describe.skipIf(!pgUrl || !redisAvailable)('fault: processing errors until every attempt is used up', () => {
  let db: Awaited<ReturnType<typeof scratchDatabase>> | undefined;
  let redis: OwnRedis | undefined;
  let api: ServiceProcess | undefined;
  let worker: ServiceProcess | undefined;
  let sql: postgres.Sql | undefined;
  let base = '';
  const prefix = 'msfault-error';

  beforeAll(async () => {
    db = await scratchDatabase(pgUrl!);
    redis = await ownRedis();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env = { DATABASE_URL: db.url, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, PORT: String(port), PORTAL_RATE_LIMIT: '10000', WORKER_CONCURRENCY: '4' };
    api = spawnService('api/server.ts', env);
    await apiUp(base, api, START_MS); // migrated
    worker = spawnService('workers/main.ts', env);
    sql = postgres(db.url, { max: 1, onnotice: () => {} });
  }, START_MS + WAIT_MS);

  afterAll(async () => {
    await worker?.kill('SIGKILL');
    await api?.kill('SIGKILL');
    await sql?.end();
    await redis?.stop();
    await db?.drop();
  }, WAIT_MS);

  it('messages whose every attempt failed get their case once the fault ends; the worker stays up', async () => {
    const tracking: string[] = [];
    const post = async (tag: string, n: number) => {
      for (let i = 0; i < n; i++) {
        const t = await postPortal(base, i, tag);
        expect(t, `${tag}: post ${i} accepted`).toBeTruthy();
        tracking.push(t!);
      }
    };
    // the fault: the worker's case writes fail (42P01), a transient error, retried with backoff
    await sql!`ALTER TABLE cases RENAME TO cases_away`;
    try {
      await post('during', DURING);
      await waitFor(async () => {
        if (!worker!.alive()) throw new Error(`the worker died: ${worker!.log().slice(-2000)}`);
        const [{ n }] = await sql!<{ n: number }[]>`SELECT count(*)::int AS n FROM messages WHERE tracking_no IN ${sql!(tracking)} AND attempts >= ${ATTEMPTS}`;
        return n === DURING;
      }, FAULT_MS, 250, `every message of the fault tried ${ATTEMPTS} times`);
      expect(await pendingPipelineJobs(redis!.url, prefix)).toBe(0); // their jobs failed for good
      const [{ n }] = await sql!<{ n: number }[]>`SELECT count(*)::int AS n FROM messages WHERE case_id IS NULL AND last_error IS NOT NULL`;
      expect(n).toBe(DURING);
    } finally {
      await sql!`ALTER TABLE cases_away RENAME TO cases`;
    }
    await post('after', AFTER);
    await waitFor(() => allOnCases(db!.url, tracking, [api!, worker!]), PIPELINE_MS, 500, `all ${tracking.length} messages on cases`);
    await waitFor(async () => (await pendingPipelineJobs(redis!.url, prefix)) === 0, WAIT_MS, 250, 'no pipeline job left waiting or running');
    const o = await pipelineOutcome(db!.url, tracking);
    const total = DURING + AFTER;
    expect(o).toEqual({ stored: total, storedTwice: 0, onCase: total, failed: 0, orphanCases: 0, unprocessed: 0, onLiveCase: total });
    expect(worker!.alive()).toBe(true);
  }, START_MS + FAULT_MS + PIPELINE_MS + 2 * WAIT_MS);
});
