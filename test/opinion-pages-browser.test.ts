// Issue-10 page fixes in a real browser: 热点 says the chosen range and follows it, its labels are
// not cut off at the left; 总览's 留言总数 follows the range; the reports page fits a 390 px phone;
// a stored alert rule that no longer parses is listed flagged. Screenshots go to shotsDir().
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeReport, shanghaiDate } from '../core/reports/make-report';
import { browserSuite, openPage } from './support/browser';
import { WAIT_MS } from './support/pipeline';

const suite = browserSuite({ demoMessages: 60, withTopics: true });
const run = suite.run;
const SHOTS = suite.shots;

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const range = (from: string, to: string) => `from=${encodeURIComponent(`${from}T00:00:00+08:00`)}&to=${encodeURIComponent(`${addDays(to, 1)}T00:00:00+08:00`)}`;


describe.skipIf(!run)('舆情 pages', () => {
  it('热点 names and follows a chosen range, its labels fit; 总览 counts the range', async () => {
    const { context, page, errors } = await openPage(suite.browser, 1280);
    await suite.login(page, 'demo-leader');
    await page.goto(`${suite.service.base}/#/leaders`);
    const filters = page.getByTestId('stats-filters');
    const to = today();
    const from = addDays(to, -20);
    await filters.locator('input[name=from]').fill(from);
    await filters.locator('input[name=to]').fill(to);
    const hot = page.getByTestId('hot-topics');
    await expect.poll(() => hot.textContent()).toContain(`${from} 至 ${to}`);
    expect(await hot.textContent()).not.toMatch(/近\d+天/);
    // the list is the API's for the same range
    const api = await suite.service.apiJson<{ topics: { label: string }[] }>(`/api/v1/stats/topics?${range(from, to)}&limit=10`);
    expect(api.topics.length).toBeGreaterThan(0);
    await expect.poll(() => hot.locator('ol.topics > li').count()).toBe(api.topics.length);
    await hot.locator('.recharts-yAxis-tick-labels text').first().waitFor();
    await page.waitForTimeout(300);
    // every axis label lies inside the chart's drawing (none cut off at the left edge)
    const clipped = await hot.evaluate((card) => {
      const svg = card.querySelector('.recharts-wrapper > svg.recharts-surface')!.getBoundingClientRect();
      return [...card.querySelectorAll('.recharts-yAxis-tick-labels text')].map((t) => t.getBoundingClientRect()).filter((b) => b.left < svg.left - 0.5).length;
    });
    expect(clipped).toBe(0);
    await hot.screenshot({ path: path.join(SHOTS, 'hot-topics-1280.png') });

    // 总览: 留言总数 and 渠道来源 for the range, not all time
    await page.goto(`${suite.service.base}/#/`);
    const narrowFrom = addDays(to, -2);
    const f2 = page.getByTestId('stats-filters');
    await f2.locator('input[name=from]').fill(narrowFrom);
    await f2.locator('input[name=to]').fill(to);
    const o = await suite.service.apiJson<{ messages: { total: number; periodTotal: number } }>(`/api/v1/stats/overview?${range(narrowFrom, to)}`);
    expect(o.messages.periodTotal).toBeLessThan(o.messages.total);
    await expect.poll(() => page.getByTestId('kpi-留言总数').locator('.kpi-value').textContent()).toBe(String(o.messages.periodTotal));
    expect(await page.getByTestId('by-channel').textContent()).toContain(`${narrowFrom} 至 ${to}`);
    await page.screenshot({ path: path.join(SHOTS, 'overview-range-1280.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  }, 4 * WAIT_MS);

  it('the reports page fits a 390 px phone, list and report', async () => {
    await makeReport({ sql: suite.service.sql, now: new Date() }, 'daily', shanghaiDate(new Date(Date.now() - 86_400_000)));
    await makeReport({ sql: suite.service.sql, now: new Date() }, 'weekly', shanghaiDate(new Date(Date.now() - 7 * 86_400_000)));
    const { context, page, errors } = await openPage(suite.browser, 390);
    await suite.login(page, 'demo-leader');
    await page.goto(`${suite.service.base}/#/reports`);
    await page.getByTestId('report-row').first().waitFor();
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SHOTS, 'reports-390.png'), fullPage: true });
    await page.getByTestId('report-row').first().getByRole('button', { name: '查看' }).click();
    const frame = page.frameLocator('[data-testid=report-frame]');
    await frame.getByText('三、突增与预警').waitFor();
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // the report page itself fits its frame
    const inner = await frame.locator('html').evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(inner).toBeLessThanOrEqual(1);
    await page.screenshot({ path: path.join(SHOTS, 'reports-390-open.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  }, 3 * WAIT_MS);

  it('a stored rule that no longer parses is listed flagged with its reason', async () => {
    await suite.service.sql`INSERT INTO alert_rules (name, enabled, definition, created_by) VALUES ('旧版规则', true, ${suite.service.sql.json({ windowMinutes: 'ten' })}, 'test')`;
    const { context, page, errors } = await openPage(suite.browser, 1280);
    await suite.login(page, 'demo-admin');
    await page.goto(`${suite.service.base}/#/alert-rules`);
    const item = page.getByTestId('rule-item').filter({ hasText: '旧版规则' });
    await item.getByTestId('rule-invalid').waitFor();
    expect(await item.textContent()).toContain('规则定义无法解析');
    await page.screenshot({ path: path.join(SHOTS, 'alert-rules-invalid.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  }, 2 * WAIT_MS);
});
