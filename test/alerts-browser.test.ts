// The 舆情 pages in a real browser against the embedded service: an administrator writes a rule in
// 预警规则 (a bad field answered beside it, in Chinese), messages raise an alert that 舆情预警 shows
// with its evidence (masked, the residents' words 反映 / 要求 kept whole) and that staff acknowledge
// there (the page following a period and a district, kept for the session), and 舆情报告 shows the daily report's HTML and downloads its PDF. Screenshots go to shotsDir().
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { insertAlertRule, openAlertEpisode } from '../core/db/alerts';
import { makeReport, shanghaiDate } from '../core/reports/make-report';
import { staffToken } from './support/cases';
import { browserSuite, openPage } from './support/browser';
import { allowFor, waitFor } from './support/pipeline';

const DEMO = 10;
const suite = browserSuite({ demoMessages: DEMO });
const run = suite.run;
const SHOTS = suite.shots;


// each says what the residents ask for in words (要求, 反映) a public view must keep whole
const OUTAGE = ['繁昌区繁阳镇停水一整天了', '繁昌区繁阳镇又停水，没有通知', '繁昌区繁阳镇停水什么时候恢复', '繁昌区繁阳镇停水，老人没水喝']
  .map((t) => `${t}，投诉人反映多次，当事人要求尽快恢复供水`);

