// 公开留言选登: only answered cases whose resident consented, with reply and rating; personal data
// masked in the raw response body (name, phone, ID number), also for search; paginated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOnCase } from '../core/cases/act-on-case';
import { hotlineOrderSchema, hotlineOrderToIncoming } from '../core/channels/hotline/order';
import { incomingMessageSchema } from '../core/messages/incoming';
import { InProcessQueue } from '../core/queue/in-process';
import { postJson, testApp } from './support/app';
import { openTestCase, serviceDeps } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;

const NAME = '欧阳建国';
const PHONE = '13905537788';
const ID = '11010519491231002X';
const clerk = { role: 'department' as const, id: 'clerk', departmentId: 'urban-mgmt' };
const centre = { role: 'centre' as const, id: 'centre-1' };

async function answered(opts: { consent: boolean; title?: string; body: string; reply: string; close?: boolean; rating?: '满意' | '基本满意' | '不满意' }) {
  const { caseId, message } = await openTestCase(db.sql, { message: { isPublic: opts.consent, title: opts.title ?? null, body: opts.body, contactName: NAME, contactPhone: PHONE } });
  const deps = serviceDeps(db.sql);
  await actOnCase(deps, caseId, { type: 'accept' }, { actor: clerk });
  await actOnCase(deps, caseId, { type: 'reply', text: opts.reply }, { actor: clerk });
  if (opts.close || opts.rating) await actOnCase(deps, caseId, { type: 'close' }, { actor: centre });
  if (opts.rating) await actOnCase(deps, caseId, { type: 'rate', rating: opts.rating }, { actor: { role: 'resident', id: `resident:${message.trackingNo}` } });
  return { caseId, trackingNo: message.trackingNo };
}

let published: { caseId: number; trackingNo: string };
let rated: { caseId: number; trackingNo: string };
let privateOne: { trackingNo: string };
let unanswered: { trackingNo: string };

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue({ concurrency: 1 });
  app = testApp(db, queue);
  published = await answered({
    consent: true,
    body: `我是${NAME}，身份证${ID}，电话${PHONE}。弋江区中山南路的井盖松动，车辆经过响声很大，请维修。`,
    reply: `${NAME}您好：经核实，中山南路井盖已于当日加固。如有疑问请拨打${PHONE}或本单位电话 0553-1234503 与我们联系。`,
  });
  rated = await answered({ consent: true, body: '鸠江区湾里路路灯不亮已经一周，晚上出行不便，请尽快修复。', reply: '您好，路灯线路已修复，现已正常照明。', rating: '满意' });
  privateOne = await answered({ consent: false, body: '镜湖区某小区噪音扰民，物业不管，请处理。', reply: '您好，已责成物业整改。' });
  unanswered = (await openTestCase(db.sql, { message: { isPublic: true, body: '繁昌区某路段积水严重，请疏通下水道。' } })).message;
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

type Page = { total: number; page: number; pageSize: number; items: { trackingNo: string; body: string; reply: string | null; rating: string | null; department: string | null; statusLabel: string }[] };

