// Embedded mode: PGlite through its socket server + the in-process runner, as `npm start` runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../core/db/connect';
import { migrate } from '../core/db/migrate';
import { loadDepartments } from '../core/cases/routing';
import { seedReferenceData } from '../core/db/reference-data';
import type { InProcessQueue } from '../core/queue/in-process';
import { postJson, testApp } from './support/app';
import { inProcessPipeline } from './support/pipeline';

let db: Database;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;

beforeAll(async () => {
  db = await connectDatabase({ dataDir: '', inMemory: true });
  expect(db.mode).toBe('embedded');
  await migrate(db.sql);
  await seedReferenceData(db.sql, { departments: loadDepartments() });
  queue = inProcessPipeline(db);
  app = testApp({ ...db, schema: null }, queue);
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

const form = {
  title: '镜湖区赭山街道路灯不亮',
  content: '您好，镜湖区赭山街道赭山路靠近赭山公园东门的一排路灯已经连续一周晚上不亮，晚上出行很不安全，请尽快维修。',
  contactName: '王先生',
  phone: '13805530000',
  district: '镜湖区',
  isPublic: true,
};

describe('embedded mode: a portal message becomes a case', () => {
  it('stores the message, answers with a tracking number and query code, and opens a case', async () => {
    const res = await postJson(app, '/api/v1/messages', form);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { trackingNo: string; queryCode: string };
    expect(body.trackingNo).toMatch(/^MS\d{6}\d{7}$/);
    expect(body.queryCode).toMatch(/^[A-Z2-9]{6}$/);

    await queue.drain();
    const [msg] = await db.sql<{ state: string; caseId: number; raw: string }[]>`
      SELECT state, case_id AS "caseId", raw FROM messages WHERE tracking_no = ${body.trackingNo}`;
    expect(msg.state).toBe('processed');
    expect(JSON.parse(msg.raw)).toEqual(form); // the payload is kept verbatim
    const [c] = await db.sql<{ status: string; departmentCode: string | null; resolveDueAt: Date | null; category: string }[]>`
      SELECT status, department_code AS "departmentCode", resolve_due_at AS "resolveDueAt", category FROM cases WHERE id = ${msg.caseId}`;
    expect(c.status).toBe('dispatched');
    expect(c.departmentCode).toBeTruthy();
    expect(c.resolveDueAt).toBeInstanceOf(Date);

    const status = await app.request(`/api/v1/messages/${body.trackingNo}?code=${body.queryCode}`);
    expect(status.status).toBe(200);
    const s = (await status.json()) as { stage: string; department: string | null };
    expect(s.stage).toBe('dispatched');
    expect(s.department).toBeTruthy();

    const wrong = await app.request(`/api/v1/messages/${body.trackingNo}?code=AAAAAA`);
    expect(wrong.status).toBe(404);
  });

  it('answers a repeated delivery with the same tracking number and stores it once', async () => {
    const key = 'retry-key-0001';
    const a = await postJson(app, '/api/v1/messages', form, { 'Idempotency-Key': key });
    const b = await postJson(app, '/api/v1/messages', form, { 'Idempotency-Key': key });
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    const [ja, jb] = [(await a.json()) as { trackingNo: string }, (await b.json()) as { trackingNo: string }];
    expect(jb.trackingNo).toBe(ja.trackingNo);
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM messages WHERE external_id = ${key}`;
    expect(n).toBe(1);
  });
});
