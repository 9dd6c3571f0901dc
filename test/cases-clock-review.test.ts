// The legal clock while a reply waits for 答复审核: the resolution deadline stays live (催办 / 超期 /
// 督办 fire, for the centre that must approve), and 按时办结 is judged by the moment the reply
// reached the resident (the approval), in the incremental rollups and in a rebuild alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOnCase } from '../core/cases/act-on-case';
import { fireAllDueTimers } from '../core/cases/fire-timers';
import { rebuildRollups, syncDueCaseFacts } from '../core/db/rollups';
import { listCaseTimers } from '../core/db/sla-timers';
import { CASE_COUNTERS } from '../core/analytics/rollups';
import { openTestCase, serviceDeps } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

// police replies wait for the centre (lexicons/review-policy.json)
const police = { role: 'department' as const, id: 'p', departmentId: 'police' };
const centre = { role: 'centre' as const, id: 'c' };
const hours = (t: Date, h: number) => new Date(t.getTime() + h * 3600_000);

async function heldReplyCase(receivedAt: Date) {
  const deps = serviceDeps(db.sql);
  const { caseId } = await openTestCase(db.sql, { receivedAt, department: 'police' });
  await actOnCase(deps, caseId, { type: 'accept' }, { actor: police, at: hours(receivedAt, 1) });
  const r = await actOnCase(deps, caseId, { type: 'reply', text: '经派出所现场核查，已责令商户整改。' }, { actor: police, at: hours(receivedAt, 2) });
  expect(r.state.reply?.pendingReview).toBe(true);
  return { deps, caseId, due: r.state.deadlines!.resolution.due };
}

async function facts(caseId: number) {
  const [f] = await db.sql<{ counters: number[] }[]>`SELECT counters FROM rollup_case_facts WHERE case_id = ${caseId}`;
  return Object.fromEntries(CASE_COUNTERS.map((k, i) => [k, f.counters[i]]));
}

async function caseEvents(caseId: number) {
  return (await db.sql<{ type: string; data: { deadline?: string; onTime?: boolean; waitingOn?: string } }[]>`
    SELECT type, data FROM case_events WHERE case_id = ${caseId} ORDER BY seq`);
}

describe('a reply held for 答复审核 keeps the legal clock running', () => {
  it('held past its deadline: the resolution timers stay live, 超期 and 督办 fire for the centre, and it counts late even when approved afterwards', async () => {
    const { deps, caseId, due } = await heldReplyCase(new Date('2026-03-02T09:00:00+08:00'));
    const timers = (await listCaseTimers(db.sql, caseId)).filter((t) => t.state === 'pending');
    expect(timers.map((t) => `${t.deadline}:${t.kind}`).sort()).toEqual(['resolve:escalate', 'resolve:overdue', 'resolve:remind']);

    await fireAllDueTimers(deps, hours(due, 72));
    const fired = (await caseEvents(caseId)).filter((e) => e.data.deadline === 'resolve');
    expect(fired.map((e) => e.type)).toEqual(['reminded', 'overdue', 'escalated']);
    expect(fired.every((e) => e.data.waitingOn === 'reply-review')).toBe(true);
    const [row] = await db.sql<{ overdue: boolean; escalatedAt: Date | null; replySentAt: Date | null }[]>`
      SELECT overdue, escalated_at, reply_sent_at FROM cases WHERE id = ${caseId}`;
    expect(row).toMatchObject({ overdue: true, replySentAt: null });
    expect(row.escalatedAt).not.toBeNull();
    // while held past the deadline: 超期, due for 按时办结 and missed
    await syncDueCaseFacts(db.sql, new Date());
    expect(await facts(caseId)).toMatchObject({ overdueOpen: 1, onTimeDue: 1, onTimeHit: 0 });

    // the department replied in time, but the resident got it only now: late
    const approved = await actOnCase(deps, caseId, { type: 'approveReply' }, { actor: centre, at: hours(due, 96) });
    expect(approved.timers).toEqual([]);
    await actOnCase(deps, caseId, { type: 'close' }, { actor: centre, at: hours(due, 97) });
    expect((await caseEvents(caseId)).find((e) => e.type === 'closed')!.data.onTime).toBe(false);
    expect(await facts(caseId)).toMatchObject({ overdueOpen: 0, onTimeDue: 1, onTimeHit: 0 });
  });

  it('approved before the deadline: on time, and the timers stop at the approval', async () => {
    const { deps, caseId, due } = await heldReplyCase(new Date('2026-03-09T09:00:00+08:00'));
    const approved = await actOnCase(deps, caseId, { type: 'approveReply' }, { actor: centre, at: hours(due, -1) });
    expect(approved.timers).toEqual([]);
    expect((await listCaseTimers(db.sql, caseId)).filter((t) => t.state === 'pending')).toEqual([]);
    await actOnCase(deps, caseId, { type: 'close' }, { actor: centre, at: hours(due, 1) });
    expect((await caseEvents(caseId)).find((e) => e.type === 'closed')!.data.onTime).toBe(true);
    const [row] = await db.sql<{ replySentAt: Date }[]>`SELECT reply_sent_at FROM cases WHERE id = ${caseId}`;
    expect(row.replySentAt.toISOString()).toBe(hours(due, -1).toISOString());
    expect(await facts(caseId)).toMatchObject({ onTimeDue: 1, onTimeHit: 1, overdueOpen: 0 });
  });

  it('the incremental facts of held and approved replies equal a rebuild', async () => {
    // one more still held past its deadline, one held within it
    await heldReplyCase(new Date('2026-03-16T09:00:00+08:00'));
    await heldReplyCase(new Date(Date.now() - 3 * 3600_000));
    const at = new Date();
    await syncDueCaseFacts(db.sql, at);
    const read = () => db.sql`SELECT case_id, dims, counters, response_bucket, resolution_bucket, flip_at FROM rollup_case_facts ORDER BY case_id`;
    const incremental = await read();
    expect(incremental.length).toBe(4);
    await rebuildRollups(db.sql, at);
    expect(await read()).toEqual(incremental);
  });
});
