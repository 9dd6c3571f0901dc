// The desk in Chromium, continued: a leader's 批示 on a hot topic answered from a department's queue;
// a returned case's 派单 clock in 待派单 and in the drawer; the drawer's timeline in time order; a
// queue's notice gone after a tab switch; and no English in the Chinese UI on any page, for every
// kind of user (admin, centre, a department clerk, a leader) and for a resident on the public pages.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { appendCaseEvents } from '../core/db/cases';
import { createTopic } from '../core/db/topics';
import { browserSuite, openPage } from './support/browser';
import { openTestCase } from './support/cases';

const suite = browserSuite({ demoMessages: 12 });
const run = suite.run;
const SHOTS = suite.shots;

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

async function must(pathname: string, token: string, body?: unknown): Promise<any> {
  const res = await fetch(suite.service.base + pathname, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  expect(res.ok, `${pathname}: ${JSON.stringify(json)}`).toBe(true);
  return json;
}

/** A hot topic of two cases (urban-mgmt and housing) received a few minutes ago. */
async function hotTopic(): Promise<number> {
  const sql = suite.service.sql;
  const id = await createTopic(sql, { district: '镜湖区', firstAt: new Date(Date.now() - 3_600_000) });
  await sql`UPDATE opinion_topics SET label = '赭山路夜间施工噪音', public_label = '赭山路夜间施工噪音', size = 2, public_size = 2, heat = 1e9, last_at = now() WHERE id = ${id}`;
  for (const department of ['urban-mgmt', 'housing']) {
    const { caseId, message } = await openTestCase(sql, { department });
    await sql`
      INSERT INTO opinion_topic_members (message_id, topic_id, case_id, received_at, channel, district, is_public, terms)
      VALUES (${message.id}, ${id}, ${caseId}, now() - interval '10 minutes', 'portal', '镜湖区', true, '{}'::jsonb)`;
  }
  await sql`INSERT INTO opinion_topic_hours (topic_id, hour, count) VALUES (${id}, date_trunc('hour', now() - interval '10 minutes'), 2)`;
  return id;
}

/** Words of Latin letters the page shows, less the ones that are names in any language (see ALLOWED). */
const ALLOWED = [
  // the language toggle, file formats and the Open311 standard's name; tracking numbers, account names
  /^EN$/, /^PDF$/, /^CSV$/, /^PNG$/, /^JPEG$/, /^Open311$/, /^MS\d+$/, /^demo(-[a-z0-9]+)+$/, /^ISO$/, /^Bearer$/, /^SimHash$/,
];
async function latinWords(page: Page): Promise<string[]> {
  // residents' own words (a message, a reply, a sample) are theirs, in whatever letters; a <code> command is typed as it is
  const text = await page.evaluate(() => {
    const skip = '.title-cell a, .title-cell [title], .message p, .message b, .board-body, .board-item h3, .reply, .sample, code, kbd, .mono, script, style';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const out: string[] = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest(skip) || !el.checkVisibility()) continue;
      out.push(n.textContent ?? '');
    }
    return out.join(' ');
  });
  const words = text.match(/[A-Za-z][A-Za-z0-9-]{2,}/g) ?? [];
  return [...new Set(words)].filter((w) => !ALLOWED.some((re) => re.test(w)));
}

