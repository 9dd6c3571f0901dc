// Failed messages for staff (issue 13 item 2): a message whose job used up every attempt is listed
// with its error at GET /api/v1/messages/failed (centre and admins only), and POST
// /api/v1/messages/:id/retry sends it through the pipeline again from its first attempt. The fault
// is real: the cases table is renamed away while the messages are processed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertStaffUser } from '../core/auth/staff';
import { BullMqQueue, redisConnection, startBullMqWorkers } from '../core/queue/bullmq';
import { PermanentJobError, queueDefinitions } from '../core/queue/contract';
import type { InProcessQueue } from '../core/queue/in-process';
import { postJson, testApp, testConfig } from './support/app';
import { createTestDatabase, redisUrlOrNull, uniquePrefix, type TestDatabase } from './support/db';
import { allowFor, inProcessPipeline, waitFor } from './support/pipeline';

const ADMIN = 'admin-token-for-failed-tests';
const ATTEMPTS = queueDefinitions['process-message'].attempts;
let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

interface FailedList {
  total: number;
  items: { id: number; trackingNo: string; attempts: number; lastError: string | null; parked: boolean; state: string }[];
}

beforeAll(async () => {
  db = await createTestDatabase();
  queue = inProcessPipeline(db);
  app = testApp(db, queue, testConfig({ ADMIN_TOKEN: ADMIN, PORTAL_RATE_LIMIT: '1000' }));
  await upsertStaffUser(db.sql, { username: 'dept-user', displayName: '部门', role: 'department', departmentCode: 'housing', token: 'dept-token-0002' });
  await upsertStaffUser(db.sql, { username: 'leader-user', displayName: '领导', role: 'leader', departmentCode: null, token: 'leader-token-0002' });
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

describe('failed messages: listed for staff with their error, retried from the dashboard', () => {
  it('only the centre and admins see the list', async () => {
    expect((await app.request('/api/v1/messages/failed')).status).toBe(401);
    expect((await app.request('/api/v1/messages/failed', { headers: auth('dept-token-0002') })).status).toBe(403);
    expect((await app.request('/api/v1/messages/failed', { headers: auth('leader-token-0002') })).status).toBe(403);
    expect((await postJson(app, '/api/v1/messages/1/retry', {}, auth('dept-token-0002'))).status).toBe(403);
    const bad = await app.request('/api/v1/messages/failed?limit=0', { headers: auth(ADMIN) });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('limit 至少为 1');
    expect((await postJson(app, '/api/v1/messages/abc/retry', {}, auth(ADMIN))).status).toBe(400);
    expect((await postJson(app, '/api/v1/messages/999999/retry', {}, auth(ADMIN))).status).toBe(404);
  });

  it('an exhausted message is listed with its error; a retry after the fault gives it its case', { timeout: allowFor(ATTEMPTS, 16_000) + 60_000 }, async () => {
    await db.sql`ALTER TABLE cases RENAME TO cases_away`;
    let trackingNo = '';
    try {
      const res = await postJson(app, '/api/v1/messages', { title: '路灯不亮', content: '镜湖区赭山路的路灯一直不亮，晚上很黑，请尽快维修。', contactName: '王女士', phone: '13805530002' });
      expect(res.status).toBe(201);
      trackingNo = ((await res.json()) as { trackingNo: string }).trackingNo;
      // every attempt with its backoff (1 + 2 + 4 + 8 s)
      await waitFor(async () => queue.stats.failed >= 1 && queue.pending === 0, allowFor(ATTEMPTS, 16_000), 100, 'the job used up its attempts');
    } finally {
      await db.sql`ALTER TABLE cases_away RENAME TO cases`;
    }
    const list = (await (await app.request('/api/v1/messages/failed', { headers: auth(ADMIN) })).json()) as FailedList;
    expect(list.total).toBe(1);
    const [item] = list.items;
    expect(item).toMatchObject({ trackingNo, parked: false, state: 'received' });
    expect(item.attempts).toBeGreaterThanOrEqual(ATTEMPTS);
    expect(item.lastError).toMatch(/cases/);

    const retry = await postJson(app, `/api/v1/messages/${item.id}/retry`, {}, auth(ADMIN));
    expect(retry.status).toBe(202);
    expect(await retry.json()).toMatchObject({ id: item.id, retried: true, enqueued: true });
    await waitFor(async () => {
      const [m] = await db.sql<{ caseId: number | null }[]>`SELECT case_id AS "caseId" FROM messages WHERE id = ${item.id}`;
      return m.caseId !== null;
    }, allowFor(1, 500), 100, 'the retried message has its case');
    const after = (await (await app.request('/api/v1/messages/failed', { headers: auth(ADMIN) })).json()) as FailedList;
    expect(after.total).toBe(0);
    // a second retry changes nothing: it is on its case
    expect(await (await postJson(app, `/api/v1/messages/${item.id}/retry`, {}, auth(ADMIN))).json()).toMatchObject({ retried: false });
  });

  it('a message parked failed (a permanent error) is listed as parked and taken up again by a retry', async () => {
    const res = await postJson(app, '/api/v1/messages', { title: '下水道堵塞', content: '弋江区中山南路小区的下水道堵塞，污水外溢，请处理。', contactName: '李先生', phone: '13805530003' });
    const { trackingNo } = (await res.json()) as { trackingNo: string };
    const [m] = await waitFor(async () => {
      const rows = await db.sql<{ id: number; caseId: number | null }[]>`SELECT id, case_id AS "caseId" FROM messages WHERE tracking_no = ${trackingNo}`;
      return rows[0]?.caseId ? rows : undefined;
    }, allowFor(1, 500));
    // the job goes on after the case step (topic, alerts): until it ends, a retry under the same job id
    // is the running job itself (BullMQ semantics), so the scene below starts once it has finished
    await queue.drain();
    // staff split it off its case by mistake and the case's row went away: parked with the reason, as markMessageFailed leaves it
    await db.sql`UPDATE messages SET case_id = NULL, state = 'failed', last_error = 'message is not on case 1' WHERE id = ${m.id}`;
    const list = (await (await app.request('/api/v1/messages/failed', { headers: auth(ADMIN) })).json()) as FailedList;
    expect(list.items.find((i) => i.id === m.id)).toMatchObject({ parked: true, state: 'failed', lastError: 'message is not on case 1' });
    expect((await postJson(app, `/api/v1/messages/${m.id}/retry`, {}, auth(ADMIN))).status).toBe(202);
    await waitFor(async () => {
      const [r] = await db.sql<{ caseId: number | null; state: string }[]>`SELECT case_id AS "caseId", state FROM messages WHERE id = ${m.id}`;
      return r.caseId !== null && r.state === 'processed';
    }, allowFor(1, 500), 100, 'the parked message is processed again');
  });
});

describe.skipIf(!redisUrlOrNull())('a staff retry on BullMQ', () => {
  it('reruns a kept completed or failed job of the same id; a plain enqueue does not', async () => {
    const prefix = uniquePrefix();
    const q = new BullMqQueue(redisConnection(redisUrlOrNull()!), prefix);
    const runs: number[] = [];
    let fail = true;
    const workers = startBullMqWorkers(redisConnection(redisUrlOrNull()!), prefix, {
      'process-message': async ({ messageId }) => {
        runs.push(messageId);
        if (messageId === 2 && fail) throw new PermanentJobError('parked');
      },
    }, { concurrency: 1, onError: () => {} });
    try {
      await q.enqueue('process-message', { messageId: 1 });
      await waitFor(async () => runs.length === 1, allowFor(1, 500), 50, 'the first run');
      await q.enqueue('process-message', { messageId: 1 }); // kept completed: the same job
      await q.enqueue('process-message', { messageId: 1 }, { rerunFinished: true });
      await waitFor(async () => runs.filter((r) => r === 1).length === 2, allowFor(1, 500), 50, 'the rerun of a completed job');
      await q.enqueue('process-message', { messageId: 2 });
      await waitFor(async () => (await q.queue('process-message').getJob('msg-2'))?.isFailed(), allowFor(1, 500), 50, 'the job failed for good');
      fail = false;
      await q.enqueue('process-message', { messageId: 2 }, { rerunFinished: true });
      await waitFor(async () => (await q.queue('process-message').getJob('msg-2'))?.isCompleted(), allowFor(1, 500), 50, 'the rerun of a failed job');
      await new Promise((r) => setTimeout(r, 300));
      expect(runs).toEqual([1, 1, 2, 2]);
    } finally {
      await workers.close();
      await q.queue('process-message').obliterate({ force: true });
      await q.close();
    }
  });
});
