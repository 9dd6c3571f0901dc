// A resident on a 390 px phone: writes a message with a photo on the portal form, opens the status
// page and sees their own text and the photo (served back without its EXIF), then adds one more.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserSuite, openPage } from './support/browser';
import { jpegWithGps, pngWithGps } from './support/photos';

const suite = browserSuite({ demoMessages: 10 });

describe.skipIf(!suite.run)('photos in Chromium at 390 px', () => {
  it('submit with a photo, then see it and the text on the status page', async () => {
    const { context, page, errors } = await openPage(suite.browser, 390);
    const shot = (name: string) => page.screenshot({ path: path.join(suite.shots, `${name}.png`), fullPage: true });
    await page.goto(`${suite.service.base}/#/submit`);
    const text = '小区门口的井盖松动了，踩上去会晃，夜里很危险，照片附上。';
    await page.locator('input[name=title]').fill('井盖松动');
    await page.locator('textarea[name=content]').fill(text);
    await page.locator('input[name=contactName]').fill('李女士');
    await page.locator('input[name=phone]').fill('13905530000');
    await page.getByTestId('photo-input').setInputFiles([{ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: jpegWithGps(120, 90) }]);
    await page.getByText('IMG_0001.jpg').waitFor();
    await shot('photo-submit-390');
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByTestId('photos-accepted').waitFor();
    const trackingNo = (await page.getByTestId('tracking-no').textContent())!.trim();
    expect(trackingNo).toMatch(/^MS\d{13}$/);
    await shot('photo-submitted-390');

    await page.getByRole('link', { name: '进度查询' }).last().click();
    await page.getByTestId('status-result').waitFor();
    await expect.poll(() => page.getByTestId('own-message').textContent()).toContain(text);
    const img = page.getByTestId('photo-strip').locator('img').first();
    await img.waitFor();
    // the browser decoded the served image (stored without EXIF): it has its real size
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0))).toBe(120);

    // one more photo from the status page (a PNG this time)
    await page.getByTestId('add-photos-form').getByTestId('photo-input').setInputFiles([{ name: 'more.png', mimeType: 'image/png', buffer: pngWithGps(60, 40) }]);
    await page.getByRole('button', { name: '上传图片' }).click();
    await expect.poll(() => page.getByTestId('photo-strip').locator('img').count()).toBe(2);
    // a file that is not an image is refused with a Chinese message
    await page.getByTestId('add-photos-form').getByTestId('photo-input').setInputFiles([{ name: 'note.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not really a picture') }]);
    await page.getByRole('button', { name: '上传图片' }).click();
    await expect.poll(() => page.getByTestId('add-photos-form').getByTestId('error-photos').textContent()).toContain('只能上传 JPEG 或 PNG 图片');
    await shot('photo-status-390');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);

    // staff: the department sees the thumbnails in the drawer, accepts and asks for more (暂停)
    const [{ caseId }] = await suite.service.sql<{ caseId: number }[]>`SELECT case_id FROM messages WHERE tracking_no = ${trackingNo}`;
    const dept = (await suite.service.apiJson<{ case: { departmentCode: string } }>(`/api/v1/cases/${caseId}`, 'demo-centre')).case.departmentCode;
    const staff = await openPage(suite.browser, 1280);
    await suite.login(staff.page, `demo-${dept}`);
    await staff.page.goto(`${suite.service.base}/#/queue/${caseId}`);
    const drawer = staff.page.getByTestId('case-drawer');
    const thumbs = drawer.getByTestId('case-photos').locator('img');
    await expect.poll(() => thumbs.count()).toBe(2);
    await expect.poll(() => thumbs.first().evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0))).toBe(120);
    await drawer.getByRole('button', { name: '签收' }).click();
    await expect.poll(() => drawer.getByTestId('case-status').textContent()).toBe('已签收');
    await drawer.getByRole('button', { name: '暂停', exact: true }).click();
    await drawer.locator('textarea[name=reason]').fill('请补充井盖所在的楼号');
    await drawer.getByRole('button', { name: '确认暂停' }).click();
    await expect.poll(() => drawer.getByTestId('case-status').textContent()).not.toBe('已签收');
    await staff.page.screenshot({ path: path.join(suite.shots, 'photo-drawer-1280.png'), fullPage: true });
    expect(staff.errors).toEqual([]);
    await staff.context.close();

    // the resident reads what was asked
    await page.reload();
    await page.getByTestId('status-result').waitFor();
    await expect.poll(() => page.getByTestId('pause-question').textContent()).toContain('请补充井盖所在的楼号');
    await page.getByTestId('supplement-form').waitFor();
    await shot('photo-paused-390');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await context.close();
  }, 240_000);
});
