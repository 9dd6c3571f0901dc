// What a resident reads on the status page about their own message: their text, and while the case
// waits for them (补充材料) the question the department asked; after they answer, their supplement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessQueue } from '../core/queue/in-process';
import { postJson, testApp } from './support/app';
import { attachMessage, openTestCase, staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue();
  app = testApp(db, queue);
});
afterAll(async () => {
  await queue.close();
  await db.close();
});

type Status = { stage: string; text: string; question: { text: string } | null; supplements: { text: string }[]; canAddPhotos: boolean; sms: { note: string | null } };

describe('the status page of a paused case', () => {
  it('shows the resident their text, what was asked while paused, and their answer afterwards', async () => {
    const { caseId, message } = await openTestCase(db.sql, { department: 'urban-mgmt', message: { body: '楼道里的灯坏了很久，请物业修一下。' } });
    const dept = await staffToken(db.sql, 'department', 'urban-mgmt');
    const auth = { authorization: `Bearer ${dept}` };
    const status = async () => (await (await app.request(`/api/v1/messages/${message.trackingNo}?code=${message.queryCode}`)).json()) as Status;
    expect((await postJson(app, `/api/v1/cases/${caseId}/accept`, {}, auth)).status).toBe(200);
    let s = await status();
    expect(s.text).toBe('楼道里的灯坏了很久，请物业修一下。');
    expect(s.question).toBeNull();
    expect(s.canAddPhotos).toBe(true);
    // a portal message: no SMS note (that is for hotline callers)
    expect(s.sms.note).toBeNull();

    expect((await postJson(app, `/api/v1/cases/${caseId}/pause`, { reason: '请告知是几号楼几单元' }, auth)).status).toBe(200);
    s = await status();
    expect(s.stage).toBe('waiting');
    expect(s.question?.text).toBe('请告知是几号楼几单元');

    const r = await postJson(app, `/api/v1/messages/${message.trackingNo}/supplement`, { code: message.queryCode, text: '3 号楼 2 单元' });
    expect(r.status).toBe(200);
    s = await status();
    expect(s.stage).not.toBe('waiting');
    // answered: the question is no longer open, the answer is the resident's own
    expect(s.question).toBeNull();
    expect(s.supplements.map((x) => x.text)).toEqual(['3 号楼 2 单元']);
  });

  it('never shows one resident what another resident of the same case answered', async () => {
    const { caseId, message: first } = await openTestCase(db.sql, { department: 'urban-mgmt', message: { body: '小区门口的路灯不亮了。' } });
    const second = await attachMessage(db.sql, caseId, { body: '小区门口路灯坏了，晚上很黑。' });
    const dept = await staffToken(db.sql, 'department', 'urban-mgmt');
    const auth = { authorization: `Bearer ${dept}` };
    expect((await postJson(app, `/api/v1/cases/${caseId}/accept`, {}, auth)).status).toBe(200);
    expect((await postJson(app, `/api/v1/cases/${caseId}/pause`, { reason: '请告知具体是哪个门' }, auth)).status).toBe(200);
    const r = await postJson(app, `/api/v1/messages/${second.trackingNo}/supplement`, { code: second.queryCode, text: '我是李四，电话13912345678，北门' });
    expect(r.status).toBe(200);
    const read = async (m: { trackingNo: string; queryCode: string }) => (await (await app.request(`/api/v1/messages/${m.trackingNo}?code=${m.queryCode}`)).json()) as Status;
    expect((await read(second)).supplements.map((x) => x.text)).toEqual(['我是李四，电话13912345678，北门']);
    expect((await read(first)).supplements).toEqual([]);
    expect(JSON.stringify(await read(first))).not.toContain('13912345678');
  });
});
