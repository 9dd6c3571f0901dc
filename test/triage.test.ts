// The triage queue and staff corrections: applied to the case, audited, kept as labelled data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertStaffUser } from '../core/auth/staff';
import { listTrainingLabels } from '../core/db/training-labels';
import type { InProcessQueue } from '../core/queue/in-process';
import { postJson, testApp, testConfig } from './support/app';
import { createTestDatabase, type TestDatabase } from './support/db';
import { inProcessPipeline } from './support/pipeline';

const ADMIN = 'admin-token-for-triage-tests';
let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  db = await createTestDatabase();
  queue = inProcessPipeline(db);
  app = testApp(db, queue, testConfig({ ADMIN_TOKEN: ADMIN, PORTAL_RATE_LIMIT: '1000' }));
  await upsertStaffUser(db.sql, { username: 'dept-user', displayName: '部门', role: 'department', departmentCode: 'housing', token: 'dept-token-0001' });
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

async function openCase(title: string, content: string): Promise<number> {
  const res = await postJson(app, '/api/v1/messages', { title, content, contactName: '周女士', phone: '13605530001' });
  expect(res.status).toBe(201);
  const { trackingNo } = (await res.json()) as { trackingNo: string };
  await queue.drain();
  const [m] = await db.sql<{ caseId: number }[]>`SELECT case_id AS "caseId" FROM messages WHERE tracking_no = ${trackingNo}`;
  return m.caseId;
}

describe('triage and corrections', () => {
  it('refuses anonymous and department users', async () => {
    expect((await app.request('/api/v1/triage')).status).toBe(401);
    expect((await app.request('/api/v1/triage', { headers: auth('dept-token-0001') })).status).toBe(403);
  });

  it('lists flagged cases and applies a correction with audit and labels', async () => {
    const caseId = await openCase('问题反映', '这个事情一直没人管，希望尽快处理一下。');
    await db.sql`UPDATE cases SET needs_review = true WHERE id = ${caseId}`;
    const list = await app.request('/api/v1/triage', { headers: auth(ADMIN) });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { total: number; items: { id: number }[] };
    expect(body.items.map((i) => i.id)).toContain(caseId);

    const bad = await postJson(app, `/api/v1/triage/${caseId}`, { category: '天文地理' }, auth(ADMIN));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { details: { field: string }[] } }).error.details[0].field).toBe('category');
    expect((await postJson(app, `/api/v1/triage/${caseId}`, {}, auth(ADMIN))).status).toBe(400);

    const ok = await postJson(app, `/api/v1/triage/${caseId}`, { category: '交通运输', urgency: 'urgent', confirmRest: true }, auth(ADMIN));
    expect(ok.status).toBe(200);
    const [c] = await db.sql<{ category: string; categoryConfidence: number; urgency: string; needsReview: boolean; lifecycle: { classification?: { urgency: string } } | null }[]>`
      SELECT category, category_confidence AS "categoryConfidence", urgency, needs_review AS "needsReview", lifecycle FROM cases WHERE id = ${caseId}`;
    expect(c).toMatchObject({ category: '交通运输', categoryConfidence: 1, urgency: 'urgent', needsReview: false });
    if (c.lifecycle?.classification) expect(c.lifecycle.classification.urgency).toBe('urgent');
    const [ev] = await db.sql<{ type: string; data: { changed: Record<string, { to: string }> } }[]>`
      SELECT type, data FROM case_events WHERE case_id = ${caseId} AND type = 'relabelled'`;
    expect(ev.data.changed.category.to).toBe('交通运输');

    const labels = await listTrainingLabels(db.sql, 'category');
    expect(labels).toHaveLength(1);
    expect(labels[0].label).toBe('交通运输');
    expect(labels[0].text).toContain('一直没人管');
    // confirmRest turned the uncorrected predictions into labels as well
    expect(await listTrainingLabels(db.sql, 'requestType')).toHaveLength(1);

    // a second correction replaces the label instead of adding one
    await postJson(app, `/api/v1/triage/${caseId}`, { category: '城乡建设' }, auth(ADMIN));
    expect((await listTrainingLabels(db.sql, 'category')).map((l) => l.label)).toEqual(['城乡建设']);
    const after = (await (await app.request('/api/v1/triage', { headers: auth(ADMIN) })).json()) as { items: { id: number }[] };
    expect(after.items.map((i) => i.id)).not.toContain(caseId);
  });

  it('answers 404 for a case that does not exist', async () => {
    expect((await postJson(app, '/api/v1/triage/999999', { category: '交通运输' }, auth(ADMIN))).status).toBe(404);
  });
});
