// The intake endpoint's contract: field-level 4xx errors, rejects kept, nothing lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessQueue } from '../core/queue/in-process';
import { postJson, testApp } from './support/app';
import { createTestDatabase, type TestDatabase } from './support/db';
import { inProcessPipeline } from './support/pipeline';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;

beforeAll(async () => {
  db = await createTestDatabase();
  queue = inProcessPipeline(db);
  app = testApp(db, queue);
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

const good = { title: '咨询社保转移', content: '请问从外地转入芜湖的养老保险关系怎么办理，需要带哪些材料？', contactName: '李女士', phone: '0553-5123456' };

describe('POST /api/v1/messages', () => {
  it('names every bad field', async () => {
    const res = await postJson(app, '/api/v1/messages', { title: 'x', content: '', phone: '123' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { field: string }[]; requestId: string } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.requestId).toBeTruthy();
    expect(body.error.details.map((d) => d.field).sort()).toEqual(['contactName', 'content', 'phone', 'title']);
  });

  it('refuses unknown fields', async () => {
    const res = await postJson(app, '/api/v1/messages', { ...good, admin: true });
    expect(res.status).toBe(400);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const res = await app.request('/api/v1/messages', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(res.status).toBe(415);
  });

  it('keeps malformed JSON in rejects with the reason', async () => {
    const res = await postJson(app, '/api/v1/messages', '{"title": "broken"');
    expect(res.status).toBe(400);
    const rows = await db.sql<{ raw: string; reason: string }[]>`SELECT raw, reason FROM rejects WHERE channel = 'portal'`;
    expect(rows.some((r) => r.raw === '{"title": "broken"' && /malformed JSON/.test(r.reason))).toBe(true);
  });

  it('refuses an oversized body with 413', async () => {
    const res = await postJson(app, '/api/v1/messages', { ...good, content: '长'.repeat(70_000) });
    expect(res.status).toBe(413);
  });

  it('accepts a landline number and opens the case', async () => {
    const res = await postJson(app, '/api/v1/messages', good);
    expect(res.status).toBe(201);
    await queue.drain();
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM cases`;
    expect(n).toBeGreaterThanOrEqual(1);
  });

  it('answers unknown API paths with the error body', async () => {
    const res = await app.request('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});

describe('GET /health', () => {
  it('is 200 with both checks up', async () => {
    const res = await app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', checks: { database: 'up', queue: 'up' } });
  });
});
