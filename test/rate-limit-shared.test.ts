// With Redis, the portal's per-IP limit is shared by every API process: two app instances
// (as two processes behind a load balancer) together allow `limit` submissions a minute.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app';
import { InProcessQueue } from '../core/queue/in-process';
import { postJson, silentLogger, testConfig } from './support/app';
import { createTestDatabase, redisUrlOrNull, uniquePrefix, type TestDatabase } from './support/db';
import { shipped } from './support/cases';

const redisUrl = redisUrlOrNull();

describe.skipIf(!redisUrl)('portal rate limit shared through Redis', () => {
  let db: TestDatabase;
  let queue: InProcessQueue;
  let redis: Redis;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    db = await createTestDatabase();
    queue = new InProcessQueue(); // no processors: intake only
    redis = new Redis(redisUrl!);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:rate:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await queue.close();
    await db.close();
  });

  it('counts submissions from one address across two API instances', async () => {
    const config = testConfig({ PORTAL_RATE_LIMIT: '3', TRUST_PROXY: '1', QUEUE_PREFIX: prefix });
    const [a, b] = [0, 1].map(() => createApp({ db, queue, config, logger: silentLogger, redis, shipped }));
    const form = { title: '咨询户籍办理', content: '请问芜湖市户口迁入需要准备哪些材料，在哪里办理？', contactName: '孙先生', phone: '13705530002' };
    const ip = { 'x-forwarded-for': '192.0.2.44' };
    const statuses = [];
    for (const app of [a, b, a, b]) statuses.push((await postJson(app, '/api/v1/messages', form, ip)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const other = await postJson(b, '/api/v1/messages', form, { 'x-forwarded-for': '192.0.2.45' });
    expect(other.status).toBe(201);
  });
});
