// 待派单 has a legal clock: a received case no rule routed gets a 派单 deadline from receipt (the SLA
// policy's dispatch time) whose 催办/超期/督办 go to the centre, its resolution deadline runs from
// receipt while it waits (so 超期 and the 三率 count it), and a late dispatch keeps that deadline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOnCase } from '../core/cases/act-on-case';
import { startClocklessAwaitingCases } from '../core/cases/open-case';
import { fireAllDueTimers } from '../core/cases/fire-timers';
import { computeDeadlines, computeDispatchDeadline, parseSlaPolicy } from '../core/cases/sla';
import { CASE_COUNTERS } from '../core/analytics/rollups';
import { rebuildRollups, syncDueCaseFacts } from '../core/db/rollups';
import { listCaseTimers } from '../core/db/sla-timers';
import { openTestCase, serviceDeps, sla } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';
import { readFileSync } from 'node:fs';
import { SLA_POLICY_FILE } from '../core/cases/sla';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

const centre = { role: 'centre' as const, id: 'c' };
const hours = (t: Date, h: number) => new Date(t.getTime() + h * 3600_000);
const cls = { urgency: 'normal' as const, requestType: '投诉' as const, subtopic: null };

async function caseRow(id: number) {
  const [r] = await db.sql<{ status: string; resolveDueAt: Date | null; overdue: boolean; escalatedAt: Date | null; provisionalYears: number[] }[]>`
    SELECT status, resolve_due_at, overdue, escalated_at, provisional_years FROM cases WHERE id = ${id}`;
  return r;
}
async function facts(caseId: number) {
  const [f] = await db.sql<{ counters: number[] }[]>`SELECT counters FROM rollup_case_facts WHERE case_id = ${caseId}`;
  return Object.fromEntries(CASE_COUNTERS.map((k, i) => [k, f.counters[i]]));
}

describe('the policy has a 派单 time', () => {
  it('lexicons/sla-policy.json carries it, validated; it is capped at the acceptance deadline', () => {
    expect(sla.policy.dispatch.normal).toEqual({ unit: 'hours', amount: 2 });
    const json = JSON.parse(readFileSync(SLA_POLICY_FILE, 'utf8'));
    const { dispatch: _d, ...without } = json;
    expect(() => parseSlaPolicy(without)).toThrow(/dispatch/);
    // utilities outage: accepted within 1 hour, so dispatched within 1 hour, not 2
    const at = new Date('2026-03-02T09:00:00+08:00');
    const outage = { ...cls, subtopic: '停水' };
    const d = computeDispatchDeadline(sla.policy, sla.calendar, outage, computeDeadlines(sla.policy, sla.calendar, outage, at));
    expect(d).toMatchObject({ kind: 'dispatch', due: hours(at, 1), cappedBy: 'acceptance' });
  });
});

