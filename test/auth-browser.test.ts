// Staff accounts in a real browser: the admin logs in with name and password, creates an account on
// the admin page and finds it in the audit trail; the new user logs in with the password given.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserSuite, openPage } from './support/browser';

const DEMO = 20;
const suite = browserSuite({ demoMessages: DEMO });
const run = suite.run;
const SHOTS = suite.shots;


describe.skipIf(!run)('staff accounts in Chromium', () => {
  it('an admin creates an account on the admin page; it logs in with its password; a wrong one is refused', async () => {
    const { context, page, errors } = await openPage(suite.browser, 1280);
    await suite.login(page, 'demo-admin', 'demo-admin');
    await page.getByTestId('current-user').waitFor();
    // no token in the page's storage: the session is an HttpOnly cookie
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + document.cookie)).not.toMatch(/minsheng/);
    await page.getByRole('link', { name: '系统管理' }).click();
    const users = page.getByTestId('admin-users');
    await users.locator('tr[data-user="demo-centre"]').waitFor();
    const form = page.getByTestId('add-user');
    await form.locator('input[name=name]').fill('liu.housing');
    await form.locator('input[name=displayName]').fill('刘科长');
    await form.locator('select[name=role]').selectOption('department');
    await form.locator('select[name=departmentCode]').selectOption('housing');
    await form.locator('input[name=password]').fill('short');
    await form.getByRole('button', { name: '创建' }).click();
    expect(await form.locator('input[name=password]:invalid').count()).toBe(1); // the form's own check first
    await form.locator('input[name=password]').fill('liu housing pass');
    await form.getByRole('button', { name: '创建' }).click();
    await users.locator('tr[data-user="liu.housing"]').waitFor();
    await expect.poll(() => page.getByTestId('admin-audit').locator('tr[data-action="admin.user-created"]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, 'admin-1280.png'), fullPage: true });
    await page.getByRole('button', { name: '退出' }).click();
    await page.getByRole('link', { name: '员工登录' }).waitFor();

    await suite.submitLogin(page, 'liu.housing', 'wrong password');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('用户名或密码错误');
    await suite.login(page, 'liu.housing', 'liu housing pass');
    await expect.poll(() => page.getByTestId('current-user').textContent()).toBe('刘科长');
    // a department user has no admin page
    expect(await page.getByRole('link', { name: '系统管理' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('the admin page on a 390px phone', async () => {
    const { context, page, errors } = await openPage(suite.browser, 390);
    await suite.login(page, 'demo-admin', 'demo-admin');
    await page.getByTestId('current-user').waitFor();
    await page.goto(`${suite.service.base}/#/admin`);
    await page.getByTestId('admin-users').locator('tr[data-user="demo-centre"]').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'admin-390.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
