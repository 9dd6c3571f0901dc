// Weibo against a fake Weibo API: polling with a persisted since_id, rate limits with backoff and
// no loss, comments → cases, and replies by comment that are not repeated after a lost answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getChannelCursor } from '../core/db/channel-cursors';
import { getOutbox } from '../core/db/outbox';
import { weiboSettings } from '../core/channels/settings';
import { WeiboClient } from '../core/channels/weibo/client';
import { pollWeibo } from '../core/channels/weibo/poller';
import { queueOutbox } from '../core/outbox/enqueue';
import { sendOutbox } from '../core/outbox/send';
import { buildSenders } from '../core/outbox/senders';
import type { InProcessQueue } from '../core/queue/in-process';
import { silentLogger, testConfig } from './support/app';
import { channelPipeline } from './support/channels';
import { createTestDatabase, type TestDatabase } from './support/db';
import { waitFor } from './support/pipeline';
import { startFakeWeibo, type FakeWeibo } from './fakes/weibo-server';

const ACCOUNT = '7000000001';
let db: TestDatabase;
let fake: FakeWeibo;
let queue: InProcessQueue;
let config: ReturnType<typeof testConfig>;
let clock = Date.now();
const now = () => new Date(clock);

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await startFakeWeibo();
  fake.tokens.set('weibo-token-1', ACCOUNT);
  config = testConfig({ WEIBO_ACCESS_TOKEN: 'weibo-token-1', WEIBO_API_BASE: fake.base, WEIBO_ACCOUNTS: ACCOUNT });
  queue = channelPipeline(db, config, { now });
});
afterAll(async () => {
  await queue?.close();
  await fake?.close();
  await db?.close();
});

