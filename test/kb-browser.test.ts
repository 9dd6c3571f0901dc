// 知识库 at the desk in a real browser (Debian Chromium): a clerk opens a 咨询 case, starts the reply from
// a template, sees the knowledge-base entry that answers it at the top of the suggestions, inserts it,
// sends the reply, and saves the sent reply as a new entry. Screenshots go to shotsDir().
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, openPage } from './support/browser';
import { openTestCase } from './support/cases';

const suite = browserSuite({ demoMessages: 4 });
const run = suite.run;
const SHOTS = suite.shots;

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

async function must(pathname: string, token: string, body?: unknown) {
  const res = await fetch(suite.service.base + pathname, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  expect(res.status, `${pathname}: ${JSON.stringify(json)}`).toBeLessThan(300);
  return json;
}

describe.skipIf(!run)('知识库 at the desk in Chromium', () => {
  it('a clerk sees a suggestion for a 咨询 case, inserts it into the reply, sends it and saves it as an entry', async () => {
    const answer = '您好！公租房申请须家庭人均收入低于本市规定标准且在本市无自有住房，请持身份证、户口簿到街道住房保障窗口提交申请材料。';
    const wanted = await must('/api/v1/kb/entries', 'demo-centre', { question: '公租房申请需要满足什么条件？到哪里提交材料？', answer, category: '住房保障', departmentCode: 'housing' });
    await must('/api/v1/kb/entries', 'demo-centre', { question: '路灯不亮找哪个部门报修？', answer: '您好！城市道路路灯由城管部门负责维护，可拨打 12345 报修。' });
    await must('/api/v1/kb/entries', 'demo-centre', { question: '小区物业停车费上涨合理吗？', answer: '您好！住宅小区停车服务收费实行市场调节价，调整须公示并与业主协商。' });
    await must('/api/v1/reply-templates', 'demo-centre', { name: '咨询答复', body: '{居民称呼}：您好！您的咨询（受理编号 {受理编号}）由{承办单位}答复如下：' });
    const { caseId, message } = await openTestCase(suite.service.sql, {
      department: 'housing', classification: { requestType: '咨询' },
      message: { body: '想咨询一下公租房怎么申请，需要什么条件，材料交到哪里？', contactName: '李女士' },
    });
    await must(`/api/v1/cases/${caseId}/accept`, 'demo-housing', {});

    const { context, page, errors } = await openPage(suite.browser, 1280);
    await suite.login(page, 'demo-housing');
    await page.goto(`${suite.service.base}/#/queue/${caseId}`);
    const drawer = page.getByTestId('case-drawer');
    const first = drawer.getByTestId('kb-suggestion').first();
    await first.waitFor();
    expect(await first.getAttribute('data-entry-id')).toBe(String(wanted.id));
    expect(await first.textContent()).toMatch(/匹配度 \d+%/);

    // start from the template, then insert the entry after it
    await drawer.locator('select[name=template]').selectOption({ label: '咨询答复' });
    const reply = drawer.locator('textarea[name=reply]');
    await expect.poll(() => reply.inputValue()).toContain(message.trackingNo);
    expect(await reply.inputValue()).toMatch(/^李女士：您好！/);
    await first.getByTestId('kb-insert').click();
    await expect.poll(() => reply.inputValue()).toContain(answer);
    await shot(page, 'kb-suggestion-inserted-1280');

    await drawer.getByRole('button', { name: '答复', exact: true }).click();
    await drawer.getByTestId('kb-save').waitFor();
    const view = await must(`/api/v1/cases/${caseId}`, 'demo-housing');
    expect(view.case.replyText).toContain(answer);
    expect(view.case.replyText).toContain(message.trackingNo);
    await drawer.getByTestId('kb-save').click();
    await drawer.getByTestId('kb-saved').waitFor();
    await shot(page, 'kb-reply-saved-1280');
    const saved = (await must('/api/v1/kb/entries?department=housing', 'demo-housing')).items.find((e: { sourceCaseId: number | null }) => e.sourceCaseId === caseId);
    // the entry is general: the tracking number and the resident's form of address became placeholders
    expect(saved.answer).toBe(view.case.replyText.replace(message.trackingNo, '{受理编号}').replace('李女士', '{居民称呼}'));
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
