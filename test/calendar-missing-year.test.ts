// A deadline that would reach a year with no holiday calendar is never guessed: the case is
// opened and held for the centre, flagged, with the reason in its history; /health warns ahead.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCalendarYears } from '../core/cases/calendar';
import { loadSla } from '../core/cases/sla';
import { InProcessQueue } from '../core/queue/in-process';
import { dispatchHeldCases } from '../workers/processors/sla';
import { silentLogger } from './support/app';
import { testApp } from './support/app';
import { openTestCase, sla } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

describe('a year missing from the holiday calendar', () => {
  it('holds dispatch instead of guessing a deadline', async () => {
    // 建议: 15 working days from late December 2026 end in January 2027, which has no calendar file
    const { caseId } = await openTestCase(db.sql, { receivedAt: new Date('2026-12-28T10:00:00+08:00'), classification: { requestType: '建议' } });
    const [c] = await db.sql<{ status: string; needsReview: boolean; resolveDueAt: Date | null; departmentCode: string | null }[]>`
      SELECT status, needs_review AS "needsReview", resolve_due_at AS "resolveDueAt", department_code AS "departmentCode" FROM cases WHERE id = ${caseId}`;
    expect(c).toMatchObject({ status: 'received', needsReview: true, resolveDueAt: null });
    const [held] = await db.sql<{ data: { deadlineProblem: string } }[]>`SELECT data FROM case_events WHERE case_id = ${caseId} AND type = 'dispatch-held'`;
    expect(held.data.deadlineProblem).toMatch(/2027/);
  });

  it('a held case goes to its department once the year is in the calendar', async () => {
    const { caseId } = await openTestCase(db.sql, { receivedAt: new Date('2026-12-29T10:00:00+08:00'), classification: { requestType: '举报' } });
    const queue = new InProcessQueue();
    const ctx = { db, queue, logger: silentLogger, now: () => new Date('2026-12-30T09:00:00+08:00'), policy: sla.policy };
    // still no 2027: nothing moves
    expect(await dispatchHeldCases({ ...ctx, calendar: sla.calendar })).toBe(0);
    // the State Council's 2027 notice arrives (here a stand-in year with no holidays, for the test only)
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cal-'));
    for (const y of loadCalendarYears()) writeFileSync(path.join(dir, `${y.year}.json`), JSON.stringify(y));
    writeFileSync(path.join(dir, '2027.json'), JSON.stringify({ year: 2027, source: { title: 'test stand-in' }, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-01' }], workdays: [] }));
    const with2027 = loadSla({ calendarDir: dir }).calendar;
    expect(await dispatchHeldCases({ ...ctx, calendar: with2027 })).toBeGreaterThanOrEqual(1);
    rmSync(dir, { recursive: true, force: true });
    const [c] = await db.sql<{ status: string; departmentCode: string; resolveDueAt: Date }[]>`
      SELECT status, department_code AS "departmentCode", resolve_due_at AS "resolveDueAt" FROM cases WHERE id = ${caseId}`;
    expect(c.status).toBe('dispatched');
    expect(c.departmentCode).toBe('urban-mgmt');
    // 15 working days from receipt (Tue 12/29): 12/30, 12/31, (1/1 holiday), then 13 weekdays from Mon 1/4 → Wed 1/20 17:30
    expect(c.resolveDueAt.toISOString()).toBe('2027-01-20T09:30:00.000Z');
    await queue.close();
  });

  it('a deadline inside the known years is set as usual', async () => {
    const { caseId } = await openTestCase(db.sql, { receivedAt: new Date('2026-12-01T10:00:00+08:00'), classification: { requestType: '咨询' } });
    const [c] = await db.sql<{ status: string; resolveDueAt: Date }[]>`SELECT status, resolve_due_at AS "resolveDueAt" FROM cases WHERE id = ${caseId}`;
    expect(c.status).toBe('dispatched');
    expect(c.resolveDueAt.toISOString()).toBe('2026-12-04T09:30:00.000Z'); // 3 working days → Fri 12/4 17:30 +08:00
  });

  // /health reads the wall clock; the clock is set (only Date is faked, timers and I/O run as usual) so
  // the test asserts the same thing on any day of the year: early December of the last calendar year
  // reaches into the next, missing one; mid-year of a known year reaches nothing missing.
  it('/health lists the missing years deadlines can reach, without failing', async () => {
    const known = sla.calendar.years;
    const missing = Math.max(...known) + 1;
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
      const december = await health(`${missing - 1}-12-01T10:00:00+08:00`);
      expect(december.status).toBe('ok');
      expect(december.warnings).toHaveLength(1);
      for (const w of december.warnings) expect(w).toMatch(/lexicons\/calendar\/\d{4}\.json/);
      expect(december.warnings[0]).toContain(`lexicons/calendar/${missing}.json`);
      expect((await health(`${missing - 1}-06-01T10:00:00+08:00`)).warnings).toEqual([]);
    } finally {
      await queue.close();
    }
  });
});
