// A case a department returned (退单) waits in 待派单 on the centre's 派单 clock (sla-policy dispatch,
// counted from the 退单), with its timers, shown in the queue and the case; the case's timeline is in
// time order (then by sequence), whatever order its events were written in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendCaseEvents } from '../core/db/cases';
import { InProcessQueue } from '../core/queue/in-process';
import { postJson, testApp } from './support/app';
import { openTestCase, sla, staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
let centre: string;
let urban: string;

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
async function act(caseId: number, route: string, token: string, body: unknown = {}) {
  const res = await postJson(app, `/api/v1/cases/${caseId}/${route}`, body, auth(token));
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
async function detail(caseId: number, token = centre) {
  const res = await app.request(`/api/v1/cases/${caseId}`, { headers: auth(token) });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, any>;
}

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue();
  app = testApp(db, queue);
  centre = await staffToken(db.sql, 'centre');
  urban = await staffToken(db.sql, 'department', 'urban-mgmt');
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

describe('退单 back in 待派单: the 派单 clock', () => {
  it('runs from the 退单 for the policy\'s dispatch time, with timers, in the queue and the case; ends at re-dispatch', async () => {
    const { caseId } = await openTestCase(db.sql, { department: 'urban-mgmt' });
    // a dispatched case has no 派单 clock
    expect((await detail(caseId)).dispatchDeadline).toBeNull();
    const before = Date.now();
    const ret = await act(caseId, 'return', urban, { reason: '不属于本单位职责，应由住建部门办理' });
    expect(ret.status).toBe(200);
    const d = await detail(caseId);
    expect(d.case.status).toBe('returned');
    expect(d.deadlines).toBeNull();
    const policy = sla.policy.dispatch.normal;
    expect(policy.unit).toBe('hours');
    const due = new Date(d.dispatchDeadline.due).getTime();
    const start = new Date(d.dispatchDeadline.start).getTime();
    expect(start).toBeGreaterThanOrEqual(before - 1000);
    // the policy's time from the 退单, or less when a re-dispatch's acceptance deadline comes first
    expect(due - start).toBeLessThanOrEqual(policy.amount * 3_600_000);
    expect(due).toBeGreaterThan(start);
    expect(d.dispatchDeadline).toMatchObject({ kind: 'dispatch', unit: 'hours' });
    // the centre is chased: 催办/超期/督办 on the 派单 deadline, and none left of the department's
    const pending = d.timers.filter((t: { state: string }) => t.state === 'pending');
    expect(new Set(pending.map((t: { deadline: string }) => t.deadline))).toEqual(new Set(['dispatch']));
    expect(pending.map((t: { kind: string }) => t.kind).sort()).toEqual(['escalate', 'overdue', 'remind'].sort());
    expect(new Date(pending.find((t: { kind: string }) => t.kind === 'overdue').dueAt).getTime()).toBe(due);
    // the 待派单 queue says when
    const q = (await (await app.request('/api/v1/cases/queues/dispatch', { headers: auth(centre) })).json()) as { items: { case: { id: number }; dispatchDue: string | null }[] };
    const item = q.items.find((i) => i.case.id === caseId)!;
    expect(new Date(item.dispatchDue!).getTime()).toBe(due);
    // re-dispatch: the department's clock starts from now, the 派单 clock ends, on time
    const again = await act(caseId, 'dispatch', centre, { departmentId: 'housing' });
    expect(again.status).toBe(200);
    const after = await detail(caseId);
    expect(after.dispatchDeadline).toBeNull();
    expect(after.timers.filter((t: { state: string; deadline: string }) => t.state === 'pending' && t.deadline === 'dispatch')).toEqual([]);
    const dispatched = after.events.filter((e: { type: string }) => e.type === 'dispatched').at(-1);
    expect(dispatched.data.dispatchLate).toBe(false);
  });
});

describe('the case timeline', () => {
  it('is ordered by time, then by sequence', async () => {
    const { caseId } = await openTestCase(db.sql, { department: 'urban-mgmt' });
    const t0 = Date.now();
    // written out of time order: a 催办 recorded after a 签收 that happened before it
    await appendCaseEvents(db.sql, caseId, [
      { type: 'urged', fromStatus: 'dispatched', toStatus: 'dispatched', actorKind: 'centre', actorId: 'staff:c', at: new Date(t0 + 120_000), data: { reason: '请尽快' } },
      { type: 'accepted', fromStatus: 'dispatched', toStatus: 'accepted', actorKind: 'department', actorId: 'staff:d', at: new Date(t0 + 60_000), data: {} },
      { type: 'contacted', fromStatus: 'accepted', toStatus: 'accepted', actorKind: 'department', actorId: 'staff:d', at: new Date(t0 + 60_000), data: {} },
    ]);
    const types = (await detail(caseId)).events.map((e: { type: string }) => e.type);
    expect(types.slice(-3)).toEqual(['accepted', 'contacted', 'urged']);
  });
});
