// The leaders' cockpit in a real browser: the one period and the district / category / channel
// filters reach every figure (the rates shown are the API's for the same filter), the sentiment
// trend follows the chosen period, each chart exports CSV (its data) and PNG (its drawing), the
// staff-only service times appear for a leader, and the page prints on A4; 每月一题 and 舆情预警
// follow the period and district, 热点, 话题趋势 and 每月一题 follow the channel (only its messages
// count), an empty period says so, and a department user sees only its own cases behind a problem. Screenshots and the PDF
// go to shotsDir().
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Download } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { insertAlertRule, openAlertEpisode } from '../core/db/alerts';
import { analyzeMessage } from '../core/nlp/analyze';
import { assignToTopic } from '../core/opinion/topics';
import { browserSuite, openPage } from './support/browser';
import { WAIT_MS } from './support/pipeline';

const suite = browserSuite({ demoMessages: 60, withTopics: true });
const run = suite.run;
const SHOTS = suite.shots;

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

async function saved(download: Promise<Download>): Promise<{ name: string; bytes: Buffer }> {
  const d = await download;
  const file = path.join(SHOTS, `export-${d.suggestedFilename()}`);
  await d.saveAs(file);
  return { name: d.suggestedFilename(), bytes: readFileSync(file) };
}

interface Metrics { response: { numerator: number; denominator: number }; volume: number }
interface Overview { cases: { byDistrict: { district: string; count: number }[] } }

