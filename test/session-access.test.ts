// Staff reads need a token; department users see only their department's cases; GET /session
// says who a token is and lists the demo accounts only where they exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_STATUSES } from '../core/cases/statuses';
import { REQUEST_TYPES } from '../core/nlp/types';
import { ensureDemoStaff } from '../core/auth/staff';
import { InProcessQueue } from '../core/queue/in-process';
import { testApp } from './support/app';
import { openTestCase, staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
const auth = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue();
  app = testApp(db, queue);
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

describe('staff session and case access', () => {
  it('answers who a token is, and lists demo accounts only once they exist', async () => {
    let s = (await (await app.request('/api/v1/session')).json()) as { user: unknown; demo: { enabled: boolean; accounts: unknown[] }; reference: { departments: { code: string }[]; categories: string[]; districts: string[]; requestTypes: string[]; urgencies: string[]; sentiments: string[]; openStatuses: string[] } };
    expect(s.user).toBeNull();
    expect(s.demo).toEqual({ enabled: false, accounts: [] });
    expect(s.reference.departments.map((d) => d.code)).toContain('housing');
    expect(s.reference.districts).toContain('镜湖区');
    expect(s.reference.categories.length).toBeGreaterThan(3);
    // the one list of each, so the dashboard keeps no copy
    expect(s.reference.openStatuses).toEqual([...OPEN_STATUSES]);
    expect(s.reference.requestTypes).toEqual([...REQUEST_TYPES]);
    expect(s.reference.urgencies).toEqual(['urgent', 'normal']);
    expect(s.reference.sentiments).toEqual(['negative', 'neutral', 'positive']);
    expect((await app.request('/api/v1/session', auth('no-such-token'))).status).toBe(401);

    await ensureDemoStaff(db.sql);
    s = (await (await app.request('/api/v1/session')).json()) as typeof s;
    expect(s.demo.enabled).toBe(true);
    expect(s.demo.accounts).toContainEqual(expect.objectContaining({ token: 'demo-housing', role: 'department', departmentCode: 'housing' }));
    const me = (await (await app.request('/api/v1/session', auth('demo-centre'))).json()) as { user: { username: string; role: string } };
    expect(me.user).toMatchObject({ username: 'demo-centre', role: 'centre' });
  });

  it('needs a staff token for cases and scopes department users to their own department', async () => {
    const { caseId: mine } = await openTestCase(db.sql, { department: 'urban-mgmt' });
    const { caseId: theirs } = await openTestCase(db.sql, { department: 'housing' });
    expect((await app.request('/api/v1/cases')).status).toBe(401);
    expect((await app.request(`/api/v1/cases/${mine}`)).status).toBe(401);

    const dept = await staffToken(db.sql, 'department', 'urban-mgmt');
    const list = (await (await app.request('/api/v1/cases?limit=200', auth(dept))).json()) as { items: { id: number; departmentCode: string }[] };
    expect(list.items.map((c) => c.id)).toContain(mine);
    expect(list.items.every((c) => c.departmentCode === 'urban-mgmt')).toBe(true);
    expect((await app.request('/api/v1/cases?department=housing', auth(dept))).status).toBe(403);
    expect((await app.request(`/api/v1/cases/${mine}`, auth(dept))).status).toBe(200);
    expect((await app.request(`/api/v1/cases/${theirs}`, auth(dept))).status).toBe(403);

    for (const role of ['centre', 'leader'] as const) {
      const token = await staffToken(db.sql, role);
      const all = (await (await app.request('/api/v1/cases?limit=200', auth(token))).json()) as { items: { id: number }[] };
      expect(all.items.map((c) => c.id)).toEqual(expect.arrayContaining([mine, theirs]));
      expect((await app.request(`/api/v1/cases/${theirs}`, auth(token))).status).toBe(200);
    }
    // the areas a session lists are the ones the API opens: one table (core/auth/permissions STAFF_AREAS)
    for (const role of ['admin', 'centre', 'department', 'leader'] as const) {
      const token = await staffToken(db.sql, role, role === 'department' ? 'housing' : null);
      const me = (await (await app.request('/api/v1/session', auth(token))).json()) as { user: { areas: string[] } };
      expect(me.user.areas, role).toContain('cases');
      expect((await app.request('/api/v1/triage', auth(token))).status, role).toBe(me.user.areas.includes('triage') ? 200 : 403);
    }
    // the aggregates stay public; the per-department ranking (超期在办 by office) is for staff
    for (const p of ['/api/v1/stats/overview', '/api/v1/stats/metrics', '/api/v1/stats/topics']) {
      expect((await app.request(p)).status).toBe(200);
    }
    expect((await app.request('/api/v1/stats/departments')).status).toBe(401);
    expect((await app.request('/api/v1/stats/departments', auth(await staffToken(db.sql, 'leader')))).status).toBe(200);
  });
});