describe.runIf(run)('舆情 pages in the browser', () => {
  it('rule editor, alert with evidence and acknowledgement, report HTML and PDF', async () => {
    const admin = await staffToken(suite.service.sql, 'admin');
    const { page, errors } = await openPage(suite.browser, 1280);
    await suite.login(page, 'demo-admin', 'demo-admin'); // the dashboard logs in with name and password

    await page.goto(`${suite.service.base}/#/alert-rules`);
    await page.getByTestId('rule-new').click();
    const form = page.getByTestId('rule-form');
    await form.getByTestId('rule-save').click();
    await form.locator('.field-error', { hasText: '规则名称不能为空' }).waitFor(); // the server's field message, beside the field
    await form.locator('label', { hasText: '规则名称' }).locator('input').fill('停水预警');
    await form.locator('textarea').fill('停水|断水 -演习');
    await form.locator('label', { hasText: '留言数阈值' }).locator('input').fill('4');
    await form.getByTestId('rule-save').click();
    await page.getByTestId('rule-item').filter({ hasText: '停水预警' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'alert-rules.png'), fullPage: true });

    for (const content of OUTAGE) {
      const res = await fetch(`${suite.service.base}/api/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: '停水', content, contactName: '赵女士', phone: '13905539999' }) });
      expect(res.status).toBe(201);
    }
    await waitFor(async () => (await suite.service.apiJson<{ total: number }>('/api/v1/alerts', admin)).total > 0, allowFor(OUTAGE.length, 200), 250, 'the alert');

    await page.goto(`${suite.service.base}/#/alerts`);
    const item = page.getByTestId('alert-item').first();
    await item.getByText('停水预警：繁昌区').waitFor();
    await item.getByText('繁昌区繁阳镇').first().waitFor();
    expect(await item.innerText()).not.toContain('13905539999');
    // the evidence is masked, and the words around the masks are not (反映 → 反** was the old reading)
    await item.getByText('当事人要求尽快恢复供水').first().waitFor();
    expect(await item.innerText()).toContain('投诉人反映多次');
    expect(await item.innerText()).not.toMatch(/反\*\*|要\*\*/);
    await item.locator('input').fill('已联系供水公司');
    await item.getByTestId('alert-ack').click();
    await page.getByText('已联系供水公司').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'alerts.png'), fullPage: true });

    await makeReport({ sql: suite.service.sql, now: new Date() }, 'daily', shanghaiDate(new Date()));
    await page.goto(`${suite.service.base}/#/reports`);
    const row = page.getByTestId('report-row').first();
    await row.getByRole('button', { name: '查看' }).click();
    const frame = page.frameLocator('[data-testid=report-frame]');
    await frame.getByText('三、突增与预警').waitFor();
    await frame.getByText('停水预警：繁昌区').first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'reports.png'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'PDF' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^舆情日报-\d{4}-\d{2}-\d{2}\.pdf$/);
    const file = path.join(SHOTS, 'report.pdf');
    await download.saveAs(file);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    writeFileSync(path.join(SHOTS, 'errors.txt'), errors.join('\n'));
    expect(errors).toEqual([]);
  });

  it('舆情预警 follows the period, the district, the category and the channel, kept for the session, and says when the period has none', async () => {
    const sql = suite.service.sql;
    const DAY = 86_400_000;
    const now = Date.now();
    const day = (daysAgo: number) => new Date(now + 8 * 3600_000 - daysAgo * DAY).toISOString().slice(0, 10);
    // alerts of a rule nobody evaluates (disabled): two recent ones in two districts, one of 50 days ago
    const rule = await insertAlertRule(sql, { name: '时段筛选测试规则', enabled: false, definition: {}, createdBy: null });
    const alert = (key: string, district: string, daysAgo: number, title: string, channel: string, category: string) =>
      openAlertEpisode(sql, { ruleId: rule.id, scopeKey: key, district, topicId: null, title, at: new Date(now - daysAgo * DAY), evidence: { count: 3, windowMinutes: 60, negativeShare: 1, channels: { [channel]: 3 }, categories: { [category]: 3 }, series: [], topMessages: [] } });
    await alert('period-a', '镜湖区', 2, '镜湖区路灯预警（近日）', 'portal', '城乡建设');
    await alert('period-b', '弋江区', 3, '弋江区积水预警（近日）', 'weibo', '环境保护');
    await alert('period-c', '镜湖区', 50, '镜湖区噪音预警（五十天前）', 'portal', '环境保护');

    const { context, page, errors } = await openPage(suite.browser, 1280);
    await suite.login(page, 'demo-admin', 'demo-admin');
    await page.goto(`${suite.service.base}/#/alerts`);
    const filters = page.getByTestId('stats-filters');
    const list = () => page.locator('[data-testid=alert-item] b').allInnerTexts();
    // 近30天 (the default): the alert of 50 days ago is not in it
    await page.getByText('镜湖区路灯预警（近日）').waitFor();
    await page.getByText('弋江区积水预警（近日）').waitFor();
    expect(await list()).not.toContain('镜湖区噪音预警（五十天前）');
    await filters.getByRole('button', { name: '近90天' }).click();
    await page.getByText('镜湖区噪音预警（五十天前）').waitFor();

    // a channel, a category: the alerts with messages of it in their window (the card names them)
    await filters.locator('select[name=channel]').selectOption('weibo');
    await expect.poll(list).toEqual(['弋江区积水预警（近日）']);
    expect(await page.getByTestId('alert-item').first().innerText()).toContain('环境保护 3');
    await filters.locator('select[name=channel]').selectOption('');
    await filters.locator('select[name=category]').selectOption('环境保护');
    await expect.poll(list).toEqual(['弋江区积水预警（近日）', '镜湖区噪音预警（五十天前）']);
    await filters.locator('select[name=category]').selectOption('');

    // a district: its alerts only
    await filters.locator('select[name=district]').selectOption('镜湖区');
    await expect.poll(list).toEqual(['镜湖区路灯预警（近日）', '镜湖区噪音预警（五十天前）']);
    await page.screenshot({ path: path.join(SHOTS, 'alerts-district.png'), fullPage: true });

    // the filter stays for the session: a reload shows the same period and district
    await page.reload();
    await expect.poll(list).toEqual(['镜湖区路灯预警（近日）', '镜湖区噪音预警（五十天前）']);
    expect(await filters.locator('select[name=district]').inputValue()).toBe('镜湖区');

    // a chosen range: 40 to 60 days ago holds the old alert only; a range with none says so
    await filters.locator('input[name=from]').fill(day(60));
    await filters.locator('input[name=to]').fill(day(40));
    await expect.poll(list).toEqual(['镜湖区噪音预警（五十天前）']);
    await filters.locator('select[name=district]').selectOption('弋江区');
    await page.getByTestId('alerts-empty').waitFor();
    expect(await page.getByTestId('alerts-empty').innerText()).toBe('所选时段暂无预警。');
    expect(await page.getByTestId('alert-item').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'alerts-empty-period.png'), fullPage: true });
    writeFileSync(path.join(SHOTS, 'errors-period.txt'), errors.join('\n'));
    expect(errors).toEqual([]);
    await context.close();
  });
});
