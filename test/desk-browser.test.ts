// The desk in a real browser (Debian Chromium): every case state renders in the drawer with exactly the
// actions the server lists; a returned case is dispatched from 待派单 by a suggestion; a reply held for
// review is rejected and never reaches the resident; the approval queues; keyboard triage (j/k, a, x),
// sortable columns and bulk dispatch. Screenshots go to shotsDir().
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, openPage } from './support/browser';
import { openTestCase } from './support/cases';

const suite = browserSuite({ demoMessages: 12 });
const run = suite.run;
const SHOTS = suite.shots;

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

async function api(pathname: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(suite.service.base + pathname, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
async function must(pathname: string, token: string, body?: unknown) {
  const r = await api(pathname, token, body);
  expect(r.status, `${pathname}: ${JSON.stringify(r.body)}`).toBe(200);
  return r.body;
}

interface CaseView { case: { status: string }; actions: { key: string; fields: { widget: string }[] }[] }
async function renderedActions(page: Page): Promise<string[]> {
  const drawer = page.getByTestId('case-drawer');
  await drawer.getByTestId('case-status').waitFor();
  const actions = drawer.getByTestId('case-actions');
  if (!(await actions.count())) return [];
  return actions.locator('[data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action') ?? ''));
}
async function serverActions(caseId: number, token: string): Promise<string[]> {
  const { actions } = (await must(`/api/v1/cases/${caseId}`, token)) as CaseView;
  const reply = (a: CaseView['actions'][number]) => a.fields.some((f) => f.widget === 'reply');
  return [...actions.filter((a) => !reply(a)), ...actions.filter(reply)].map((a) => a.key);
}

const open = (department: string | null, over: Parameters<typeof openTestCase>[1] = {}) => openTestCase(suite.service.sql, { department, ...over });

