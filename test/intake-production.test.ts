// Production mode: real PostgreSQL + BullMQ workers on Redis, as start:api and start:worker run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullMqQueue, redisConnection, startBullMqWorkers, type WorkerSet } from '../core/queue/bullmq';
import { createProcessors } from '../workers/processors/index';
import { postJson, silentLogger, testApp } from './support/app';
import { createTestDatabase, redisUrlOrNull, uniquePrefix, type TestDatabase } from './support/db';
import { waitFor } from './support/pipeline';
import { shipped } from './support/cases';

const redisUrl = redisUrlOrNull();

describe.skipIf(!redisUrl)('production mode: BullMQ workers', () => {
  let db: TestDatabase;
  let queue: BullMqQueue;
  let workers: WorkerSet;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    db = await createTestDatabase();
    queue = new BullMqQueue(redisConnection(redisUrl!), prefix);
    workers = startBullMqWorkers(redisConnection(redisUrl!), prefix, createProcessors({ db, queue, logger: silentLogger, shipped }), {
      concurrency: 2,
      onError: () => {},
    });
  });
  afterAll(async () => {
    await workers?.close();
    if (queue) {
      for (const name of ['process-message', 'send-outbox', 'sla-timer', 'periodic'] as const) await queue.queue(name).obliterate({ force: true });
      await queue.close();
    }
    await db?.close();
  });

  it('a posted message becomes a case through the BullMQ worker', async () => {
    const app = testApp(db, queue);
    const res = await postJson(app, '/api/v1/messages', {
      title: '弋江区小区停车难',
      content: '弋江区中山南路附近的小区车位太少，晚上很多车停在消防通道上，希望相关部门管一管。',
      contactName: '陈先生',
      phone: '13905531234',
    });
    expect(res.status).toBe(201);
    const { trackingNo } = (await res.json()) as { trackingNo: string };
    const row = await waitFor(async () => {
      const [m] = await db.sql<{ caseId: number | null }[]>`SELECT case_id AS "caseId" FROM messages WHERE tracking_no = ${trackingNo}`;
      return m?.caseId ? m : undefined;
    });
    const [c] = await db.sql<{ status: string }[]>`SELECT status FROM cases WHERE id = ${row.caseId}`;
    expect(['dispatched', 'received']).toContain(c.status);
    expect((await app.request('/health')).status).toBe(200);
  });

  it('health is 503 naming the queue when Redis is unreachable', async () => {
    const dead = new BullMqQueue(redisConnection('redis://127.0.0.1:1'), prefix);
    try {
      const res = await testApp(db, dead).request('/health');
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ checks: { database: 'up', queue: 'down' } });
    } finally {
      await dead.close();
    }
  });
});
