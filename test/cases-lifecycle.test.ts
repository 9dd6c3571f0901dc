// A case driven through every path of the 12345 lifecycle from the API, against a real database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InProcessQueue } from '../core/queue/in-process';
import { postJson, testApp } from './support/app';
import { attachMessage, openTestCase, staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
let centre: string;

beforeEach(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue(); // no processors: jobs are only recorded
  app = testApp(db, queue);
  centre = await staffToken(db.sql, 'centre');
});
afterEach(async () => {
  await queue.close();
  await db.close();
});

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
async function act(caseId: number, step: string, token: string, body: unknown = {}) {
  const res = await postJson(app, `/api/v1/cases/${caseId}/${step}`, body, auth(token));
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
async function detail(caseId: number) {
  const res = await app.request(`/api/v1/cases/${caseId}`, { headers: auth(centre) });
  expect(res.status).toBe(200);
  return (await res.json()) as { case: Record<string, any>; events: { type: string; data: any; actorKind: string }[]; timers: any[]; deadlines: any; lifecycle: any };
}

describe('deadlines across holidays', () => {
  it('a 投诉 received 2026-02-12 10:00 is due at the close of 2026-02-26 (Spring Festival skipped)', async () => {
    const { caseId } = await openTestCase(db.sql, { receivedAt: new Date('2026-02-12T10:00:00+08:00'), classification: { requestType: '投诉' } });
    const d = await detail(caseId);
    expect(new Date(d.case.resolveDueAt).toISOString()).toBe(new Date('2026-02-26T17:30:00+08:00').toISOString());
    // 签收 1 working day, first response 2 working days (Feb 14 is a make-up Saturday workday)
    expect(new Date(d.case.acceptDueAt).toISOString()).toBe(new Date('2026-02-13T17:30:00+08:00').toISOString());
    expect(new Date(d.case.responseDueAt).toISOString()).toBe(new Date('2026-02-14T17:30:00+08:00').toISOString());
    expect(d.events.map((e) => e.type)).toEqual(['received', 'dispatched']);
    // the timers of a case in the past are all written (the sweep fires them)
    expect(d.timers.filter((t) => t.deadline === 'resolve').map((t) => t.kind).sort()).toEqual(['escalate', 'overdue', 'remind']);
  });
});

describe('the lifecycle from the API', () => {
  it('accept, pause/resume in the history, extensions with the +10 cap, reply to every resident, close, 不满意 reopens', async () => {
    const { caseId, message } = await openTestCase(db.sql, { department: 'urban-mgmt' });
    const second = await attachMessage(db.sql, caseId, { channel: 'wechat', contactPhone: null, contactHandle: 'openid-abc' });
    const dept = await staffToken(db.sql, 'department', 'urban-mgmt');

    expect((await act(caseId, 'accept', dept)).body.status).toBe('accepted');
    expect((await act(caseId, 'pause', dept, { reason: '请市民补充具体路段' })).body.status).toBe('waiting');
    const dueWhilePaused = (await detail(caseId)).case.resolveDueAt;
    const resumed = await postJson(app, `/api/v1/messages/${message.trackingNo}/supplement`, { code: message.queryCode, text: '是赭山路北段' });
    expect(resumed.status).toBe(200);
    let d = await detail(caseId);
    expect(d.events.map((e) => e.type)).toEqual(expect.arrayContaining(['paused', 'resumed']));
    expect(d.events.find((e) => e.type === 'resumed')!.actorKind).toBe('resident');
    expect(new Date(d.case.resolveDueAt).getTime()).toBeGreaterThanOrEqual(new Date(dueWhilePaused).getTime());
    expect(d.lifecycle.pauses).toHaveLength(1);

    const tooMany = await act(caseId, 'request-extension', dept, { workingDays: 11, reason: '需协调多部门' });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error.details.code).toBe('EXTENSION_LIMIT');
    expect((await act(caseId, 'request-extension', dept, { workingDays: 6, reason: '需更换电缆' })).status).toBe(200);
    const before = new Date((await detail(caseId)).case.resolveDueAt);
    const approved = await act(caseId, 'decide-extension', centre, { approve: true });
    expect(approved.status).toBe(200);
    d = await detail(caseId);
    const { calendar } = (await import('./support/cases')).sla;
    expect(new Date(d.case.resolveDueAt).toISOString()).toBe(calendar.addWorkingDays(before, 6).toISOString());
    expect(d.case.extensionDays).toBe(6);
    // 6 granted + 5 asked > 10
    expect((await act(caseId, 'request-extension', dept, { workingDays: 5, reason: '再延' })).body.error.details.code).toBe('EXTENSION_LIMIT');
    expect((await act(caseId, 'request-extension', dept, { workingDays: 4, reason: '再延' })).status).toBe(200);
    const refuse = await act(caseId, 'decide-extension', centre, { approve: false });
    expect(refuse.status).toBe(400); // a refusal needs a reason, said per field
    expect(refuse.body.error.details[0].field).toBe('reason');
    expect((await act(caseId, 'decide-extension', centre, { approve: false, reason: '时限内可完成' })).body.events[0].type).toBe('extension-refused');

    const reply = await act(caseId, 'reply', dept, { text: '您好，经核实，赭山路北段路灯电缆老化，已于今日更换电缆并恢复照明。如有问题请联系市城管局 0553-1234503。' });
    expect(reply.status).toBe(200);
    expect(reply.body.replyAdvice.ok).toBe(true);
    const outbox = await db.sql<{ messageId: number; channel: string; idempotencyKey: string }[]>`
      SELECT message_id AS "messageId", channel, idempotency_key AS "idempotencyKey" FROM outbox WHERE case_id = ${caseId} ORDER BY message_id`;
    expect(outbox.map((o) => [o.messageId, o.channel])).toEqual([[message.id, 'portal'], [second.id, 'wechat']]);
    expect(new Set(outbox.map((o) => o.idempotencyKey)).size).toBe(2);

    expect((await act(caseId, 'close', centre)).body.status).toBe('closed');
    const wrongCode = await postJson(app, `/api/v1/messages/${message.trackingNo}/rating`, { code: 'AAAAAA', rating: '满意' });
    expect(wrongCode.status).toBe(404);
    const badRating = await postJson(app, `/api/v1/messages/${message.trackingNo}/rating`, { code: message.queryCode, rating: '很好' });
    expect(badRating.status).toBe(400);
    const rated = await postJson(app, `/api/v1/messages/${message.trackingNo}/rating`, { code: message.queryCode, rating: '不满意', resolved: false, comment: '只修了一盏' });
    expect(await rated.json()).toEqual({ status: 'dispatched', reopened: true });
    d = await detail(caseId);
    expect(d.case.status).toBe('dispatched');
    expect(d.case.reopenCount).toBe(1);
    expect(d.events.slice(-2).map((e) => e.type)).toEqual(['rated', 'reopened']);
    expect(d.events.at(-2)!.data).toMatchObject({ rating: '不满意', resolved: false });
  });

  it('three returns send the case to the centre, which designates; a designated case cannot be returned', async () => {
    const { caseId } = await openTestCase(db.sql, { department: 'housing' });
    const tokens = { housing: await staffToken(db.sql, 'department', 'housing'), urban: await staffToken(db.sql, 'department', 'urban-mgmt'), eco: await staffToken(db.sql, 'department', 'ecology') };
    expect((await act(caseId, 'return', tokens.housing, { reason: '属于城管职责' })).body.status).toBe('returned');
    // a department may not be sent the case it returned, except by the centre's designation
    const centreUser = await staffToken(db.sql, 'admin');
    expect((await act(caseId, 'dispatch', centreUser, { departmentId: 'urban-mgmt' })).status).toBe(200);
    expect((await act(caseId, 'return', tokens.urban, { reason: '属于环保职责' })).status).toBe(200);
    expect((await act(caseId, 'dispatch', centre, { departmentId: 'ecology' })).status).toBe(200);
    const third = await act(caseId, 'return', tokens.eco, { reason: '属于住建职责' });
    expect(third.body.events[0].data).toMatchObject({ returnCount: 3, toCentre: true });
    let d = await detail(caseId);
    expect(d.case.awaitingDesignation).toBe(true);
    expect(d.case.needsReview).toBe(true);
    const refused = await act(caseId, 'dispatch', centre, { departmentId: 'transport' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.code).toBe('NEEDS_DESIGNATION');
    expect(refused.body.error.message).toContain('协调中心');
    expect((await act(caseId, 'designate', centre, { departmentId: 'housing', reason: '小区公共设施属住建' })).status).toBe(200);
    const noReturn = await act(caseId, 'return', tokens.housing, { reason: '还是不归我们' });
    expect(noReturn.status).toBe(409);
    expect(noReturn.body.error.details.code).toBe('CASE_DESIGNATED');
    d = await detail(caseId);
    expect(d.events.map((e) => e.type)).toEqual(['received', 'dispatched', 'returned', 'dispatched', 'returned', 'dispatched', 'returned', 'designated']);
    expect(d.case.departmentCode).toBe('housing');
  });

  it('staff override a dispatch with a reason (改派)', async () => {
    const { caseId } = await openTestCase(db.sql, { department: 'housing' });
    const noReason = await act(caseId, 'dispatch', centre, { departmentId: 'urban-mgmt' });
    expect(noReason.status).toBe(400);
    const r = await act(caseId, 'dispatch', centre, { departmentId: 'urban-mgmt', reason: '路灯归城管' });
    expect(r.body.events[0]).toMatchObject({ type: 'overridden', data: { fromDepartmentId: 'housing', departmentId: 'urban-mgmt' } });
  });

  it('refuses illegal transitions with 409 and leaves the case as it was; checks who may act', async () => {
    const { caseId } = await openTestCase(db.sql, { department: 'housing' });
    const before = await detail(caseId);
    const close = await act(caseId, 'close', centre);
    expect(close.status).toBe(409);
    expect(close.body.error).toMatchObject({ code: 'illegal_transition', details: { code: 'NOT_ALLOWED_IN_STATUS', status: 'dispatched' } });
    expect(close.body.error.message).toMatch(/当前状态下不能执行此操作 \/ this action is not allowed/);
    const after = await detail(caseId);
    expect(after.case.version).toBe(before.case.version);
    expect(after.events).toHaveLength(before.events.length);

    expect((await postJson(app, `/api/v1/cases/${caseId}/accept`, {})).status).toBe(401);
    expect((await act(caseId, 'accept', 'not-a-real-token')).status).toBe(401);
    expect((await act(caseId, 'accept', await staffToken(db.sql, 'department', 'ecology'))).status).toBe(403);
    expect((await act(caseId, 'accept', await staffToken(db.sql, 'leader'))).status).toBe(403);
    const dept = await staffToken(db.sql, 'department', 'housing');
    expect((await act(caseId, 'close', dept)).status).toBe(403); // closing is the centre's
    const stale = await act(caseId, 'accept', dept, { version: before.case.version - 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('conflict');
    expect((await act(caseId, 'accept', dept, { version: before.case.version })).status).toBe(200);
    expect((await act(caseId, 'accept', dept)).body.error.details.code).toBe('NOT_ALLOWED_IN_STATUS');
  });

  it('ADMIN_TOKEN is the bootstrap administrator', async () => {
    const { testConfig } = await import('./support/app');
    const adminApp = testApp(db, queue, testConfig({ ADMIN_TOKEN: 'admin-token-0123456789' }));
    const { caseId } = await openTestCase(db.sql, { department: 'housing' });
    const res = await postJson(adminApp, `/api/v1/cases/${caseId}/dispatch`, { departmentId: 'urban-mgmt', reason: '改派城管' }, auth('admin-token-0123456789'));
    expect(res.status).toBe(200);
    const [u] = await db.sql<{ tokenHash: string }[]>`SELECT t.token_hash FROM api_tokens t JOIN staff_users u ON u.id = t.user_id WHERE u.username = 'admin'`;
    expect(u.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(u.tokenHash).not.toContain('admin-token');
  });

  it('staff merge one case into another and split a message back out; the reply reaches every resident', async () => {
    const a = await openTestCase(db.sql, { department: 'urban-mgmt' });
    const b = await openTestCase(db.sql, { department: 'urban-mgmt', message: { channel: 'hotline', body: '赭山路北段路灯一直不亮' } });
    expect((await act(b.caseId, 'merge', centre, { intoTrackingNo: 'MS2601010009999' })).status).toBe(404);
    expect((await act(b.caseId, 'merge', centre, {})).status).toBe(400);
    // staff name the target by its tracking number (受理编号)
    const merged = await act(b.caseId, 'merge', centre, { intoTrackingNo: a.message.trackingNo, reason: '同一路段路灯' });
    expect(merged.body.status).toBe('merged');
    let d = await detail(a.caseId);
    expect(d.events.at(-1)).toMatchObject({ type: 'merged', data: { fromCaseId: b.caseId } });
    const msgs = await db.sql<{ id: number }[]>`SELECT id FROM messages WHERE case_id = ${a.caseId} ORDER BY id`;
    expect(msgs.map((m) => m.id)).toEqual([a.message.id, b.message.id]);
    expect((await act(b.caseId, 'merge', centre, { intoCaseId: a.caseId })).status).toBe(409);

    // the resident of the merged case sees the case it joined
    const status = await app.request(`/api/v1/messages/${b.message.trackingNo}?code=${b.message.queryCode}`);
    expect(((await status.json()) as { stage: string }).stage).toBe('dispatched');

    const split = await postJson(app, `/api/v1/cases/${a.caseId}/split`, { messageId: b.message.id, reason: '不是同一处' }, auth(centre));
    expect(split.status).toBe(201);
    const { newCaseId } = (await split.json()) as { newCaseId: number };
    expect(newCaseId).not.toBe(a.caseId);
    d = await detail(a.caseId);
    expect(d.events.at(-1)).toMatchObject({ type: 'split', data: { messageId: b.message.id, newCaseId } });
    const n = await detail(newCaseId);
    expect(n.case.status).toBe('dispatched');
    expect(n.events[0].data).toMatchObject({ splitFrom: a.caseId });
    const firstSplit = await postJson(app, `/api/v1/cases/${a.caseId}/split`, { messageId: a.message.id, reason: '首条' }, auth(centre));
    expect(firstSplit.status).toBe(409);
  });
});
