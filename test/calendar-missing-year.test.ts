// A year with no State Council file in lexicons/calendar never holds a case: its deadlines are
// counted on the provisional calendar and marked so (case row, API); when the official file arrives
// (imported or dropped into the folder) the SLA sweep counts them again, records the change in the
// case's history and moves its timers; /health says which years are provisional.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { actOnCase } from '../core/cases/act-on-case';
import { CALENDAR_DIR, loadCalendarYears, WorkingCalendar } from '../core/cases/calendar';
import { loadSla } from '../core/cases/sla';
import { InProcessQueue } from '../core/queue/in-process';
import { appendCaseEvents } from '../core/db/cases';
import { calendarSweep, dispatchHeldCases } from '../workers/processors/sla';
import { silentLogger, testApp } from './support/app';
import { openTestCase, sla, staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

interface Row { status: string; needsReview: boolean; resolveDueAt: Date | null; departmentCode: string | null; provisionalYears: number[]; provisional: boolean; version: number }
const caseRow = async (id: number) =>
  (await db.sql<Row[]>`
    SELECT status, needs_review, resolve_due_at, department_code, provisional_years, provisional, version FROM cases WHERE id = ${id}`)[0];

/** A stand-in for the 2027 notice, for the test only: it differs from the provisional year (Mon 1/4 off as well). */
const STAND_IN_2027 = {
  year: 2027,
  source: { title: 'test stand-in for the 2027 notice' },
  holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-04' }],
  workdays: [],
};

describe('a year missing from the holiday calendar', () => {
  it('dispatches with a provisional deadline instead of holding the case', async () => {
    // 建议: 15 working days from late December 2026 end in January 2027, which has no calendar file
    const { caseId } = await openTestCase(db.sql, { receivedAt: new Date('2026-12-28T10:00:00+08:00'), classification: { requestType: '建议' } });
    const c = await caseRow(caseId);
    expect(c).toMatchObject({ status: 'dispatched', departmentCode: 'urban-mgmt', needsReview: false, provisional: true, provisionalYears: [2027] });
    // 12/29, 12/30, 12/31, then 1/1–1/3 off (元旦 on a Friday joins the weekend), 12 weekdays from Mon 1/4 → Tue 1/19 17:30
    expect(c.resolveDueAt!.toISOString()).toBe('2027-01-19T09:30:00.000Z');
    const events = await db.sql<{ type: string; data: { deadlines?: { resolution: { provisionalYears?: number[] }; acceptance: { provisionalYears?: number[] } } } }[]>`
      SELECT type, data FROM case_events WHERE case_id = ${caseId} ORDER BY seq`;
    expect(events.map((e) => e.type)).not.toContain('dispatch-held');
    const dispatched = events.find((e) => e.type === 'dispatched')!;
    expect(dispatched.data.deadlines!.resolution.provisionalYears).toEqual([2027]);
    expect(dispatched.data.deadlines!.acceptance.provisionalYears).toBeUndefined(); // 12/29, inside 2026
  });

  it('the API shows the provisional mark on the case and in the list', async () => {
    const { caseId, message } = await openTestCase(db.sql, { receivedAt: new Date('2026-12-28T11:00:00+08:00'), classification: { requestType: '举报' } });
    const { caseId: plain, message: plainMessage } = await openTestCase(db.sql, { receivedAt: new Date('2026-12-01T10:00:00+08:00'), classification: { requestType: '咨询' } });
    const queue = new InProcessQueue();
    try {
      const app = testApp(db, queue);
      const headers = { authorization: `Bearer ${await staffToken(db.sql, 'centre')}` };
      const one = (await (await app.request(`/api/v1/cases/${caseId}`, { headers })).json()) as {
        case: { provisional: boolean; provisionalYears: number[] }; provisionalNote: string | null;
        deadlines: { resolution: { provisionalYears?: number[] }; acceptance: { provisionalYears?: number[] } };
      };
      expect(one.case).toMatchObject({ provisional: true, provisionalYears: [2027] });
      expect(one.provisionalNote).toBe('暂定：2027年节假日安排尚未公布，期限按法定节假日推算');
      expect(one.deadlines.resolution.provisionalYears).toEqual([2027]);
      expect(one.deadlines.acceptance.provisionalYears).toBeUndefined();
      const other = (await (await app.request(`/api/v1/cases/${plain}`, { headers })).json()) as { case: { provisional: boolean; provisionalYears: number[] } };
      expect(other.case).toMatchObject({ provisional: false, provisionalYears: [] });
      // the resident, with tracking number and 查询码
      // the resident, with tracking number and 查询码: the note comes with the status itself
      const resident = async (m: typeof message, code = m.queryCode) => app.request(`/api/v1/messages/${m.trackingNo}?code=${code}`);
      const mine = await resident(message);
      expect(mine.status).toBe(200);
      expect(await mine.json()).toMatchObject({ provisional: true, provisionalYears: [2027], deadlineNote: '暂定：2027年节假日安排尚未公布，期限按法定节假日推算' });
      expect(await (await resident(plainMessage)).json()).toMatchObject({ provisional: false, provisionalYears: [], deadlineNote: null });
      expect((await resident(message, message.queryCode === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA')).status).toBe(404);
      const list = (await (await app.request('/api/v1/cases?limit=200', { headers })).json()) as { items: { id: number; provisional: boolean }[] };
      expect(list.items.find((i) => i.id === caseId)?.provisional).toBe(true);
      expect(list.items.find((i) => i.id === plain)?.provisional).toBe(false);
    } finally {
      await queue.close();
    }
  });

  it('the official file arriving moves the deadline, records it in the history and moves the timers', async () => {
    // the calendar folder of a running service: the two official years, no 2027 yet
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cal-'));
    cpSync(path.join(CALENDAR_DIR, '2025.json'), path.join(dir, '2025.json'));
    cpSync(path.join(CALENDAR_DIR, '2026.json'), path.join(dir, '2026.json'));
    const live = loadSla({ calendarDir: dir });
    const queue = new InProcessQueue();
    const deps = { sql: db.sql, policy: live.policy, calendar: live.calendar };
    const ctx = { db, queue, logger: silentLogger, now: () => new Date('2026-12-30T09:00:00+08:00'), policy: live.policy, calendar: live.calendar };
    try {
      const { caseId } = await openTestCase(db.sql, { receivedAt: new Date('2026-12-29T10:00:00+08:00'), classification: { requestType: '举报' }, deps });
      const before = await caseRow(caseId);
      // provisional: 12/30, 12/31, (1/1–1/3 off), 13 weekdays from Mon 1/4 → Wed 1/20 17:30
      expect(before.resolveDueAt!.toISOString()).toBe('2027-01-20T09:30:00.000Z');
      expect(before.provisionalYears).toEqual([2027]);

      // nothing new in the folder: the sweep changes nothing
      expect(await calendarSweep(ctx)).toMatchObject({ nowOfficial: [], recomputed: 0 });
      expect((await caseRow(caseId)).version).toBe(before.version);

      // the State Council's notice is dropped into the folder
      writeFileSync(path.join(dir, '2027.json'), JSON.stringify(STAND_IN_2027));
      const swept = await calendarSweep(ctx);
      expect(swept.nowOfficial).toEqual([2027]);
      expect(swept.recomputed).toBeGreaterThanOrEqual(1);
      expect(swept.failed).toBe(0);
      expect(live.calendar.isProvisionalYear(2027)).toBe(false);

      const after = await caseRow(caseId);
      // official: 1/1–1/4 off, so one working day later → Thu 1/21 17:30
      expect(after.resolveDueAt!.toISOString()).toBe('2027-01-21T09:30:00.000Z');
      expect(after).toMatchObject({ status: 'dispatched', provisional: false, provisionalYears: [] });
      expect(after.version).toBe(before.version + 1);

      const [ev] = await db.sql<{ actorKind: string; data: { officialYears: number[]; changed: boolean; before: { resolution: { due: string; provisionalYears: number[] } }; after: { resolution: { due: string; provisionalYears: number[] } } } }[]>`
        SELECT actor_kind, data FROM case_events WHERE case_id = ${caseId} AND type = 'deadlines-recomputed'`;
      expect(ev.actorKind).toBe('system');
      expect(ev.data).toMatchObject({ officialYears: [2027], changed: true });
      expect(new Date(ev.data.before.resolution.due).toISOString()).toBe('2027-01-20T09:30:00.000Z');
      expect(ev.data.before.resolution.provisionalYears).toEqual([2027]);
      expect(new Date(ev.data.after.resolution.due).toISOString()).toBe('2027-01-21T09:30:00.000Z');
      expect(ev.data.after.resolution.provisionalYears).toEqual([]);

      // the 超期 timer of the resolution deadline follows the due; the old one is cancelled
      const timers = await db.sql<{ state: string; dueAt: Date }[]>`
        SELECT state, due_at FROM sla_timers WHERE case_id = ${caseId} AND deadline = 'resolve' AND kind = 'overdue' ORDER BY id`;
      expect(timers.filter((t) => t.state === 'pending').map((t) => t.dueAt.toISOString())).toEqual(['2027-01-21T09:30:00.000Z']);
      expect(timers.find((t) => t.dueAt.toISOString() === '2027-01-20T09:30:00.000Z')?.state).toBe('cancelled');

      // a second sweep finds nothing left to count
      expect(await calendarSweep(ctx)).toMatchObject({ nowOfficial: [], recomputed: 0 });
      expect((await caseRow(caseId)).version).toBe(after.version);
      // and a new case reaching 2027 is counted on the official year from the start
      const { caseId: later } = await openTestCase(db.sql, { receivedAt: new Date('2026-12-29T10:00:00+08:00'), classification: { requestType: '举报' }, deps });
      expect(await caseRow(later)).toMatchObject({ provisional: false });
    } finally {
      await queue.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an action on a case not yet recounted counts it again first, in the same transaction', async () => {
    const calendar = new WorkingCalendar({ years: loadCalendarYears(), officeHours: { open: '08:30', close: '17:30', lunch: { start: '12:00', end: '14:00' } } });
    const deps = { sql: db.sql, policy: sla.policy, calendar };
    const { caseId } = await openTestCase(db.sql, { receivedAt: new Date('2026-12-29T10:00:00+08:00'), classification: { requestType: '举报' }, deps });
    expect((await caseRow(caseId)).resolveDueAt!.toISOString()).toBe('2027-01-20T09:30:00.000Z');
    // the official year is in this process's calendar; the sweep has not run yet
    calendar.setYears([...loadCalendarYears(), STAND_IN_2027]);
    const r = await actOnCase(deps, caseId, { type: 'accept' }, { actor: { role: 'department', id: 'clerk', departmentId: 'urban-mgmt' }, at: new Date('2026-12-30T09:00:00+08:00') });
    expect(r.state.deadlines!.resolution.due.toISOString()).toBe('2027-01-21T09:30:00.000Z');
    expect(await caseRow(caseId)).toMatchObject({ status: 'accepted', provisional: false });
    const types = (await db.sql<{ type: string }[]>`SELECT type FROM case_events WHERE case_id = ${caseId} ORDER BY seq`).map((e) => e.type);
    expect(types.slice(-2)).toEqual(['deadlines-recomputed', 'accepted']);
  });

  it('a case held by the former rule is dispatched by the sweep, on the provisional calendar', async () => {
    // as the former code left it: received, no department, a dispatch-held event naming the router's choice
    const receivedAt = new Date('2026-12-29T10:00:00+08:00');
    const { caseId } = await openTestCase(db.sql, { receivedAt, department: null, classification: { requestType: '举报' } });
    await appendCaseEvents(db.sql, caseId, [{
      type: 'dispatch-held', fromStatus: 'received', toStatus: 'received', actorKind: 'system', at: receivedAt,
      data: { department: 'urban-mgmt', deadlineProblem: 'no holiday calendar for 2027' },
    }]);
    const queue = new InProcessQueue();
    try {
      const ctx = { db, queue, logger: silentLogger, now: () => new Date('2026-12-30T09:00:00+08:00'), policy: sla.policy, calendar: sla.calendar };
      expect(await dispatchHeldCases(ctx)).toBeGreaterThanOrEqual(1);
      const c = await caseRow(caseId);
      expect(c).toMatchObject({ status: 'dispatched', departmentCode: 'urban-mgmt', provisional: true, provisionalYears: [2027] });
      // counted from receipt: 12/30, 12/31, (1/1–1/3), 13 weekdays from Mon 1/4 → Wed 1/20 17:30
      expect(c.resolveDueAt!.toISOString()).toBe('2027-01-20T09:30:00.000Z');
      expect(await dispatchHeldCases(ctx)).toBe(0);
    } finally {
      await queue.close();
    }
  });

  it('a deadline inside the known years is set as usual', async () => {
    const { caseId } = await openTestCase(db.sql, { receivedAt: new Date('2026-12-01T10:00:00+08:00'), classification: { requestType: '咨询' } });
    const c = await caseRow(caseId);
    expect(c.status).toBe('dispatched');
    expect(c.provisional).toBe(false);
    expect(c.resolveDueAt!.toISOString()).toBe('2026-12-04T09:30:00.000Z'); // 3 working days → Fri 12/4 17:30 +08:00
  });

  // /health reads the wall clock; the clock is set (only Date is faked, timers and I/O run as usual) so
  // the test asserts the same thing on any day of the year: early December of the last official year
  // reaches into the next, provisional one; mid-year of an official year reaches nothing provisional.
  it('/health lists the provisional years deadlines can reach, without failing', async () => {
    const known = sla.calendar.years;
    const next = Math.max(...known) + 1;
    const queue = new InProcessQueue();
    const app = testApp(db, queue);
    const health = async (at: string) => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date(at));
      try {
        const res = await app.request('/health');
        expect(res.status).toBe(200);
        return (await res.json()) as { status: string; warnings: string[] };
      } finally {
        vi.useRealTimers();
      }
    };
    try {
      const december = await health(`${next - 1}-12-01T10:00:00+08:00`);
      expect(december.status).toBe('ok');
      expect(december.warnings).toHaveLength(1);
      for (const w of december.warnings) expect(w).toMatch(/lexicons\/calendar\/\d{4}\.json/);
      expect(december.warnings[0]).toContain(`lexicons/calendar/${next}.json`);
      expect(december.warnings[0]).toMatch(new RegExp(`calendar for ${next} is provisional`));
      expect(december.warnings[0]).toContain(`${next}年节假日安排尚未公布`);
      expect(december.warnings[0]).not.toMatch(/held/);
      expect((await health(`${next - 1}-06-01T10:00:00+08:00`)).warnings).toEqual([]);
    } finally {
      await queue.close();
    }
  });
});