describe.skipIf(!run)('leaders cockpit', () => {
  it('filters every chart, exports CSV and PNG, shows service times to a leader, prints on A4', async () => {
    const { context, page, errors } = await openPage(suite.browser, 1280);
    await suite.login(page, 'demo-leader');
    await page.goto(`${suite.service.base}/#/leaders`);
    const filters = page.getByTestId('stats-filters');
    await filters.getByRole('button', { name: '近90天' }).click();

    // pick the district with the most cases in the last 90 days; the rates follow it
    const to = today();
    const from = addDays(to, -89);
    const q = (extra = '') => `from=${encodeURIComponent(`${from}T00:00:00+08:00`)}&to=${encodeURIComponent(`${addDays(to, 1)}T00:00:00+08:00`)}${extra}`;
    const all = await suite.service.apiJson<Overview>(`/api/v1/stats/overview?${q()}`);
    const district = all.cases.byDistrict.find((d) => d.district !== '未识别')!.district;
    await filters.locator('select[name=district]').selectOption(district);
    const m = await suite.service.apiJson<Metrics>(`/api/v1/stats/metrics?${q(`&district=${encodeURIComponent(district)}`)}`);
    await expect.poll(() => page.getByTestId('kpi-volume').textContent()).toContain(String(m.volume));
    expect(await page.getByTestId('rate-response').textContent()).toContain(`${m.response.numerator} / ${m.response.denominator}`);

    // a range of one's own: the sentiment trend has exactly its days, and its CSV says so
    await filters.locator('select[name=district]').selectOption('');
    const rangeFrom = addDays(to, -13);
    await filters.locator('input[name=from]').fill(rangeFrom);
    await filters.locator('input[name=to]').fill(to);
    const trend = page.getByTestId('sentiment-trend');
    await expect.poll(() => trend.textContent()).toContain(`${rangeFrom} 至 ${to}`);
    const csv = await saved(Promise.all([page.waitForEvent('download'), trend.getByTestId('sentiment-trend-csv').click()]).then(([d]) => d));
    expect(csv.name).toBe(`情感趋势_${rangeFrom}_${to}.csv`);
    const lines = csv.bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split(/\r\n/);
    expect(lines[0]).toBe('日期,工单,负面,中性,正面,负面占比,留言');
    expect(lines.length - 1).toBe(14);
    expect(lines[1].startsWith(rangeFrom)).toBe(true);
    // the CSV's numbers are the API's for the same period
    const api = await suite.service.apiJson<{ daily: { day: string; cases: number; negative: number }[] }>(
      `/api/v1/stats/overview?from=${encodeURIComponent(`${rangeFrom}T00:00:00+08:00`)}&to=${encodeURIComponent(`${addDays(to, 1)}T00:00:00+08:00`)}`,
    );
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(api.daily.map((d) => `${d.day},${d.cases},${d.negative}`));

    const png = await saved(Promise.all([page.waitForEvent('download'), trend.getByTestId('sentiment-trend-png').click()]).then(([d]) => d));
    expect(png.name).toBe(`情感趋势_${rangeFrom}_${to}.png`);
    expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.bytes.readUInt32BE(16)).toBeGreaterThan(400); // width at twice the chart's size
    expect(png.bytes.length).toBeGreaterThan(5_000);

    // the leader sees the per-department times; the ranking exports too
    const times = page.getByTestId('service-times');
    await expect.poll(() => times.locator('svg.recharts-surface').count()).toBeGreaterThan(0);
    const rankCsv = await saved(Promise.all([page.waitForEvent('download'), page.getByTestId('ranking-card-csv').click()]).then(([d]) => d));
    expect(rankCsv.bytes.toString('utf8')).toContain('承办单位');

    await filters.getByRole('button', { name: '近30天' }).click();
    // the hottest topics' trend lines, from the topic store
    const topicTrend = page.getByTestId('topic-trend');
    // the list and the lines both follow the new period: compare them once both have drawn it
    const hotNow = async () => Math.min(5, await page.getByTestId('hot-topics').locator('ol.topics > li').count());
    await expect.poll(async () => { const hot = await hotNow(); return hot > 0 && (await topicTrend.locator('.recharts-legend-item').count()) === hot; }).toBe(true);
    const hot = await hotNow();
    await expect.poll(() => topicTrend.locator('path.recharts-curve').count()).toBe(hot);
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(SHOTS, 'cockpit-1280.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    await page.waitForTimeout(500); // the charts measure their print column and draw again
    await page.screenshot({ path: path.join(SHOTS, 'cockpit-print-view.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    writeFileSync(path.join(SHOTS, 'cockpit-a4.pdf'), pdf);
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(3);
    if (existsSync('/usr/bin/pdftotext')) {
      // paper has nothing to press: no 批示 button under each hot topic, no print button, no select
      const printed = execFileSync('pdftotext', [path.join(SHOTS, 'cockpit-a4.pdf'), '-']).toString('utf8');
      expect(printed).toContain('领导驾驶舱');
      expect(printed).toContain('热点');
      expect(printed).not.toContain('批示');
      expect(printed).not.toContain('打印 / 导出');
      expect(printed).not.toContain('办理（受理→答复）');
    }
    await page.emulateMedia({ media: 'screen' });

    // the overview shares the period and exports as well
    await page.goto(`${suite.service.base}/#/`);
    const daily = page.getByTestId('daily-trend');
    await daily.locator('svg.recharts-surface').first().waitFor();
    const dailyCsv = await saved(Promise.all([page.waitForEvent('download'), daily.getByTestId('daily-trend-csv').click()]).then(([d]) => d));
    expect(dailyCsv.bytes.toString('utf8').trim().split(/\r\n/)).toHaveLength(31);
    await page.screenshot({ path: path.join(SHOTS, 'overview-1280.png'), fullPage: true });

    // a phone: the filters wrap, nothing overflows
    const phone = await openPage(suite.browser, 390);
    await phone.page.goto(`${suite.service.base}/#/leaders`);
    await phone.page.getByTestId('rates').waitFor();
    await phone.page.waitForTimeout(300);
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await phone.page.screenshot({ path: path.join(SHOTS, 'cockpit-390.png'), fullPage: true });
    expect([...errors, ...phone.errors]).toEqual([]);
    await phone.context.close();
    await context.close();
  }, 6 * WAIT_MS);

  it('每月一题 and 舆情预警 follow the period and district, the topic cards the channel, and say when a period is empty', async () => {
    const sql = suite.service.sql;
    const now = Date.now();
    const DAY = 86_400_000;
    // one problem at one market, six weeks running, behind a case of urban-mgmt and one of another department
    const [own] = await sql<{ id: number; trackingNo: string }[]>`SELECT id, tracking_no FROM cases WHERE department_code = 'urban-mgmt' ORDER BY id LIMIT 1`;
    const [other] = await sql<{ id: number; trackingNo: string }[]>`SELECT id, tracking_no FROM cases WHERE department_code IS NOT NULL AND department_code <> 'urban-mgmt' ORDER BY id LIMIT 1`;
    expect(own && other).toBeTruthy();
    // a market of its own name: the demo's market messages of the district (and the service's re-clustering sweep, which may run meanwhile) have no pull on it
    const title = '鸠江区官陡街道丰禾农贸市场垃圾堆积';
    let topicId = 0;
    // the category each message of the problem is read as, and whether it is of the last 30 days
    const read: { category: string; recent: boolean }[] = [];
    for (let w = 0; w < 6; w++) {
      const body = `鸠江区官陡街道丰禾农贸市场门口垃圾又堆成山了，臭气熏天，第${6 - w}周了。`;
      const analysis = analyzeMessage(body, { title });
      read.push({ category: analysis.category.label, recent: w <= 4 });
      const r = await assignToTopic(sql, {
        messageId: 9_000_000 + w, caseId: w % 2 ? other.id : own.id, receivedAt: new Date(now - w * 7 * DAY - 3_600_000), channel: 'portal', isPublic: true,
        title, body, analysis, engagement: 0,
      });
      topicId ||= r.topicId!;
      expect(r.topicId).toBe(topicId);
    }
    // and two posts on Weibo about it this week (no case): under the weibo filter the problem is these two only
    for (let i = 1; i <= 2; i++) {
      const body = `鸠江区官陡街道丰禾农贸市场门口的垃圾堆又没人清理，臭气熏天，微博第${i}次求助。`;
      const analysis = analyzeMessage(body, { title });
      read.push({ category: analysis.category.label, recent: true });
      const r = await assignToTopic(sql, {
        messageId: 9_000_100 + i, caseId: null, receivedAt: new Date(now - 3_600_000 - i * 60_000), channel: 'weibo', isPublic: true,
        title, body, analysis, engagement: 0,
      });
      expect(r.topicId).toBe(topicId);
    }
    // alerts of a rule nobody evaluates (disabled): two of the last days in two districts, one of 50 days ago
    const rule = await insertAlertRule(sql, { name: '驾驶舱测试规则', enabled: false, definition: {}, createdBy: null });
    const alert = (key: string, district: string, daysAgo: number, text: string) =>
      openAlertEpisode(sql, { ruleId: rule.id, scopeKey: key, district, topicId: null, title: text, at: new Date(now - daysAgo * DAY), evidence: {} });
    await alert('cockpit-a', '镜湖区', 2, '镜湖区停水预警（近日）');
    await alert('cockpit-b', '弋江区', 3, '弋江区噪音预警（近日）');
    await alert('cockpit-c', '镜湖区', 50, '镜湖区积水预警（五十天前）');

    const { context, page, errors } = await openPage(suite.browser, 1280);
    await suite.login(page, 'demo-leader');
    await page.goto(`${suite.service.base}/#/leaders`);
    const filters = page.getByTestId('stats-filters');
    const recurring = page.getByTestId('recurring-card');
    const alerts = page.getByTestId('alerts-panel');
    const problem = recurring.locator(`li[data-topic-id="${topicId}"]`);

    await filters.getByRole('button', { name: '近90天' }).click();
    // the card may still show the default period's weeks (five of the six) until the 90-day answer arrives
    await expect.poll(() => problem.innerText()).toMatch(/13 周中有 6 周出现.*2 件工单/s);
    expect(await problem.innerText()).toContain('连续 6 周');
    await problem.getByRole('link', { name: own.trackingNo }).waitFor();
    for (const t of ['镜湖区停水预警（近日）', '弋江区噪音预警（近日）', '镜湖区积水预警（五十天前）']) await alerts.getByText(t).waitFor();
    expect(await page.getByTestId('filter-note').count()).toBe(0); // no filter chosen: nothing to say

    // 近30天: the alert of 50 days ago leaves the panel; the problem stays (its weeks are recent)
    await filters.getByRole('button', { name: '近30天' }).click();
    await expect.poll(() => alerts.innerText()).not.toContain('五十天前');
    await alerts.getByText('镜湖区停水预警（近日）').waitFor();
    await expect.poll(() => recurring.innerText()).toContain('近 5 周');

    // a district: the alerts and problems of that district only
    await filters.locator('select[name=district]').selectOption('弋江区');
    await expect.poll(() => alerts.innerText()).not.toContain('镜湖区停水预警');
    await alerts.getByText('弋江区噪音预警（近日）').waitFor();
    await recurring.getByTestId('recurring-empty').waitFor();
    await filters.locator('select[name=district]').selectOption('鸠江区');
    await problem.waitFor();
    await alerts.getByTestId('alerts-empty').waitFor();

    // a channel: 热点, 话题趋势 and 每月一题 count that channel's messages only (no card says it cannot)
    const hotCard = page.getByTestId('hot-topics');
    const topicTrend = page.getByTestId('topic-trend');
    const to30 = today();
    const from30 = addDays(to30, -29);
    type Hot = { topics: { id: number; label: string; volume: number }[] };
    const hotApi = (filter: string) => suite.service.apiJson<Hot>(
      `/api/v1/stats/topics?from=${encodeURIComponent(`${from30}T00:00:00+08:00`)}&to=${encodeURIComponent(`${addDays(to30, 1)}T00:00:00+08:00`)}&limit=10&district=${encodeURIComponent('鸠江区')}&${filter}`,
    );
    // the list is the API's for the filter, in its order and with its volumes (the card may show the last filter's until the answer arrives)
    const hotItems = hotCard.locator('ol.topics > li');
    const shows = async (api: Hot) => {
      const texts = await hotItems.allInnerTexts();
      return texts.length === api.topics.length && api.topics.every((x, i) => texts[i].includes(x.label) && texts[i].includes(` ${x.volume} 条（上期`));
    };
    /** the trend CSV's messages of one topic over the period */
    const trendSum = async (label: string) => {
      const csv = await saved(Promise.all([page.waitForEvent('download'), topicTrend.getByTestId('topic-trend-csv').click()]).then(([d]) => d));
      const [head, ...rows] = csv.bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split(/\r\n/).map((l) => l.split(','));
      const col = head.indexOf(label);
      expect(col, `${label} in ${head.join(',')}`).toBeGreaterThan(0);
      expect(rows.length).toBe(30);
      return rows.reduce((s, r) => s + Number(r[col]), 0);
    };
    for (const [channel, ours] of [['weibo', 2], ['portal', 5]] as const) {
      await filters.locator('select[name=channel]').selectOption(channel);
      await expect.poll(() => hotCard.innerText()).toContain(`鸠江区 · ${channel === 'weibo' ? '微博' : '留言板'}`);
      const api = await hotApi(`channel=${channel}`);
      const market = api.topics.find((x) => x.id === topicId)!;
      expect(market.volume, channel).toBe(ours); // the portal posts of 30 days: weeks 0–4
      await expect.poll(() => shows(api), { message: channel }).toBe(true);
      await expect.poll(() => topicTrend.locator('.recharts-legend-item').count()).toBe(Math.min(5, api.topics.length));
      if (api.topics.findIndex((x) => x.id === topicId) < 5) await expect.poll(() => trendSum(market.label), { message: channel }).toBe(ours);
      expect(await page.getByTestId('filter-note').count()).toBe(0);
    }
    // the weibo posts are of one week: not a problem that comes back; the portal ones are
    await expect.poll(() => problem.innerText()).toContain('5 条留言'); // the portal posts of the 5 weeks looked back on; the weibo ones not
    await filters.locator('select[name=channel]').selectOption('weibo');
    await recurring.getByTestId('recurring-empty').waitFor();
    expect(await recurring.innerText()).toContain('微博');
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(SHOTS, 'cockpit-channel-weibo.png'), fullPage: true });

    // a category: the problem counts its messages read as that category
    const category = read[0].category;
    expect(category).not.toBe('unknown');
    await filters.locator('select[name=channel]').selectOption('');
    await filters.locator('select[name=category]').selectOption(category);
    await expect.poll(() => hotCard.innerText()).toContain(`鸠江区 · ${category}`);
    const byCategory = await hotApi(`category=${encodeURIComponent(category)}`);
    expect(byCategory.topics.find((x) => x.id === topicId)?.volume).toBe(read.filter((r) => r.recent && r.category === category).length);
    await expect.poll(() => shows(byCategory)).toBe(true);
    expect(await page.getByTestId('filter-note').count()).toBe(0);
    await filters.locator('select[name=category]').selectOption('');

    // a period long past: every card says it has nothing for it
    await filters.locator('select[name=channel]').selectOption('');
    await filters.locator('select[name=district]').selectOption('');
    const pastTo = addDays(today(), -70);
    await filters.locator('input[name=from]').fill(addDays(pastTo, -13));
    await filters.locator('input[name=to]').fill(pastTo);
    await recurring.getByTestId('recurring-empty').waitFor();
    await alerts.getByTestId('alerts-empty').waitFor();
    await page.getByTestId('hot-topics').getByText('所选时段暂无热点').waitFor();
    await page.getByTestId('sentiment-trend').getByText('所选时段暂无数据').waitFor();
    expect(await page.getByTestId('sentiment-trend-png').count()).toBe(0); // no drawing to export
    await page.getByTestId('ranking-card').getByText('所选时段暂无办件').waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(SHOTS, 'cockpit-empty-period.png'), fullPage: true });

    // a department user: the problem with its own case only; the link opens the case
    await filters.getByRole('button', { name: '近30天' }).click();
    await suite.login(page, 'demo-urban-mgmt');
    await page.goto(`${suite.service.base}/#/leaders`);
    await problem.waitFor();
    expect(await recurring.getByTestId('recurring-scope').innerText()).toContain('只列出有本单位工单的问题');
    expect(await problem.innerText()).toContain('1 件工单');
    expect(await recurring.innerText()).not.toContain(other.trackingNo);
    await page.screenshot({ path: path.join(SHOTS, 'cockpit-department.png'), fullPage: true });
    await problem.getByRole('link', { name: own.trackingNo }).click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(`#/queue/${own.id}`);
    expect(errors).toEqual([]);
    await context.close();
  }, 4 * WAIT_MS);

  it('says what is wrong with a period the API refuses', async () => {
    const res = await fetch(`${suite.service.base}/api/v1/stats/overview?from=2020-01-01T00:00:00%2B08:00&to=2026-01-01T00:00:00%2B08:00`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: { field: string; message: string }[] } };
    expect(body.error.details[0]).toMatchObject({ field: 'from', message: expect.stringContaining('时段不得超过') });
  });
});
