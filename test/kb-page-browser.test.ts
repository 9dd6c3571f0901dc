// The 知识库 page in a real browser (Debian Chromium): the centre adds an entry (a field error first, then
// the masked-data notice), finds it by a Chinese word, edits it and writes a template with its preview;
// a department user at 390 px sees its own department's entry editable and another's read-only.
// Screenshots at 1280 and 390 px go to shotsDir()/kb-page.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, openPage } from './support/browser';
import { WAIT_MS } from './support/pipeline';

const suite = browserSuite({ demoMessages: 4, shotsSubdir: 'kb-page' });
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(suite.shots, `${name}.png`), fullPage: true });

async function api(method: string, pathname: string, token: string, body?: unknown) {
  const res = await fetch(suite.service.base + pathname, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json();
  expect(res.status, `${pathname}: ${JSON.stringify(json)}`).toBeLessThan(300);
  return json;
}

describe.skipIf(!suite.run)('知识库 page in Chromium', () => {
  it('the centre adds, finds and edits an entry; a department sees its own editable and another’s read-only', async () => {
    // another department's entry, written through the API
    const other = await api('POST', '/api/v1/kb/entries', 'demo-urban-mgmt', { question: '路灯不亮找哪个部门报修？', answer: '您好！城市道路路灯由城管部门负责维护，可拨打 12345 报修。' });
    expect(other.departmentCode).toBe('urban-mgmt');

    const { context, page, errors } = await openPage(suite.browser, 1280);
    await suite.login(page, 'demo-centre');
    await page.getByRole('link', { name: '知识库', exact: true }).click();
    await page.getByTestId('kb-new').click();
    const form = page.getByTestId('kb-form');
    // the API's Chinese field error beside the field
    await form.getByTestId('kb-question').fill('问');
    await form.getByTestId('kb-answer').fill('您好！请到街道住房保障窗口提交申请材料。');
    await form.getByTestId('kb-save-entry').click();
    await expect.poll(() => form.getByTestId('err-question').textContent(), { timeout: WAIT_MS }).toBe('问题至少 4 个字');
    await shot(page, 'kb-field-error-1280');
    // a phone number the clerk typed is masked on save, and the page says so
    await form.getByTestId('kb-question').fill('居民来电 13812345678 询问：公租房申请需要满足什么条件？');
    await form.getByTestId('kb-department').selectOption('housing');
    await form.getByTestId('kb-save-entry').click();
    await expect.poll(() => page.getByTestId('kb-note').textContent(), { timeout: WAIT_MS }).toContain('已自动遮盖 1 处个人信息（手机号）');
    await expect(page.getByText('13812345678').count()).resolves.toBe(0);

    // found by a Chinese word, the other entry left out
    await page.getByTestId('kb-search').fill('公租房');
    await page.getByTestId('kb-search-go').click();
    const entries = page.getByTestId('kb-entry');
    await expect.poll(() => entries.count(), { timeout: WAIT_MS }).toBe(1);
    await expect(entries.first().textContent()).resolves.toContain('公租房申请需要满足什么条件');
    await shot(page, 'kb-search-1280');

    // edited
    await entries.first().getByTestId('kb-edit').click();
    await page.getByTestId('kb-answer').fill('您好！申请公租房须家庭人均收入低于规定标准，请持身份证、户口簿到街道住房保障窗口提交申请材料。');
    await page.getByTestId('kb-save-entry').click();
    await expect.poll(() => entries.first().textContent(), { timeout: WAIT_MS }).toContain('户口簿');
    await expect(page.getByTestId('kb-note').textContent()).resolves.toBe('已保存修改。');

    // a template with its preview
    await page.getByTestId('kb-tab-templates').click();
    await page.getByTestId('tpl-new').click();
    await page.getByTestId('tpl-name').fill('咨询答复开头');
    await page.getByTestId('tpl-body').fill('{居民称呼}：您好！您的咨询（受理编号 {受理编号}）由{承办单位}答复如下：');
    await expect(page.getByTestId('tpl-preview').textContent()).resolves.toBe('王先生：您好！您的咨询（受理编号 WH20260101-0001）由市住房保障局答复如下：');
    await shot(page, 'kb-template-form-1280');
    await page.getByTestId('tpl-body').fill('{居民姓名}：您好！');
    await page.getByTestId('tpl-save').click();
    await expect.poll(() => page.getByTestId('err-body').textContent(), { timeout: WAIT_MS }).toContain('不认识的占位符 {居民姓名}');
    await page.getByTestId('tpl-body').fill('{居民称呼}：您好！您的咨询（受理编号 {受理编号}）由{承办单位}答复如下：');
    await page.getByTestId('tpl-save').click();
    await expect.poll(() => page.getByTestId('tpl-item').count(), { timeout: WAIT_MS }).toBe(1);
    expect(errors).toEqual([]);
    await context.close();

    // the housing department at 390 px: its entry editable, urban management's read-only
    const phone = await openPage(suite.browser, 390);
    await suite.login(phone.page, 'demo-housing');
    await phone.page.goto(`${suite.service.base}/#/kb`);
    const list = phone.page.getByTestId('kb-entry');
    await expect.poll(() => list.count(), { timeout: WAIT_MS }).toBe(2);
    const own = phone.page.locator('[data-testid=kb-entry]', { hasText: '公租房' });
    const theirs = phone.page.locator('[data-testid=kb-entry]', { hasText: '路灯' });
    await expect(own.getByTestId('kb-edit').count()).resolves.toBe(1);
    await expect(own.getByTestId('kb-expire').count()).resolves.toBe(1);
    await expect(theirs.getByTestId('kb-edit').count()).resolves.toBe(0);
    await expect(theirs.getByTestId('kb-readonly').textContent()).resolves.toBe('只读（其他单位的条目）');
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(phone.page, 'kb-department-390');

    // expired: no longer 有效, and listed under 已失效或未生效
    await own.getByTestId('kb-expire').click();
    await expect.poll(() => own.getByTestId('kb-validity').textContent(), { timeout: WAIT_MS }).toBe('已失效或未生效');
    await phone.page.getByTestId('kb-filter-valid').selectOption('now');
    await phone.page.getByTestId('kb-search-go').click();
    await expect.poll(() => list.count(), { timeout: WAIT_MS }).toBe(1);
    await phone.page.getByTestId('kb-filter-valid').selectOption('not');
    await phone.page.getByTestId('kb-search-go').click();
    await expect.poll(() => list.first().textContent(), { timeout: WAIT_MS }).toContain('公租房');

    // templates: read-only for a department
    await phone.page.getByTestId('kb-tab-templates').click();
    await expect.poll(() => phone.page.getByTestId('tpl-item').count(), { timeout: WAIT_MS }).toBe(1);
    await expect(phone.page.getByTestId('tpl-new').count()).resolves.toBe(0);
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(phone.page, 'kb-templates-390');
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });
});
