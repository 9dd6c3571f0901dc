// The 12345 hotline webhook and the portal form: signatures, windows, limits, idempotency, and one
// channel through real BullMQ workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullMqQueue, redisConnection, startBullMqWorkers, type WorkerSet } from '../core/queue/bullmq';
import type { InProcessQueue } from '../core/queue/in-process';
import { createProcessors } from '../workers/processors/index';
import { postJson, silentLogger, testApp, testConfig } from './support/app';
import { channelPipeline, hotlinePost } from './support/channels';
import { createTestDatabase, redisUrlOrNull, uniquePrefix, type TestDatabase } from './support/db';
import { waitFor } from './support/pipeline';
import { shipped } from './support/cases';

const SECRET = 'hotline-shared-secret-0123456789';
let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
let config: ReturnType<typeof testConfig>;

beforeAll(async () => {
  db = await createTestDatabase();
  config = testConfig({ HOTLINE_WEBHOOK_SECRET: SECRET, PORTAL_RATE_LIMIT: '3', TRUST_PROXY: '1' });
  queue = channelPipeline(db, config);
  app = testApp(db, queue, config);
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

const order = (orderNo: string) => ({
  orderNo,
  callTime: '2026-03-02 09:15:00',
  callerPhone: '139-0553-1234',
  content: '来电人反映镜湖区范罗山街道某小区门口的下水道堵塞，污水外溢，请相关部门处理。',
  address: '镜湖区范罗山街道',
  category: '城市管理',
});
const errorMessage = async (res: Response) => ((await res.json()) as { error: { message: string } }).error.message;

describe('12345 hotline webhook', () => {
  it('201 with trackingNo on first delivery, 200 with the same trackingNo on a repeat; a case opens', async () => {
    const first = await hotlinePost(app, order('WH20260302-000101'), { secret: SECRET });
    expect(first.status).toBe(201);
    const a = (await first.json()) as { trackingNo: string; queryCode: string };
    expect(a.trackingNo).toMatch(/^MS\d{13}$/);
    const again = await hotlinePost(app, order('WH20260302-000101'), { secret: SECRET });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { trackingNo: string }).trackingNo).toBe(a.trackingNo);
    const [m] = await db.sql<{ raw: string; receivedAt: Date; isPublic: boolean }[]>`
      SELECT raw, received_at AS "receivedAt", is_public AS "isPublic" FROM messages WHERE channel = 'hotline' AND external_id = 'WH20260302-000101'`;
    expect(m.raw).toBe(JSON.stringify(order('WH20260302-000101')));
    expect(m.receivedAt.toISOString()).toBe('2026-03-02T01:15:00.000Z');
    expect(m.isPublic).toBe(false);
    await waitFor(async () => (await db.sql<{ caseId: number | null }[]>`SELECT case_id AS "caseId" FROM messages WHERE tracking_no = ${a.trackingNo}`)[0].caseId);
  });

  it('401 on a wrong signature, a missing signature and a stale timestamp', async () => {
    const wrong = await hotlinePost(app, order('WH-401-a'), { secret: 'not-the-secret' });
    expect(wrong.status).toBe(401);
    expect(await errorMessage(wrong)).toMatch(/X-Signature/);
    expect((await hotlinePost(app, order('WH-401-b'), { secret: SECRET, signature: '' })).status).toBe(401);
    const stale = await hotlinePost(app, order('WH-401-c'), { secret: SECRET, timestamp: String(Math.floor(Date.now() / 1000) - 301) });
    expect(stale.status).toBe(401);
    expect(await errorMessage(stale)).toMatch(/stale timestamp: 30\d s old/);
    // a tampered body with the original signature
    const ts = String(Math.floor(Date.now() / 1000));
    const { hotlineSignature } = await import('../core/channels/hotline/signature');
    const sig = hotlineSignature(SECRET, ts, JSON.stringify(order('WH-401-d')));
    expect((await hotlinePost(app, { ...order('WH-401-d'), content: '篡改' }, { secret: SECRET, timestamp: ts, signature: sig })).status).toBe(401);
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM messages WHERE external_id LIKE 'WH-401-%'`;
    expect(n).toBe(0);
  });

  it('malformed JSON and invalid orders: 400, kept in rejects with the reason', async () => {
    const broken = '{"orderNo": "WH-bad-1", "content": ';
    const res = await hotlinePost(app, broken, { secret: SECRET });
    expect(res.status).toBe(400);
    const invalid = await hotlinePost(app, { orderNo: 'WH-bad-2', callTime: 'yesterday', callerPhone: 'abc', content: '' }, { secret: SECRET });
    expect(invalid.status).toBe(400);
    const fields = ((await invalid.json()) as { error: { details: { issues: { field: string }[] } } }).error.details.issues.map((i) => i.field).sort();
    expect(fields).toEqual(['callTime', 'callerPhone', 'content']);
    const rejects = await db.sql<{ raw: string; reason: string }[]>`SELECT raw, reason FROM rejects WHERE channel = 'hotline' ORDER BY id`;
    expect(rejects.map((r) => r.raw)).toContain(broken);
    expect(rejects.some((r) => /malformed JSON/.test(r.reason))).toBe(true);
    expect(rejects.some((r) => /invalid work order/.test(r.reason))).toBe(true);
  });

  it('413 oversized, 415 wrong content type, 503 when not configured', async () => {
    expect((await hotlinePost(app, { ...order('WH-big'), content: '长'.repeat(30_000) }, { secret: SECRET })).status).toBe(413);
    expect((await hotlinePost(app, order('WH-type'), { secret: SECRET, contentType: 'text/plain' })).status).toBe(415);
    const bare = testApp(db, queue, testConfig());
    const res = await hotlinePost(bare, order('WH-503'), { secret: SECRET });
    expect(res.status).toBe(503);
    expect(await errorMessage(res)).toMatch(/HOTLINE_WEBHOOK_SECRET/);
  });
});

describe('portal form', () => {
  const form = { title: '咨询公积金提取', content: '请问在芜湖租房可以提取住房公积金吗？需要哪些材料？', contactName: '王女士', phone: '13805531234' };

  it('201 with trackingNo and a 6-character queryCode', async () => {
    const res = await postJson(app, '/api/v1/messages', form, { 'x-forwarded-for': '203.0.113.7' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { trackingNo: string; queryCode: string };
    expect(body.trackingNo).toMatch(/^MS/);
    expect(body.queryCode).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
  });

  it('per-IP rate limit: 429 with Retry-After, other addresses unaffected', async () => {
    const ip = { 'x-forwarded-for': '198.51.100.9, 10.0.0.1' };
    for (let i = 0; i < 3; i++) expect((await postJson(app, '/api/v1/messages', { ...form, title: `咨询${i}号` }, ip)).status).toBe(201);
    const limited = await postJson(app, '/api/v1/messages', form, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect((await postJson(app, '/api/v1/messages', form, { 'x-forwarded-for': '198.51.100.10' })).status).toBe(201);
  });
});

const redisUrl = redisUrlOrNull();
describe.skipIf(!redisUrl)('production mode: the hotline through BullMQ workers', () => {
  let pdb: TestDatabase;
  let bull: BullMqQueue;
  let workers: WorkerSet;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    pdb = await createTestDatabase();
    bull = new BullMqQueue(redisConnection(redisUrl!), prefix);
    workers = startBullMqWorkers(redisConnection(redisUrl!), prefix, createProcessors({ db: pdb, queue: bull, logger: silentLogger, config, shipped }), { concurrency: 2, onError: () => {} });
  });
  afterAll(async () => {
    await workers?.close();
    if (bull) {
      for (const name of ['process-message', 'send-outbox', 'sla-timer', 'periodic'] as const) await bull.queue(name).obliterate({ force: true });
      await bull.close();
    }
    await pdb?.close();
  });

  it('a signed work order becomes a case, and its reply is recorded as delivered via the status page', async () => {
    const papp = testApp(pdb, bull, config);
    const res = await hotlinePost(papp, order('WH20260302-BULL01'), { secret: SECRET });
    expect(res.status).toBe(201);
    const { trackingNo } = (await res.json()) as { trackingNo: string };
    const m = await waitFor(async () => {
      const [row] = await pdb.sql<{ id: number; caseId: number | null }[]>`SELECT id, case_id AS "caseId" FROM messages WHERE tracking_no = ${trackingNo}`;
      return row?.caseId ? row : undefined;
    });
    const { queueOutbox } = await import('../core/outbox/enqueue');
    const { row } = await queueOutbox({ sql: pdb.sql, queue: bull, log: silentLogger }, { idempotencyKey: `bull-${m.id}`, caseId: m.caseId, messageId: m.id, channel: 'hotline', kind: 'reply', payload: { trackingNo, text: '已处理' } });
    const sent = await waitFor(async () => {
      const [o] = await pdb.sql<{ status: string; providerRef: string | null }[]>`SELECT status, provider_ref AS "providerRef" FROM outbox WHERE id = ${row.id}`;
      return o.status === 'sent' ? o : undefined;
    });
    expect(sent.providerRef).toBe(`status-page:${trackingNo}`);
  });
});
