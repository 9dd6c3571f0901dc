// The 暂定 note in a real browser: a case whose deadline reaches a year with no holiday file shows
// it in the staff drawer and on the resident's status page (Debian Chromium, playwright-core).
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, openPage } from './support/browser';
import { loadCalendarYears, WorkingCalendar } from '../core/cases/calendar';
import { recomputeCaseDeadlines } from '../core/cases/recompute-deadlines';
import { openTestCase, sla } from './support/cases';

const NOTE = '暂定：2027年节假日安排尚未公布，期限按法定节假日推算';
const suite = browserSuite({ demoMessages: 3, shotsSubdir: 'provisional' });
const run = suite.run;
const SHOTS = suite.shots;

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

describe.runIf(run)('provisional deadlines in the browser', () => {
  it('the drawer and the status page say the deadline is provisional', { timeout: 5 * 60_000 }, async () => {
    // 建议, 15 working days from 12/28/2026: the resolution deadline is in January 2027 (no file yet)
    const { caseId, message } = await openTestCase(suite.service.sql, { receivedAt: new Date('2026-12-28T10:00:00+08:00'), classification: { requestType: '建议' } });
    const { page, errors, context } = await openPage(suite.browser, 1280);
    try {
      await suite.login(page, 'demo-centre'); // a public demo account
      await page.locator('input[type=search]').fill(message.trackingNo);
      await page.getByRole('button', { name: '搜索' }).click();
      await page.locator(`tr[data-case-id="${caseId}"]`).click();
      const drawer = page.getByTestId('case-drawer');
      await drawer.getByTestId('case-status').waitFor();
      await expect.poll(() => drawer.getByTestId('provisional-note').textContent()).toBe(NOTE);
      // the tag sits on the resolution deadline only (acceptance and response end in December 2026)
      expect(await drawer.locator('ul.deadlines li').evaluateAll((lis) => lis.map((li) => li.textContent?.includes('暂定') ?? false))).toEqual([false, false, true]);
      await shot(page, 'drawer');

      const resident = await openPage(suite.browser, 390);
      try {
        await resident.page.goto(`${suite.service.base}/#/status/${message.trackingNo}/${message.queryCode}`);
        await expect.poll(() => resident.page.getByTestId('provisional-note').textContent()).toBe(NOTE);
        await shot(resident.page, 'status');
        expect(resident.errors).toEqual([]);
      } finally {
        await resident.context.close();
      }

      // the official 2027 arrives (a stand-in that gives Mon 1/4 off too): the recount is in the history and the note goes
      const official = new WorkingCalendar({
        years: [...loadCalendarYears(), { year: 2027, source: { title: 'test stand-in' }, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-04' }], workdays: [] }],
        officeHours: { open: '08:30', close: '17:30', lunch: { start: '12:00', end: '14:00' } },
      });
      expect(await recomputeCaseDeadlines({ sql: suite.service.sql, policy: sla.policy, calendar: official }, caseId, new Date())).toEqual({ changed: true });
      // closed and opened again, the drawer loads the case afresh
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'detached' });
      await page.locator(`tr[data-case-id="${caseId}"]`).click();
      await drawer.getByTestId('case-status').waitFor();
      await expect.poll(() => drawer.getByTestId('case-timeline').textContent()).toContain('按正式节假日安排重算时限');
      expect(await drawer.getByTestId('case-timeline').textContent()).toContain('办结时限 2027/01/19 17:30 → 2027/01/20 17:30');
      expect(await drawer.getByTestId('provisional-note').count()).toBe(0);
      await shot(page, 'drawer-recounted');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