describe.skipIf(!run)('the desk in Chromium', () => {
  it('every case state renders in the drawer and offers exactly the actions the server lists', async () => {
    const c = 'demo-centre';
    const h = 'demo-housing';
    const states: Record<string, number> = {};
    states.received = (await open(null)).caseId;
    // held: received in a year no calendar counts (an old import), so never dispatched: no deadlines at all
    states.held = (await open('housing', { receivedAt: new Date('2024-06-03T10:00:00+08:00') })).caseId;
    states.returned = (await open('housing')).caseId;
    await must(`/api/v1/cases/${states.returned}/return`, h, { reason: '不属于本单位职责' });
    states.paused = (await open('housing')).caseId;
    await must(`/api/v1/cases/${states.paused}/accept`, h, {});
    await must(`/api/v1/cases/${states.paused}/pause`, h, { reason: '请补充具体门牌号' });
    states.merged = (await open('housing')).caseId;
    await must(`/api/v1/cases/${states.merged}/merge`, c, { intoCaseId: states.paused });
    states.closed = (await open('housing')).caseId;
    await must(`/api/v1/cases/${states.closed}/accept`, h, {});
    await must(`/api/v1/cases/${states.closed}/reply`, h, { text: '您好，经核实已安排维修，如有疑问请联系 0553-1234502。' });
    await must(`/api/v1/cases/${states.closed}/close`, c, {});
    const rated = await open('housing');
    states.rated = rated.caseId;
    await must(`/api/v1/cases/${states.rated}/accept`, h, {});
    await must(`/api/v1/cases/${states.rated}/reply`, h, { text: '您好，已处理完毕。' });
    await must(`/api/v1/cases/${states.rated}/close`, c, {});
    // 回访: the resident rates with their tracking number and 查询码
    await must(`/api/v1/messages/${rated.message.trackingNo}/rating`, c, { code: rated.message.queryCode, rating: '满意', resolved: true });
    expect(((await must(`/api/v1/cases/${states.rated}`, c)) as CaseView).case.status).toBe('rated');

    const { context, page, errors } = await openPage(suite.browser, 1280);
    for (const token of [c, h]) {
      await suite.login(page, token);
      for (const [name, caseId] of Object.entries(states)) {
        const view = await api(`/api/v1/cases/${caseId}`, token);
        await page.goto(`${suite.service.base}/#/queue/${caseId}`);
        const drawer = page.getByTestId('case-drawer');
        if (view.status === 403) {
          // a department's view of a case it does not have: the drawer says so and the app stays up
          await expect.poll(() => drawer.locator('.error').textContent()).toContain('只能查看本单位的工单');
          continue;
        }
        await drawer.getByTestId('case-status').waitFor();
        expect(await renderedActions(page), `${token} ${name}`).toEqual(await serverActions(caseId, token));
        if (token === c) await shot(page, `desk-state-${name}-1280`);
        // a reload of the drawer keeps the app (the old blank page on a case without deadlines)
        await page.reload();
        await drawer.getByTestId('case-status').waitFor();
      }
    }
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);

  it('dispatches a returned case from 待派单 by a suggestion', async () => {
    const { caseId } = await open('housing');
    await must(`/api/v1/cases/${caseId}/return`, 'demo-housing', { reason: '路灯属城管局职责，请改派' });
    const { context, page, errors } = await openPage(suite.browser, 1280);
    await suite.login(page, 'demo-centre');
    await page.locator('[data-tab=dispatch]').click();
    const item = page.locator(`[data-testid=desk-dispatch] li[data-case-id="${caseId}"]`);
    await expect.poll(() => item.getByTestId('desk-why').textContent()).toBe('市住建局退单：路灯属城管局职责，请改派');
    await shot(page, 'desk-dispatch-queue-1280');
    await item.getByRole('link', { name: '打开处理' }).click();
    const drawer = page.getByTestId('case-drawer');
    await drawer.getByTestId('suggestions').waitFor();
    await shot(page, 'desk-returned-drawer-1280');
    const target = (await drawer.locator('[data-suggest]').evaluateAll((els) => els.map((e) => e.getAttribute('data-suggest')!))).find((d) => d !== 'housing')!;
    await drawer.locator(`[data-suggest="${target}"]`).click();
    await expect.poll(() => drawer.getByTestId('case-status').textContent()).toBe('已派单');
    expect(((await must(`/api/v1/cases/${caseId}`, 'demo-centre')) as { case: { departmentCode: string } }).case.departmentCode).toBe(target);
    expect(await renderedActions(page)).toEqual(await serverActions(caseId, 'demo-centre'));
    expect(errors).toEqual([]);
    await context.close();

    // on a 390 px phone the queue and the drawer's suggestions fit the width
    const phone = await openPage(suite.browser, 390);
    const other = (await open(null)).caseId;
    await suite.login(phone.page, 'demo-centre');
    await phone.page.locator('[data-tab=dispatch]').click();
    await phone.page.locator(`[data-testid=desk-dispatch] li[data-case-id="${other}"]`).waitFor();
    const overflow = () => phone.page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot(phone.page, 'desk-dispatch-queue-390');
    await phone.page.goto(`${suite.service.base}/#/queue/${other}`);
    await phone.page.getByTestId('suggestions').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot(phone.page, 'desk-suggestions-390');
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  }, 180_000);

  it('a reply held for review is rejected in the browser and never reaches the resident', async () => {
    const { caseId, message } = await open('police');
    await must(`/api/v1/cases/${caseId}/accept`, 'demo-police', {});
    const { context, page, errors } = await openPage(suite.browser, 1280);
    await suite.login(page, 'demo-police');
    await page.goto(`${suite.service.base}/#/queue/${caseId}`);
    const drawer = page.getByTestId('case-drawer');
    await drawer.locator('textarea[name=reply]').fill('您好，已转辖区派出所处理。');
    await drawer.getByRole('button', { name: '答复', exact: true }).click();
    await drawer.getByTestId('reply-pending').waitFor();
    await shot(page, 'desk-reply-held-1280');

    await suite.login(page, 'demo-centre');
    await page.locator('[data-tab=replies]').click();
    const item = page.locator(`[data-testid=desk-replies] li[data-case-id="${caseId}"]`);
    await expect.poll(() => item.getByTestId('desk-why').textContent()).toContain('须经协调中心审核');
    await shot(page, 'desk-review-queue-1280');
    await item.getByRole('link', { name: '打开处理' }).click();
    await drawer.getByRole('button', { name: '驳回答复' }).click();
    await drawer.locator('textarea[name=reason]').fill('未说明处理结果，请补充');
    await drawer.getByRole('button', { name: '确认驳回答复' }).click();
    await expect.poll(() => drawer.getByTestId('case-status').textContent()).toBe('已签收');
    await shot(page, 'desk-reply-rejected-1280');

    // the resident: 办理中, no reply, no 答复 line in the history
    await page.goto(`${suite.service.base}/#/status/${message.trackingNo}/${message.queryCode}`);
    await page.reload();
    await expect.poll(() => page.getByTestId('resident-stage').textContent()).toBe('办理中');
    expect(await page.getByTestId('resident-reply').count()).toBe(0);
    const history = (await page.getByTestId('resident-history').textContent()) ?? '';
    expect(history).not.toContain('答复');
    expect(await page.content()).not.toContain('辖区派出所');
    await shot(page, 'desk-resident-after-reject-1280');
    expect((await must(`/api/v1/cases/${caseId}`, 'demo-centre')).case.replyPending).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it('the approval queues and keyboard triage: j/k move, a accepts, x selects; sortable columns; bulk dispatch', async () => {
    // 延期: two requests wait; the second is approved from the keyboard
    const ext: number[] = [];
    for (const reason of ['需协调施工单位', '需等待检测报告']) {
      const { caseId } = await open('housing');
      await must(`/api/v1/cases/${caseId}/accept`, 'demo-housing', {});
      await must(`/api/v1/cases/${caseId}/request-extension`, 'demo-housing', { workingDays: 2, reason });
      ext.push(caseId);
    }
    const { context, page, errors } = await openPage(suite.browser, 1280);
    await suite.login(page, 'demo-centre');
    await page.locator('[data-tab=extensions]').click();
    const queue = page.getByTestId('desk-extensions');
    await queue.locator(`li[data-case-id="${ext[1]}"]`).waitFor();
    const rows = async () => queue.locator('li[data-case-id]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-case-id'))));
    const order = await rows();
    const at = order.indexOf(ext[1]);
    for (let i = 0; i < at; i++) await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('j');
    expect(await queue.locator('li.focused').getAttribute('data-case-id')).toBe(String(ext[1]));
    await shot(page, 'desk-extensions-1280');
    await page.keyboard.press('a');
    await expect.poll(() => page.getByTestId('desk-notice').textContent()).toContain('批准延期');
    await expect.poll(async () => (await rows()).includes(ext[1])).toBe(false);
    expect(await rows()).toContain(ext[0]);

    // 待派单: a accepts the first suggestion
    const fresh = (await open(null)).caseId;
    await page.locator('[data-tab=dispatch]').click();
    const dq = page.getByTestId('desk-dispatch');
    await dq.locator(`li[data-case-id="${fresh}"]`).waitFor();
    const dorder = await dq.locator('li[data-case-id]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-case-id'))));
    for (let i = 0; i < dorder.indexOf(fresh); i++) await page.keyboard.press('j');
    expect(await dq.locator('li.focused').getAttribute('data-case-id')).toBe(String(fresh));
    await page.keyboard.press('a');
    await expect.poll(() => page.getByTestId('desk-notice').textContent()).toContain('已派单至');
    expect(((await must(`/api/v1/cases/${fresh}`, 'demo-centre')) as { case: { status: string } }).case.status).toBe('dispatched');

    // x selects, the bulk bar dispatches the selection
    const bulk = [(await open(null)).caseId, (await open(null)).caseId];
    await page.locator('[data-tab=open]').click();
    await page.locator('[data-tab=dispatch]').click();
    for (const id of bulk) await dq.locator(`li[data-case-id="${id}"]`).waitFor();
    const border = await dq.locator('li[data-case-id]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-case-id'))));
    for (let i = 0; i < border.length; i++) await page.keyboard.press('k');
    for (let i = 0; i < border.length; i++) {
      if (bulk.includes(border[i])) await page.keyboard.press('x');
      await page.keyboard.press('j');
    }
    await page.getByTestId('bulk-bar').waitFor();
    expect(await page.getByTestId('bulk-bar').textContent()).toContain('已选 2 件');
    await page.getByLabel('批量派往').selectOption('urban-mgmt');
    await shot(page, 'desk-bulk-1280');
    await page.getByRole('button', { name: '批量派单' }).click();
    await expect.poll(() => page.getByTestId('bulk-result').textContent()).toContain('已派发 2 件');
    for (const id of bulk) expect(((await must(`/api/v1/cases/${id}`, 'demo-centre')) as { case: { departmentCode: string } }).case.departmentCode).toBe('urban-mgmt');

    // a deadline counted on the provisional 2027 calendar carries 暂定 in the queue too
    const provisional = await open('housing', { receivedAt: new Date('2026-12-28T10:00:00+08:00') });
    await page.locator('[data-tab=all]').click();
    await page.locator('input[type=search]').fill(provisional.message.trackingNo);
    await page.getByRole('button', { name: '搜索' }).click();
    await page.locator(`tr[data-case-id="${provisional.caseId}"] [data-testid=provisional-tag]`).waitFor();
    await shot(page, 'desk-provisional-tag-1280');
    await page.locator('input[type=search]').fill('');
    await page.getByRole('button', { name: '搜索' }).click();

    // sortable columns: 时限 ascending then descending, keyset pages
    await page.locator('[data-tab=all]').click();
    await page.locator('button[data-sort=resolveDueAt]').click();
    await expect.poll(() => page.locator('th[aria-sort=ascending]').count()).toBe(1);
    const firstAsc = await page.locator('tr[data-case-id]').first().getAttribute('data-case-id');
    await page.locator('button[data-sort=resolveDueAt]').click();
    await expect.poll(() => page.locator('th[aria-sort=descending]').count()).toBe(1);
    await expect.poll(() => page.locator('tr[data-case-id]').first().getAttribute('data-case-id')).not.toBe(firstAsc);
    await shot(page, 'desk-sorted-1280');

    // 人工复核 from the keyboard: j moves, a confirms the reading shown
    await page.goto(`${suite.service.base}/#/triage`);
    const items = page.getByTestId('triage-item');
    await items.first().waitFor();
    const before = await items.count();
    const ids = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-case-id')));
    if (before > 1) {
      await page.keyboard.press('j');
      expect(await page.locator('[data-testid=triage-item].focused').getAttribute('data-case-id')).toBe(ids[1]);
      await page.keyboard.press('k');
    }
    expect(await page.locator('[data-testid=triage-item].focused').getAttribute('data-case-id')).toBe(ids[0]);
    await shot(page, 'desk-triage-keys-1280');
    await page.keyboard.press('a');
    await expect.poll(async () => items.evaluateAll((els) => els.map((e) => e.getAttribute('data-case-id')))).not.toContain(ids[0]);
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});