describe('public board', () => {
  it('lists only answered cases whose resident consented, with reply, rating and department', async () => {
    const res = await app.request('/api/v1/board');
    expect(res.status).toBe(200);
    const page = (await res.json()) as Page;
    const ids = page.items.map((i) => i.trackingNo);
    expect(ids).toEqual(expect.arrayContaining([published.trackingNo, rated.trackingNo]));
    expect(ids).not.toContain(privateOne.trackingNo);
    expect(ids).not.toContain(unanswered.trackingNo);
    expect(page.total).toBe(2);
    const r = page.items.find((i) => i.trackingNo === rated.trackingNo)!;
    expect(r).toMatchObject({ rating: '满意', reply: '您好，路灯线路已修复，现已正常照明。', statusLabel: '已回访' });
    expect(r.department).toBeTruthy();
  });

  it('never lets the name, phone or ID number out, in the list, one entry or a search', async () => {
    for (const url of ['/api/v1/board', `/api/v1/board/${published.trackingNo}`, '/api/v1/board?q=井盖', `/api/v1/board?q=${encodeURIComponent('欧阳')}`]) {
      const raw = await (await app.request(url)).text();
      for (const leak of [NAME, PHONE, ID, '建国']) expect(raw, `${url} leaks ${leak}`).not.toContain(leak);
    }
    const one = (await (await app.request(`/api/v1/board/${published.trackingNo}`)).json()) as Page['items'][number];
    expect(one.body).toContain('井盖松动');
    expect(one.reply).toContain('井盖已于当日加固');
    // the department's own public number stays readable; the resident's is masked
    expect(one.reply).toContain('0553-1234503');
  });

  it('searches the masked text only: a word finds, the resident\'s phone or name does not', async () => {
    const word = (await (await app.request(`/api/v1/board?q=${encodeURIComponent('井盖')}`)).json()) as Page;
    expect(word.items.map((i) => i.trackingNo)).toEqual([published.trackingNo]);
    const reply = (await (await app.request(`/api/v1/board?q=${encodeURIComponent('照明')}`)).json()) as Page;
    expect(reply.items.map((i) => i.trackingNo)).toEqual([rated.trackingNo]);
    for (const probe of [PHONE, NAME, ID, '100%']) {
      const r = (await (await app.request(`/api/v1/board?q=${encodeURIComponent(probe)}`)).json()) as Page;
      expect(r.total, probe).toBe(0);
    }
  });

  it('pages, and refuses bad paging with field messages in Chinese', async () => {
    const p1 = (await (await app.request('/api/v1/board?pageSize=1&page=1')).json()) as Page;
    const p2 = (await (await app.request('/api/v1/board?pageSize=1&page=2')).json()) as Page;
    expect(p1).toMatchObject({ total: 2, page: 1, pageSize: 1 });
    expect(p1.items).toHaveLength(1);
    expect(p2.items).toHaveLength(1);
    expect(p1.items[0].trackingNo).not.toBe(p2.items[0].trackingNo);
    const bad = await app.request('/api/v1/board?page=0&pageSize=500');
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { details: { field: string; message: string }[] } };
    expect(body.error.details).toEqual(expect.arrayContaining([{ field: 'page', message: '页码从 1 开始' }, { field: 'pageSize', message: '每页最多 50 条' }]));
  });

  it('an entry not published is a 404; a reopened case leaves the board', async () => {
    expect((await app.request(`/api/v1/board/${privateOne.trackingNo}`)).status).toBe(404);
    expect((await app.request('/api/v1/board/nonsense')).status).toBe(400);
    // 不满意 reopens the case (重办): it was on the board while answered and leaves it now
    const unhappy = await answered({ consent: true, body: '南陵县某路口红绿灯时间太短，行人来不及通过。', reply: '您好，已调整配时。', close: true });
    const before = (await (await app.request('/api/v1/board')).json()) as Page;
    expect(before.items.map((i) => i.trackingNo)).toContain(unhappy.trackingNo);
    await actOnCase(serviceDeps(db.sql), unhappy.caseId, { type: 'rate', rating: '不满意' }, { actor: { role: 'resident', id: `resident:${unhappy.trackingNo}` } });
    const after = (await (await app.request('/api/v1/board')).json()) as Page;
    expect(after.items.map((i) => i.trackingNo).sort()).toEqual([published.trackingNo, rated.trackingNo].sort());
  });

  it('shows the title once: the body does not repeat it', async () => {
    // the case summary is the analysed text, which leads with the title (标题。正文)
    const titled = await answered({ consent: true, title: '桥下积水', body: '桥下积水。弋江区某路桥下雨后积水很深，行人无法通过。', reply: '您好，已安排疏通排水口。' });
    const entry = (await (await app.request(`/api/v1/board/${titled.trackingNo}`)).json()) as { title: string; body: string };
    expect(entry.title).toBe('桥下积水');
    expect(entry.body).toBe('弋江区某路桥下雨后积水很深，行人无法通过。');
  });

  it('the portal form stores consent only when given: no by default', async () => {
    const form = { title: '路灯不亮', content: '赭山路的路灯一直不亮，晚上很黑', contactName: '王女士', phone: '13805531234' };
    const without = (await (await postJson(app, '/api/v1/messages', form)).json()) as { trackingNo: string };
    const withConsent = (await (await postJson(app, '/api/v1/messages', { ...form, isPublic: true })).json()) as { trackingNo: string };
    const rows = await db.sql<{ trackingNo: string; isPublic: boolean }[]>`SELECT tracking_no, is_public FROM messages WHERE tracking_no IN ${db.sql([without.trackingNo, withConsent.trackingNo])}`;
    expect(Object.fromEntries(rows.map((r) => [r.trackingNo, r.isPublic]))).toEqual({ [without.trackingNo]: false, [withConsent.trackingNo]: true });
  });

  it('the hotline work order carries the operator\'s consent question; no answer is no, as on every channel', () => {
    const order = { orderNo: 'WH-1', callTime: '2026-03-02 09:15:00', callerPhone: '13905531234', content: '来电反映路灯不亮，请处理。' };
    const asked = hotlineOrderToIncoming(hotlineOrderSchema.parse({ ...order, publicConsent: true }), '{}');
    const notAsked = hotlineOrderToIncoming(hotlineOrderSchema.parse(order), '{}');
    expect(asked.isPublic).toBe(true);
    expect(notAsked.isPublic).toBe(false);
    const { isPublic: _omit, ...rest } = notAsked;
    expect(incomingMessageSchema.parse(rest).isPublic).toBe(false);
  });
});