const poll = () => pollWeibo({ sql: db.sql, queue, client: new WeiboClient(fake.base), now }, weiboSettings(config)!.accounts);
const weiboCount = async () => (await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM messages WHERE channel = 'weibo'`)[0].n;

describe('Weibo poller', () => {
  it('stores new comments and mentions, advances since_id and persists it', async () => {
    fake.addComment(ACCOUNT, 'to_me', { idstr: '4986000000000001', text: '镜湖区银湖北路的井盖丢了，很危险！@芜湖发布' });
    fake.addComment(ACCOUNT, 'to_me', { idstr: '4986000000000002', text: '弋江区花津路噪音扰民，半夜施工' });
    fake.addComment(ACCOUNT, 'mentions', { idstr: '4986000000000003', text: '@芜湖发布 鸠江区公交站台的顶棚坏了' });
    const r = await poll();
    expect(r.map((x) => x.created)).toEqual([2, 1]);
    expect(await getChannelCursor(db.sql, 'weibo', `${ACCOUNT}/comments/to_me`)).toBe('4986000000000002');
    expect(await getChannelCursor(db.sql, 'weibo', `${ACCOUNT}/comments/mentions`)).toBe('4986000000000003');
    // the next poll asks only for what is newer
    fake.addComment(ACCOUNT, 'to_me', { idstr: '4986000000000010', text: '繁昌区自来水发黄' });
    const r2 = await poll();
    expect(r2[0]).toMatchObject({ fetched: 1, created: 1, cursor: '4986000000000010' });
    expect(fake.requests.some((q) => q.includes('since_id=4986000000000002'))).toBe(true);
    expect(await weiboCount()).toBe(4);
    const [m] = await db.sql<{ raw: string; contactHandle: string; account: string }[]>`
      SELECT raw, contact_handle AS "contactHandle", account FROM messages WHERE external_id = '4986000000000001'`;
    expect(JSON.parse(m.raw)).toMatchObject({ idstr: '4986000000000001', status: { idstr: '4900000000000001' } });
    expect(m.account).toBe(ACCOUNT);
  });

  it('more comments than one page: all stored, cursor at the newest', async () => {
    for (let i = 0; i < 250; i++) fake.addComment(ACCOUNT, 'to_me', { idstr: String(4987000000000000n + BigInt(i)), text: `第${i}条：湾沚区某路段路灯不亮` });
    const before = await weiboCount();
    const r = await poll();
    expect(r[0].created).toBe(250);
    expect(await weiboCount()).toBe(before + 250);
    expect(await getChannelCursor(db.sql, 'weibo', `${ACCOUNT}/comments/to_me`)).toBe('4987000000000249');
  });

  it('rate limit (10023): backs off, keeps the cursor, and loses nothing once it lifts', async () => {
    fake.addComment(ACCOUNT, 'to_me', { idstr: '4988000000000001', text: '南陵县农贸市场卫生差' });
    const cursorBefore = await getChannelCursor(db.sql, 'weibo', `${ACCOUNT}/comments/to_me`);
    fake.rateLimitNext(1, 10023);
    const r = await poll();
    expect(r[0].backoffUntil).toBeInstanceOf(Date);
    expect(await getChannelCursor(db.sql, 'weibo', `${ACCOUNT}/comments/to_me`)).toBe(cursorBefore);
    // within the backoff: no request at all
    const requests = fake.requests.length;
    clock += 30_000;
    const during = await poll();
    expect(during.every((x) => x.backoffUntil)).toBe(true);
    expect(fake.requests.length).toBe(requests);
    // after it: the comment arrives
    clock += 60_000;
    const after = await poll();
    expect(after[0]).toMatchObject({ created: 1, cursor: '4988000000000001' });
    expect(after.every((x) => !x.backoffUntil)).toBe(true);
    // after a successful poll the backoff starts again at one minute
    fake.rateLimitNext(1, 10024);
    const again = await poll();
    expect(again[0].backoffUntil!.getTime() - clock).toBe(60_000);
  });

  it('comments become cases through the pipeline', async () => {
    await queue.drain();
    const caseId = await waitFor(async () => (await db.sql<{ caseId: number | null }[]>`SELECT case_id AS "caseId" FROM messages WHERE external_id = '4986000000000001'`)[0].caseId);
    expect(caseId).toBeGreaterThan(0);
  });
});

describe('Weibo replies by comment', () => {
  async function messageId(idstr: string) {
    return (await db.sql<{ id: number }[]>`SELECT id FROM messages WHERE external_id = ${idstr}`)[0].id;
  }

  it('replies under the resident’s comment, once', async () => {
    const id = await messageId('4986000000000002');
    const { row } = await queueOutbox({ sql: db.sql, queue, log: silentLogger }, { idempotencyKey: `weibo-reply-${id}`, messageId: id, channel: 'weibo', kind: 'reply', payload: { text: '您好，已转交弋江区城管局核查夜间施工。' } });
    await queue.drain();
    const sent = await getOutbox(db.sql, row.id);
    expect(sent?.status).toBe('sent');
    const reply = fake.replies.find((r) => r.cid === '4986000000000002');
    expect(reply).toMatchObject({ account: ACCOUNT, statusId: '4900000000000001' });
    expect(sent?.providerRef).toBe(`weibo:comment:${reply!.idstr}`);
  });

  it('a worker killed after replying: the next attempt finds the reply and does not post again', async () => {
    const id = await messageId('4986000000000003');
    const { row } = await queueOutbox({ sql: db.sql, queue: { ...queue, enqueue: async () => {} } as never, log: silentLogger }, { idempotencyKey: `weibo-kill-${id}`, messageId: id, channel: 'weibo', kind: 'reply', payload: { text: '已通知公交公司维修站台。' } });
    const senders = buildSenders({ sql: db.sql, now, wechat: null, weibo: weiboSettings(config) });
    const t0 = new Date();
    await expect(sendOutbox({ sql: db.sql, senders, now: () => t0, afterProviderCall: () => { throw new Error('killed'); } }, row.id)).rejects.toThrow('killed');
    const posted = fake.replies.filter((r) => r.cid === '4986000000000003').length;
    expect(posted).toBe(1);
    const later = await sendOutbox({ sql: db.sql, senders, now: () => new Date(t0.getTime() + 120_000) }, row.id);
    expect(later).toMatchObject({ status: 'sent', confirmed: true });
    expect(fake.replies.filter((r) => r.cid === '4986000000000003').length).toBe(1);
  });
});