describe.skipIf(!run)('the desk in Chromium (2)', () => {
  it('a leader gives 批示 on a hot topic; each department answers it from its queue', async () => {
    const topicId = await hotTopic();
    const { context, page, errors } = await openPage(suite.browser, 1280);
    await suite.login(page, 'demo-leader');
    await page.goto(`${suite.service.base}/#/leaders`);
    const open = page.locator(`[data-topic-instruct="${topicId}"]`);
    await open.click();
    const panel = page.getByTestId(`topic-instructions-${topicId}`);
    await panel.locator('textarea[name=topic-instruction]').fill('请城管、住建联合排查夜间施工，三日内报结果。');
    await panel.getByRole('button', { name: '批示', exact: true }).click();
    await expect.poll(() => panel.locator('[data-instruction] [data-department]').count()).toBe(2);
    expect(await panel.locator('[data-department="urban-mgmt"] .tag').textContent()).toBe('待答复');
    await shot(page, 'topic-instruction-given-1280');

    await suite.login(page, 'demo-urban-mgmt');
    await page.goto(`${suite.service.base}/#/queue`);
    const box = page.getByTestId('open-topic-instructions');
    await box.waitFor();
    expect(await box.textContent()).toContain('请城管、住建联合排查夜间施工');
    await shot(page, 'topic-instruction-in-queue-1280');
    await box.locator('textarea').first().fill('已会同街道排查，责令施工单位22时后停止作业。');
    await box.getByRole('button', { name: '答复批示' }).first().click();
    await expect.poll(() => page.getByTestId('open-topic-instructions').count()).toBe(0);

    // housing still has to answer; the leader sees who answered
    const housing = await must('/api/v1/topics/instructions', 'demo-housing');
    expect(housing.items.map((i: { topicId: number }) => i.topicId)).toContain(topicId);
    await suite.login(page, 'demo-leader');
    await page.goto(`${suite.service.base}/#/leaders`);
    await page.locator(`[data-topic-instruct="${topicId}"]`).click();
    await expect.poll(() => page.getByTestId(`topic-instructions-${topicId}`).locator('[data-department="urban-mgmt"] .tag').textContent()).toBe('已答复');
    expect(await page.getByTestId(`topic-instructions-${topicId}`).locator('[data-department="housing"] .tag').textContent()).toBe('待答复');
    await shot(page, 'topic-instruction-answered-1280');
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('a returned case shows its 派单 clock; the timeline is in time order; a notice does not follow to another tab', async () => {
    const { caseId } = await openTestCase(suite.service.sql, { department: 'housing' });
    await must(`/api/v1/cases/${caseId}/return`, 'demo-housing', { reason: '不属于本单位职责' });
    const { context, page, errors } = await openPage(suite.browser, 1280);
    await suite.login(page, 'demo-centre');
    await page.locator('[data-tab=dispatch]').click();
    const item = page.locator(`[data-testid=desk-dispatch] li[data-case-id="${caseId}"]`);
    await expect.poll(() => item.getByTestId('dispatch-due').textContent()).toMatch(/^派单剩 (1小时\d+分|\d+分钟|2小时)$/);
    await item.getByRole('link', { name: '打开处理' }).click();
    const drawer = page.getByTestId('case-drawer');
    await expect.poll(() => drawer.getByTestId('dispatch-deadline').textContent()).toContain('自退单起算');
    await shot(page, 'desk-returned-dispatch-clock-1280');
    await page.keyboard.press('Escape');

    // events written out of time order (a 催办 stored before the 签收 it followed) show in time order
    const other = (await openTestCase(suite.service.sql, { department: 'urban-mgmt' })).caseId;
    const t0 = Date.now() - 600_000;
    await appendCaseEvents(suite.service.sql, other, [
      { type: 'urged', fromStatus: 'accepted', toStatus: 'accepted', actorKind: 'centre', actorId: 'staff:demo-centre', at: new Date(t0 + 120_000), data: { reason: '请加快' } },
      { type: 'accepted', fromStatus: 'dispatched', toStatus: 'accepted', actorKind: 'department', actorId: 'staff:demo-urban-mgmt', at: new Date(t0 + 60_000), data: {} },
    ]);
    await page.goto(`${suite.service.base}/#/queue/${other}`);
    const timeline = drawer.getByTestId('case-timeline').locator('li > b');
    await expect.poll(async () => (await timeline.allTextContents()).includes('人工催办')).toBe(true);
    const labels = await timeline.allTextContents();
    expect(labels.indexOf('签收')).toBeGreaterThanOrEqual(0);
    expect(labels.indexOf('签收')).toBeLessThan(labels.indexOf('人工催办'));
    await shot(page, 'desk-timeline-order-1280');
    await page.keyboard.press('Escape');

    // a notice of 待派单 (a one-key dispatch) is gone after switching to 答复审核
    await page.goto(`${suite.service.base}/#/queue`);
    await page.locator('[data-tab=dispatch]').click();
    await item.waitFor();
    const order = await page.locator('[data-testid=desk-dispatch] li[data-case-id]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-case-id'))));
    for (let i = 0; i < order.indexOf(caseId); i++) await page.keyboard.press('j');
    await page.keyboard.press('a');
    await page.getByTestId('desk-notice').waitFor();
    await page.locator('[data-tab=replies]').click();
    await page.getByTestId('desk-replies').waitFor();
    expect(await page.getByTestId('desk-notice').count()).toBe(0);
    await page.locator('[data-tab=dispatch]').click();
    await page.getByTestId('desk-dispatch').waitFor();
    expect(await page.getByTestId('desk-notice').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('shows no English in the Chinese UI, on every page, for every kind of user and for a resident', async () => {
    const found: Record<string, string[]> = {};
    const look = async (page: Page, where: string) => {
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await page.waitForTimeout(300);
      const words = await latinWords(page);
      if (words.length) found[where] = words;
    };
    const { context, page, errors } = await openPage(suite.browser, 1280);
    const pages: Record<string, string[]> = {
      'demo-admin': ['', 'queue', 'triage', 'failed', 'leaders', 'alerts', 'alert-rules', 'reports', 'admin'],
      'demo-centre': ['', 'queue', 'triage', 'failed', 'leaders', 'alerts', 'reports'],
      'demo-urban-mgmt': ['', 'queue', 'leaders', 'alerts', 'reports'],
      'demo-leader': ['', 'queue', 'leaders', 'alerts', 'reports'],
    };
    const anyCase = (await must('/api/v1/cases?limit=1', 'demo-urban-mgmt')).items[0]?.id as number | undefined;
    for (const [account, paths] of Object.entries(pages)) {
      await suite.login(page, account);
      for (const p of paths) {
        await page.goto(`${suite.service.base}/#/${p}`);
        await look(page, `${account} #/${p}`);
      }
      if (anyCase) {
        await page.goto(`${suite.service.base}/#/queue/${anyCase}`);
        await page.getByTestId('case-drawer').getByTestId('case-status').waitFor();
        await look(page, `${account} drawer`);
      }
      if (account === 'demo-centre') {
        for (const tab of ['dispatch', 'replies', 'extensions', 'all']) {
          await page.goto(`${suite.service.base}/#/queue`);
          await page.locator(`[data-tab=${tab}]`).click();
          await look(page, `${account} queue tab ${tab}`);
        }
      }
      if (account === 'demo-admin') {
        // the audit search by action, in words
        await page.goto(`${suite.service.base}/#/admin`);
        await page.getByTestId('admin-audit').locator('select[name=action]').selectOption('auth.login');
        await page.getByTestId('admin-audit').getByRole('button', { name: '查询' }).click();
        await expect.poll(() => page.getByTestId('admin-audit').locator('tr[data-action="auth.login"]').count()).toBeGreaterThan(0);
        expect(await page.getByTestId('admin-audit').locator('tr[data-action="auth.login"] td').nth(3).textContent()).toBe('登录');
        await shot(page, 'admin-audit-zh-1280');
        await look(page, `${account} audit`);
      }
    }
    // a resident: the portal form (and its field errors), the status page, the public board
    await page.context().clearCookies();
    await page.goto(`${suite.service.base}/#/submit`);
    await page.reload();
    await look(page, 'resident #/submit');
    const m = await (await fetch(`${suite.service.base}/api/v1/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: '路灯不亮', content: '赭山路的路灯一直不亮，晚上很黑，请尽快维修。', contactName: '王女士', phone: '13805531234' }),
    })).json() as { trackingNo: string; queryCode: string };
    await page.goto(`${suite.service.base}/#/status/${m.trackingNo}/${m.queryCode}`);
    await page.getByTestId('resident-stage').waitFor();
    await look(page, 'resident #/status');
    await page.goto(`${suite.service.base}/#/board`);
    await look(page, 'resident #/board');
    await shot(page, 'resident-board-1280');
    expect(found).toEqual({});
    expect(errors).toEqual([]);
    await context.close();
  }, 400_000);
});