describe('a case waiting in 待派单', () => {
  it('has a 派单 deadline from receipt whose 催办/超期/督办 fire for the centre, and its resolution clock runs from receipt', async () => {
    const receivedAt = new Date('2026-03-02T09:00:00+08:00');
    const deps = serviceDeps(db.sql);
    const { caseId } = await openTestCase(db.sql, { receivedAt, department: null });
    const fromReceipt = computeDeadlines(sla.policy, sla.calendar, cls, receivedAt);
    const row = await caseRow(caseId);
    expect(row.status).toBe('received');
    expect(row.resolveDueAt!.toISOString()).toBe(fromReceipt.resolution.due.toISOString());
    const pending = (await listCaseTimers(db.sql, caseId)).filter((t) => t.state === 'pending');
    expect(pending.map((t) => `${t.deadline}:${t.kind}`).sort()).toEqual([
      'dispatch:escalate', 'dispatch:overdue', 'dispatch:remind', 'resolve:escalate', 'resolve:overdue', 'resolve:remind',
    ]);
    expect(pending.find((t) => t.deadline === 'dispatch' && t.kind === 'overdue')!.dueAt.toISOString()).toBe(hours(receivedAt, 2).toISOString());

    await fireAllDueTimers(deps, hours(receivedAt, 5));
    const fired = await db.sql<{ type: string; at: Date; data: { deadline: string; waitingOn?: string } }[]>`
      SELECT type, at, data FROM case_events WHERE case_id = ${caseId} AND data ? 'deadline' ORDER BY seq`;
    expect(fired.map((e) => `${e.type}:${e.data.deadline}`)).toEqual(['reminded:dispatch', 'overdue:dispatch', 'escalated:dispatch']);
    expect(fired.every((e) => e.data.waitingOn === 'dispatch')).toBe(true);
    expect(fired[1].at.toISOString()).toBe(hours(receivedAt, 2).toISOString());

    // dispatched three days later: the resolution deadline still counts from receipt; the 派单 timers stop
    const r = await actOnCase(deps, caseId, { type: 'dispatch', departmentId: 'housing' }, { actor: centre, at: hours(receivedAt, 72) });
    expect(r.state.deadlines!.resolution.due.toISOString()).toBe(fromReceipt.resolution.due.toISOString());
    expect(r.timers.some((t) => t.deadline === 'dispatch')).toBe(false);
    const [dispatched] = await db.sql<{ data: { dispatchLate?: boolean } }[]>`SELECT data FROM case_events WHERE case_id = ${caseId} AND type = 'dispatched'`;
    expect(dispatched.data.dispatchLate).toBe(true);
  });

  it('waiting past the resolution deadline it is 超期: marked overdue and counted in the 按时办结 denominator, as a rebuild counts it', async () => {
    const receivedAt = new Date('2026-04-01T10:00:00+08:00');
    const deps = serviceDeps(db.sql);
    const { caseId } = await openTestCase(db.sql, { receivedAt, department: null });
    const due = (await caseRow(caseId)).resolveDueAt!;
    await fireAllDueTimers(deps, hours(due, 1));
    expect(await caseRow(caseId)).toMatchObject({ status: 'received', overdue: true });
    const at = new Date();
    await syncDueCaseFacts(db.sql, at);
    expect(await facts(caseId)).toMatchObject({ onTimeDue: 1, onTimeHit: 0, overdueOpen: 1, respDue: 1, respHit: 0 });
    // dispatched after the deadline: still overdue (the deadline from receipt has passed)
    await actOnCase(deps, caseId, { type: 'dispatch', departmentId: 'housing' }, { actor: centre, at: hours(due, 2) });
    expect((await caseRow(caseId)).overdue).toBe(true);
    const read = () => db.sql`SELECT case_id, dims, counters, response_bucket, resolution_bucket, flip_at FROM rollup_case_facts ORDER BY case_id`;
    await syncDueCaseFacts(db.sql, at);
    const incremental = await read();
    await rebuildRollups(db.sql, at);
    expect(await read()).toEqual(incremental);
  });

  it('counts through a provisional year like any dispatch (暂定)', async () => {
    // 建议, 15 working days from 2026-12-28: the resolution deadline reaches 2027, which has no notice yet
    const { caseId } = await openTestCase(db.sql, { receivedAt: new Date('2026-12-28T10:00:00+08:00'), department: null, classification: { requestType: '建议' } });
    const row = await caseRow(caseId);
    expect(row).toMatchObject({ status: 'received', provisionalYears: [2027] });
    expect(row.resolveDueAt!.toISOString()).toBe('2027-01-19T09:30:00.000Z');
  });

  it('a case that waited in 待派单 from before it had a clock gets one from the sweep, once', async () => {
    const receivedAt = new Date('2026-05-06T10:00:00+08:00');
    const deps = serviceDeps(db.sql);
    const { caseId } = await openTestCase(db.sql, { receivedAt, department: null });
    // as such a case was stored: no deadlines, no timers
    await db.sql`UPDATE cases SET lifecycle = (lifecycle - 'dispatchDeadline') || '{"deadlines": null}'::jsonb,
      accept_due_at = NULL, response_due_at = NULL, resolve_due_at = NULL WHERE id = ${caseId}`;
    await db.sql`DELETE FROM sla_timers WHERE case_id = ${caseId}`;
    const now = new Date();
    expect(await startClocklessAwaitingCases(deps, now)).toBe(1);
    expect((await caseRow(caseId)).resolveDueAt!.toISOString()).toBe(computeDeadlines(sla.policy, sla.calendar, cls, receivedAt).resolution.due.toISOString());
    const pending = (await listCaseTimers(db.sql, caseId)).filter((t) => t.state === 'pending');
    expect(pending.some((t) => t.deadline === 'dispatch' && t.kind === 'overdue')).toBe(true);
    expect(await startClocklessAwaitingCases(deps, now)).toBe(0);
    await fireAllDueTimers(deps, now);
    expect((await caseRow(caseId)).overdue).toBe(true);
  });
});
