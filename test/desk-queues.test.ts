// The centre's desk: 待派单 (unroutable and returned cases with the routing table's suggestions),
// 答复审核 as policy (a held reply is not queued for the resident until approved; a rejected one never
// is), 延期 approvals, and what the resident reads meanwhile (受理中, only the replies they received).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseForMessage } from '../core/cases/open-case-for-message';
import { createRouter } from '../core/cases/routing';
import { insertMessage } from '../core/db/messages';
import { InProcessQueue } from '../core/queue/in-process';
import { postJson, testApp } from './support/app';
import { incoming, openTestCase, serviceDeps, shipped, staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
let centre: string;
let police: string;
let housing: string;

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
async function act(caseId: number, route: string, token: string, body: unknown = {}) {
  const res = await postJson(app, `/api/v1/cases/${caseId}/${route}`, body, auth(token));
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
async function queueOf(kind: string, token = centre) {
  const res = await app.request(`/api/v1/cases/queues/${kind}`, { headers: auth(token) });
  return { status: res.status, body: (await res.json()) as { items: { case: { id: number }; why: string | null; suggestions: { department: string; reason: string; returnedBefore: boolean }[]; actions: { key: string }[] }[] } };
}
async function residentRaw(m: { trackingNo: string; queryCode: string }) {
  const res = await app.request(`/api/v1/messages/${m.trackingNo}?code=${m.queryCode}`);
  expect(res.status).toBe(200);
  return res.text();
}
const outboxCount = async (caseId: number) =>
  (await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM outbox WHERE case_id = ${caseId} AND kind = 'reply'`)[0].n;

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue();
  app = testApp(db, queue);
  centre = await staffToken(db.sql, 'centre');
  police = await staffToken(db.sql, 'department', 'police');
  housing = await staffToken(db.sql, 'department', 'housing');
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

describe('答复审核 as policy', () => {
  it('a reply of a department under review waits; a rejected one never reaches the resident; an approved one is sent once', async () => {
    const { caseId, message } = await openTestCase(db.sql, { department: 'police' });
    expect((await act(caseId, 'accept', police)).status).toBe(200);
    const first = await act(caseId, 'reply', police, { text: '您反映的问题已转交辖区派出所处理。' });
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('replied');
    expect(await outboxCount(caseId)).toBe(0);
    // the resident still reads 办理中, and nothing of the held reply (raw body)
    let raw = await residentRaw(message);
    expect(JSON.parse(raw)).toMatchObject({ stage: 'accepted', stageLabel: '办理中', reply: null, repliedAt: null });
    expect(raw).not.toContain('辖区派出所');
    expect(raw).not.toContain('承办单位已答复');
    // the centre's review queue lists it with why, and the actions the table allows
    const q = await queueOf('replies');
    const item = q.body.items.find((i) => i.case.id === caseId)!;
    expect(item.why).toContain('须经协调中心审核');
    expect(item.actions.map((a) => a.key)).toEqual(['reject-reply', 'approve-reply', 'note', 'assign']);
    expect((await queueOf('replies', police)).status).toBe(403);
    // the department cannot approve its own reply; nor can it be closed before approval
    expect((await act(caseId, 'approve-reply', police)).status).toBe(403);
    expect((await act(caseId, 'close', centre)).status).toBe(409);

    expect((await act(caseId, 'reject-reply', centre, { reason: '答复未说明处理结果' })).status).toBe(200);
    expect(await outboxCount(caseId)).toBe(0);
    raw = await residentRaw(message);
    expect(raw).not.toContain('辖区派出所');
    expect(raw).not.toContain('答复未说明处理结果');
    expect(JSON.parse(raw).history.map((h: { label: string }) => h.label)).not.toContain('承办单位已答复');

    expect((await act(caseId, 'reply', police, { text: '经派出所现场核查，已责令商户整改，噪音问题已解决。' })).status).toBe(200);
    expect(await outboxCount(caseId)).toBe(0);
    const approved = await act(caseId, 'approve-reply', centre);
    expect(approved.status).toBe(200);
    expect(approved.body.actions.map((a: { key: string }) => a.key)).toEqual(['close', 'note', 'assign']);
    expect(await outboxCount(caseId)).toBe(1);
    const sent = (await db.sql<{ payload: { text: string } }[]>`SELECT payload FROM outbox WHERE case_id = ${caseId}`)[0];
    expect(sent.payload.text).toContain('已责令商户整改');
    const status = JSON.parse(await residentRaw(message));
    expect(status).toMatchObject({ stage: 'replied', reply: '经派出所现场核查，已责令商户整改，噪音问题已解决。' });
    expect(status.history.filter((h: { label: string }) => h.label === '承办单位已答复')).toHaveLength(1);
    expect((await queueOf('replies')).body.items.some((i) => i.case.id === caseId)).toBe(false);
    // approving again sends nothing more
    expect((await act(caseId, 'approve-reply', centre)).status).toBe(409);
    expect(await outboxCount(caseId)).toBe(1);
  });

  it('a reply not under review goes out at once and cannot be recalled', async () => {
    const { caseId } = await openTestCase(db.sql, { department: 'housing' });
    await act(caseId, 'accept', housing);
    expect((await act(caseId, 'reply', housing, { text: '已安排维修。' })).status).toBe(200);
    expect(await outboxCount(caseId)).toBe(1);
    const refused = await act(caseId, 'reject-reply', centre, { reason: '不够具体' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('答复已发给诉求人');
  });
});

describe('待派单', () => {
  it('an unroutable case waits for the centre with suggestions and why; the resident reads 受理中', async () => {
    // the table's keyword rules only: a message none of them matches, with no place, has no route
    const router = createRouter({ ...shipped.routing, rules: shipped.routing.rules.filter((r) => r.keywords) }, shipped.departments, shipped.gazetteer);
    const { message } = await insertMessage(db.sql, incoming({ body: '想咨询一下这件事情应该找哪个部门办理，谢谢。', title: null }));
    const { caseId } = await openCaseForMessage({ ...serviceDeps(db.sql), router, duplicates: false }, message.id);
    const view = (await (await app.request(`/api/v1/cases/${caseId}`, { headers: auth(centre) })).json()) as { case: { status: string; departmentCode: string | null; needsReview: boolean }; events: { type: string }[] };
    expect(view.case).toMatchObject({ status: 'received', departmentCode: null, needsReview: true });
    expect(view.events.map((e) => e.type)).toContain('awaiting-dispatch');
    expect(view.events.map((e) => e.type)).not.toContain('dispatched');
    const q = await queueOf('dispatch');
    const item = q.body.items.find((i) => i.case.id === caseId)!;
    expect(item.why).toContain('无规则命中');
    expect(item.actions.map((a) => a.key)).toEqual(expect.arrayContaining(['dispatch', 'designate']));
    const status = JSON.parse(await residentRaw(message));
    expect(status).toMatchObject({ stage: 'received', stageLabel: '受理中', department: null });
  });

  it('a returned case waits with the 退单 reason; dispatching it takes it out of the queue', async () => {
    const { caseId, message } = await openTestCase(db.sql, { department: 'housing' });
    expect((await act(caseId, 'return', housing, { reason: '路灯属城管局职责' })).status).toBe(200);
    const item = (await queueOf('dispatch')).body.items.find((i) => i.case.id === caseId)!;
    expect(item.why).toBe('市住建局退单：路灯属城管局职责');
    expect(item.suggestions.length).toBeGreaterThan(0);
    for (const s of item.suggestions) expect(s.reason).toMatch(/[\u4e00-\u9fff]/);
    expect(JSON.parse(await residentRaw(message))).toMatchObject({ stageLabel: '受理中', department: null });
    const target = item.suggestions.find((s) => !s.returnedBefore)!.department;
    const done = await act(caseId, 'dispatch', centre, { departmentId: target });
    expect(done.status).toBe(200);
    expect((await queueOf('dispatch')).body.items.some((i) => i.case.id === caseId)).toBe(false);
  });
});

describe('延期 approvals', () => {
  it('a pending request is queued with its reason until the centre decides', async () => {
    const { caseId } = await openTestCase(db.sql, { department: 'housing' });
    await act(caseId, 'accept', housing);
    expect((await act(caseId, 'request-extension', housing, { workingDays: 3, reason: '需协调施工单位' })).status).toBe(200);
    const item = (await queueOf('extensions')).body.items.find((i) => i.case.id === caseId)!;
    expect(item.why).toBe('申请延期 3 个工作日：需协调施工单位');
    expect(item.actions.map((a) => a.key)).toEqual(expect.arrayContaining(['approve-extension', 'refuse-extension']));
    const counts = (await (await app.request('/api/v1/cases/queues', { headers: auth(centre) })).json()) as Record<string, number>;
    expect(counts.extensions).toBeGreaterThanOrEqual(1);
    expect((await act(caseId, 'decide-extension', centre, { approve: true })).status).toBe(200);
    expect((await queueOf('extensions')).body.items.some((i) => i.case.id === caseId)).toBe(false);
  });
});

describe('desk work beside the lifecycle', () => {
  it('internal notes, 催办, assignment and a leader’s 批示 the department must answer; the resident sees none of it', async () => {
    const { caseId, message } = await openTestCase(db.sql, { department: 'housing' });
    const leader = await staffToken(db.sql, 'leader');
    const clerk = await staffToken(db.sql, 'department', 'housing');
    const clerkName = (await db.sql<{ username: string }[]>`SELECT username FROM staff_users WHERE department_code = 'housing' ORDER BY id DESC LIMIT 1`)[0].username;
    const keys = async (token: string) =>
      ((await (await app.request(`/api/v1/cases/${caseId}`, { headers: auth(token) })).json()) as { actions: { key: string }[] }).actions.map((a) => a.key);

    expect(await keys(centre)).toEqual(expect.arrayContaining(['note', 'urge', 'assign']));
    expect(await keys(leader)).toEqual(['instruct']);
    expect(await keys(housing)).not.toContain('answer-instruction');

    expect((await act(caseId, 'note', housing, { text: '内部：诉求人情绪激动，回访请注意方式' })).status).toBe(200);
    expect((await act(caseId, 'note', housing, { text: '' })).body.error.details[0].message).toBe('请填写备注内容');
    expect((await act(caseId, 'urge', housing, { reason: '请尽快签收' })).status).toBe(403);
    const urged = await act(caseId, 'urge', centre, { reason: '请尽快签收并联系诉求人' });
    expect(urged).toMatchObject({ status: 200, body: { event: 'urged' } });

    expect((await act(caseId, 'assign', housing, { assignee: 'nobody-here' })).status).toBe(400);
    expect((await act(caseId, 'assign', housing, { assignee: clerkName })).status).toBe(200);
    const people = (await (await app.request(`/api/v1/cases/${caseId}/assignees`, { headers: auth(housing) })).json()) as { items: { username: string }[] };
    expect(people.items.map((p) => p.username)).toContain(clerkName);

    const refused = await act(caseId, 'accept', leader);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('督办领导账号只能查看和批示');
    expect((await act(caseId, 'instruct', leader, { text: '请住建局三日内查明原因并报告' })).status).toBe(200);
    expect(await keys(clerk)).toContain('answer-instruction');
    expect((await act(caseId, 'answer-instruction', centre, { text: '已处理' })).status).toBe(403);
    expect((await act(caseId, 'answer-instruction', housing, { text: '已现场查明，系管道老化，已安排更换' })).status).toBe(200);
    expect(await keys(housing)).not.toContain('answer-instruction');

    const view = (await (await app.request(`/api/v1/cases/${caseId}`, { headers: auth(centre) })).json()) as {
      case: { assignee: string | null }; notes: { kind: string; body: string; answersId: number | null; answeredAt: string | null }[]; events: { type: string }[];
    };
    expect(view.case.assignee).toBe(clerkName);
    expect(view.notes.map((n) => n.kind)).toEqual(['note', 'instruction', 'answer']);
    expect(view.notes[1].answeredAt).not.toBeNull();
    expect(view.events.map((e) => e.type)).toEqual(expect.arrayContaining(['note-added', 'urged', 'assigned', 'instructed', 'instruction-answered']));

    const raw = await residentRaw(message);
    for (const secret of ['诉求人情绪激动', '请尽快签收并联系诉求人', clerkName, '三日内查明原因', '管道老化']) expect(raw).not.toContain(secret);
  });
});

describe('批量派单', () => {
  it('dispatches each selected case through the lifecycle; a refusal is reported per case, in Chinese, and blocks nothing', async () => {
    const a = await openTestCase(db.sql, { department: null });
    const b = await openTestCase(db.sql, { department: 'housing' });
    await act(b.caseId, 'return', housing, { reason: '非本单位职责' });
    const stale = await openTestCase(db.sql, { department: null });
    const res = await postJson(app, '/api/v1/cases/bulk/dispatch', { caseIds: [a.caseId, b.caseId, stale.caseId, 999999], departmentId: 'urban-mgmt', versions: { [stale.caseId]: 0 } }, auth(centre));
    expect(res.status).toBe(200);
    const out = (await res.json()) as { dispatched: number; results: { caseId: number; ok: boolean; error?: string }[] };
    expect(out.dispatched).toBe(2);
    expect(out.results.find((r) => r.caseId === stale.caseId)).toMatchObject({ ok: false, error: expect.stringContaining('工单已被他人修改') });
    expect(out.results.find((r) => r.caseId === 999999)).toMatchObject({ ok: false, error: '没有编号为 999999 的工单' });
    expect((await postJson(app, '/api/v1/cases/bulk/dispatch', { caseIds: [a.caseId], departmentId: 'urban-mgmt' }, auth(housing))).status).toBe(403);
    const empty = await postJson(app, '/api/v1/cases/bulk/dispatch', { caseIds: [], departmentId: 'urban-mgmt' }, auth(centre));
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { details: { message: string }[] } }).error.details[0].message).toBe('请至少选择一件工单');
  });
});
