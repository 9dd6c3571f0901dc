// The audit trail: each read of a resident's personal data writes one row (who, when, request id,
// what, case, IP); every staff action does too; the table refuses UPDATE, DELETE and TRUNCATE; and
// admins search it with filters and pagination.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessQueue } from '../core/queue/in-process';
import { postJson, testApp, testConfig } from './support/app';
import { staffSession } from './support/auth';
import { attachMessage, openTestCase, staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

interface AuditItem { id: number; at: string; actor: string; actorRole: string; requestId: string; action: string; caseId: number | null; ip: string; detail: Record<string, unknown> }

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue();
  app = testApp(db, queue, testConfig({ TRUST_PROXY: '1' }));
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

const auditRows = (caseId: number) => db.sql<{ actor: string; actorRole: string; requestId: string; action: string; caseId: number; ip: string; detail: { messageIds?: number[]; action?: string } }[]>`
  SELECT actor, actor_role, request_id, action, case_id, ip, detail FROM audit_log WHERE case_id = ${caseId} ORDER BY id`;

describe('the audit trail', () => {
  it('shows the residents’ contact details to the centre and the case’s department, and records every read', async () => {
    const { caseId, message } = await openTestCase(db.sql, { department: 'urban-mgmt', message: { contactName: '张女士', contactPhone: '13905531234', address: '镜湖区赭山路12号' } });
    const second = await attachMessage(db.sql, caseId, { channel: 'hotline', contactName: '李先生', contactPhone: '0553-3831234' });
    const centre = await staffToken(db.sql, 'centre');
    const res = await app.request(`/api/v1/cases/${caseId}/contact`, { headers: { ...bearer(centre), 'x-forwarded-for': '203.0.113.7' } });
    expect(res.status).toBe(200);
    const requestId = res.headers.get('x-request-id');
    const body = (await res.json()) as { contacts: { messageId: number; name: string; phone: string; address: string | null }[] };
    expect(body.contacts).toEqual([
      expect.objectContaining({ messageId: message.id, name: '张女士', phone: '13905531234', address: '镜湖区赭山路12号' }),
      expect.objectContaining({ messageId: second.id, name: '李先生', phone: '0553-3831234' }),
    ]);
    let rows = await auditRows(caseId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'contact.read', actorRole: 'centre', caseId, requestId, ip: '203.0.113.7' });
    expect(rows[0].actor).toMatch(/^centre-/);
    expect(rows[0].detail.messageIds).toEqual([message.id, second.id]);

    // the case's department, through a browser session: one more row per read
    const dept = await staffSession(db.sql, 'department', 'urban-mgmt');
    for (let i = 0; i < 2; i++) expect((await app.request(`/api/v1/cases/${caseId}/contact`, { headers: { cookie: dept.cookie } })).status).toBe(200);
    rows = await auditRows(caseId);
    expect(rows.filter((r) => r.action === 'contact.read').map((r) => r.actor)).toEqual([rows[0].actor, dept.username, dept.username]);
    expect(new Set(rows.map((r) => r.requestId)).size).toBe(3);

    // who does not contact residents gets nothing, and nothing is recorded as read
    const leader = await staffToken(db.sql, 'leader');
    const other = await staffToken(db.sql, 'department', 'housing');
    expect((await app.request(`/api/v1/cases/${caseId}/contact`, { headers: bearer(leader) })).status).toBe(403);
    expect((await app.request(`/api/v1/cases/${caseId}/contact`, { headers: bearer(other) })).status).toBe(403);
    expect((await app.request(`/api/v1/cases/${caseId}/contact`)).status).toBe(401);
    expect((await app.request('/api/v1/cases/99999999/contact', { headers: bearer(centre) })).status).toBe(404);
    expect(await auditRows(caseId)).toHaveLength(3);
    // the case view itself never carries the clear phone number
    const view = await (await app.request(`/api/v1/cases/${caseId}`, { headers: bearer(leader) })).text();
    expect(view).not.toContain('13905531234');
  });

  it('records every staff action, with the action named, and not the refused ones', async () => {
    const { caseId } = await openTestCase(db.sql, { department: 'urban-mgmt' });
    const dept = await staffToken(db.sql, 'department', 'urban-mgmt');
    const other = await staffToken(db.sql, 'department', 'housing');
    expect((await postJson(app, `/api/v1/cases/${caseId}/accept`, {}, bearer(other))).status).toBe(403);
    expect((await postJson(app, `/api/v1/cases/${caseId}/reply-check`, { text: '您好' }, bearer(dept))).status).toBe(200);
    expect((await postJson(app, `/api/v1/cases/${caseId}/accept`, {}, bearer(dept))).status).toBe(200);
    expect((await postJson(app, `/api/v1/cases/${caseId}/reply`, { text: '您好，路灯已于今日修复，感谢您的反映。' }, bearer(dept))).status).toBe(200);
    const rows = await auditRows(caseId);
    expect(rows.map((r) => [r.action, r.detail.action])).toEqual([['case.action', 'accept'], ['case.action', 'reply']]);
    expect(rows.every((r) => r.actorRole === 'department')).toBe(true);
  });

  it('is append-only in the database', async () => {
    await staffToken(db.sql, 'centre');
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log`;
    expect(n).toBeGreaterThan(0);
    await expect(db.sql`UPDATE audit_log SET actor = 'someone else'`).rejects.toThrow(/append-only/);
    await expect(db.sql`DELETE FROM audit_log`).rejects.toThrow(/append-only/);
    await expect(db.sql`TRUNCATE audit_log`).rejects.toThrow(/append-only/);
    const [{ n: after }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log`;
    expect(after).toBe(n);
  });

  it('is searchable by admins only, by actor, action, time and case, page by page', async () => {
    const admin = bearer(await staffToken(db.sql, 'admin'));
    const { caseId } = await openTestCase(db.sql, { department: 'urban-mgmt' });
    const centre = await staffToken(db.sql, 'centre');
    for (let i = 0; i < 3; i++) await app.request(`/api/v1/cases/${caseId}/contact`, { headers: bearer(centre) });
    const page1 = (await (await app.request(`/api/v1/admin/audit?caseId=${caseId}&limit=2`, { headers: admin })).json()) as { items: AuditItem[]; next: number | null };
    expect(page1.items).toHaveLength(2);
    expect(page1.next).not.toBeNull();
    const page2 = (await (await app.request(`/api/v1/admin/audit?caseId=${caseId}&limit=2&before=${page1.next}`, { headers: admin })).json()) as { items: AuditItem[]; next: number | null };
    expect(page2.items).toHaveLength(1);
    expect(page2.next).toBeNull();
    const all = [...page1.items, ...page2.items];
    expect(all.map((r) => r.action)).toEqual(['contact.read', 'contact.read', 'contact.read']);
    expect(all[0].id).toBeGreaterThan(all[2].id); // newest first

    const actor = all[0].actor;
    const byActor = (await (await app.request(`/api/v1/admin/audit?actor=${actor}`, { headers: admin })).json()) as { items: AuditItem[] };
    expect(byActor.items.length).toBe(3);
    const byPrefix = (await (await app.request(`/api/v1/admin/audit?action=${encodeURIComponent('contact.*')}&limit=200`, { headers: admin })).json()) as { items: AuditItem[] };
    expect(byPrefix.items.every((r) => r.action === 'contact.read')).toBe(true);
    const future = encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString());
    expect(((await (await app.request(`/api/v1/admin/audit?from=${future}`, { headers: admin })).json()) as { items: unknown[] }).items).toEqual([]);
    const bad = await app.request('/api/v1/admin/audit?from=yesterday', { headers: admin });
    expect(bad.status).toBe(400);
    expect((await app.request('/api/v1/admin/audit', { headers: bearer(centre) })).status).toBe(403);
    expect((await app.request('/api/v1/admin/audit')).status).toBe(401);
  });
  it('writes one row for a request that passes two staff guards (an alert acknowledged)', async () => {
    const [rule] = await db.sql<{ id: number }[]>`
      INSERT INTO alert_rules (name, enabled, definition, created_by) VALUES ('停水预警', true, '{}'::jsonb, 'test') RETURNING id`;
    const [alert] = await db.sql<{ id: number }[]>`
      INSERT INTO alerts (rule_id, scope_key, district, topic_id, title, opened_at, last_true_at, evidence)
      VALUES (${rule.id}, 'district:弋江区', '弋江区', NULL, '弋江区停水', now(), now(), '{}'::jsonb) RETURNING id`;
    const centre = await staffToken(db.sql, 'centre');
    const res = await postJson(app, `/api/v1/alerts/${alert.id}/ack`, {}, bearer(centre));
    expect(res.status).toBe(200);
    const requestId = res.headers.get('x-request-id');
    const rows = await db.sql`SELECT action FROM audit_log WHERE request_id = ${requestId}`;
    expect(rows).toHaveLength(1);
  });
});
