// 公开留言选登 at 390 px in Debian Chromium: cards fit the screen (no sideways scroll), search works,
// and no resident's name or phone reaches the page.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { actOnCase } from '../core/cases/act-on-case';
import { browserSuite, openPage } from './support/browser';
import { openTestCase, serviceDeps } from './support/cases';

const suite = browserSuite({ demoMessages: 3, shotsSubdir: 'board' });
const run = suite.run;
const SHOTS = suite.shots;

const clerk = { role: 'department' as const, id: 'clerk', departmentId: 'urban-mgmt' };
const centre = { role: 'centre' as const, id: 'centre-1' };

async function publish(body: string, reply: string, rating?: '满意' | '基本满意') {
  const { caseId, message } = await openTestCase(suite.service.sql, { message: { isPublic: true, body, contactName: '司马光明', contactPhone: '13955531111' } });
  const deps = serviceDeps(suite.service.sql);
  await actOnCase(deps, caseId, { type: 'accept' }, { actor: clerk });
  await actOnCase(deps, caseId, { type: 'reply', text: reply }, { actor: clerk });
  if (rating) {
    await actOnCase(deps, caseId, { type: 'close' }, { actor: centre });
    await actOnCase(deps, caseId, { type: 'rate', rating }, { actor: { role: 'resident', id: `resident:${message.trackingNo}` } });
  }
  return message.trackingNo;
}

describe.runIf(run)('public board in the browser', () => {
  it('lists, searches and masks at 390 px', { timeout: 5 * 60_000 }, async () => {
    await publish('我是司马光明，电话13955531111。弋江区中山南路的井盖松动，车辆经过时响声很大，夜里影响休息，请尽快维修加固。', '您好：经现场核实，中山南路井盖已于当日加固，感谢您的监督。', '满意');
    await publish('鸠江区湾里路一段路灯不亮已经一周，晚上出行不便，老人孩子容易摔倒，请尽快修复。', '您好，路灯线路故障已修复，现已恢复正常照明。', '基本满意');
    await publish('镜湖区北京中路人行道上有共享单车乱停乱放，堵住了盲道，请相关部门清理。', '您好，已组织运营企业清理并加强巡查。');
    const { page, errors, context } = await openPage(suite.browser, 390);
    try {
      await page.goto(`${suite.service.base}/#/board`);
      await expect.poll(() => page.getByTestId('board-item').count()).toBe(3);
      const text = (await page.locator('main').textContent()) ?? '';
      for (const leak of ['司马光明', '13955531111', '光明']) expect(text).not.toContain(leak);
      expect(text).toContain('井盖已于当日加固');
      expect(text).toContain('满意');
      // nothing wider than the screen
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: path.join(SHOTS, 'board-390.png'), fullPage: true });

      await page.locator('input[name=q]').fill('路灯');
      await page.getByRole('button', { name: '搜索' }).click();
      await expect.poll(() => page.getByTestId('board-item').count()).toBe(1);
      expect(await page.getByTestId('board-total').textContent()).toContain('1');
      await page.screenshot({ path: path.join(SHOTS, 'board-390-search.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
