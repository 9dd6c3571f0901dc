// F8: with Redis unreachable, intake still stores and answers. The portal's rate limiter falls back
// to a per-process limit (instead of failing closed with a 500) and no channel waits on the queue
// for the outage: the message sweep enqueues what the queue could not take. The "outage" is a
// port nothing listens on, so no shared server is touched.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app';
import { BullMqQueue, redisConnection } from '../core/queue/bullmq';
import { postJson, silentLogger, testConfig } from './support/app';
import { shipped } from './support/cases';
import { hotlinePost, textXml, wechatPost } from './support/channels';
import { createTestDatabase, type TestDatabase } from './support/db';
import { freePort } from './support/net';

const SECRET = 'hotline-shared-secret-0123456789';
const TOKEN = 'minsheng-wechat-token';
let db: TestDatabase;
let redis: Redis;
let queue: BullMqQueue;
let app: ReturnType<typeof createApp>;

/** The answer, or a failure naming the hang (a limit for a hang, not a speed target). */
async function answered(res: Promise<Response> | Response, what: string): Promise<Response> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([res, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within 30 s`)), 30_000)))]);
  } finally {
    clearTimeout(timer);
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  const url = `redis://127.0.0.1:${await freePort()}`;
  // as production opens them (core/runtime.ts openRedis, BullMqQueue)
  redis = new Redis({ ...(redisConnection(url) as object), maxRetriesPerRequest: 2 });
  redis.on('error', () => {});
  queue = new BullMqQueue(redisConnection(url), 'mstest-outage');
  const config = testConfig({ PORTAL_RATE_LIMIT: '3', HOTLINE_WEBHOOK_SECRET: SECRET, WECHAT_TOKEN: TOKEN, TRUST_PROXY: '1' });
  app = createApp({ db, queue, config, logger: silentLogger, shipped, redis });
});
afterAll(async () => {
  redis?.disconnect();
  for (const name of ['process-message'] as const) void queue?.queue(name).disconnect().catch(() => {});
  await db?.close();
});

describe('Redis down during intake', () => {
  const form = { title: '路灯不亮', content: '赭山路的路灯一直不亮，晚上很黑', contactName: '王女士', phone: '13805531234' };

  it('the portal stores and answers, and still limits each address (in this process)', { timeout: 150_000 }, async () => {
    const ip = { 'x-forwarded-for': '203.0.113.80' };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await answered(postJson(app, '/api/v1/messages', { ...form, title: `路灯不亮${i}` }, ip), 'portal')).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect((await answered(postJson(app, '/api/v1/messages', form, { 'x-forwarded-for': '203.0.113.81' }), 'portal')).status).toBe(201);
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM messages WHERE channel = 'portal' AND state = 'received'`;
    expect(n).toBe(4);
  });

  it('hotline and WeChat store and answer without waiting for the queue', { timeout: 150_000 }, async () => {
    const order = { orderNo: 'WH-OUTAGE-1', callTime: new Date(Date.now() - 60_000).toISOString(), callerPhone: '13905531234', content: '下水道堵塞，污水外溢，请处理。' };
    expect((await answered(hotlinePost(app, order, { secret: SECRET }), 'hotline')).status).toBe(201);
    expect((await answered(wechatPost(app, textXml({ msgId: '8300000001', content: '路灯坏了' }), { token: TOKEN }), 'wechat')).status).toBe(200);
    const rows = await db.sql<{ channel: string }[]>`SELECT channel FROM messages WHERE channel IN ('hotline', 'wechat') AND state = 'received' ORDER BY channel`;
    expect(rows.map((r) => r.channel)).toEqual(['hotline', 'wechat']);
  });
});
