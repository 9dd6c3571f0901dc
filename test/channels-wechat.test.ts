// WeChat end to end against a fake WeChat API: callback in (plaintext and safe mode) → stored →
// case → reply out through the customer-service API, once, with token refresh.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSenders } from '../core/outbox/senders';
import { queueOutbox } from '../core/outbox/enqueue';
import { sendOutbox } from '../core/outbox/send';
import { getOutbox } from '../core/db/outbox';
import { wechatSettings } from '../core/channels/settings';
import { wechatSignature } from '../core/channels/wechat/signature';
import type { InProcessQueue } from '../core/queue/in-process';
import { silentLogger, testApp, testConfig } from './support/app';
import { channelPipeline, textXml, wechatPost } from './support/channels';
import { createTestDatabase, type TestDatabase } from './support/db';
import { waitFor } from './support/pipeline';
import { startFakeWechat, type FakeWechat } from './fakes/wechat-server';

const TOKEN = 'minsheng-wechat-token';
const AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';

let db: TestDatabase;
let fake: FakeWechat;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
let config: ReturnType<typeof testConfig>;

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await startFakeWechat();
  config = testConfig({ WECHAT_TOKEN: TOKEN, WECHAT_ENCODING_AES_KEY: AES_KEY, WECHAT_APP_ID: fake.appId, WECHAT_APP_SECRET: fake.appSecret, WECHAT_API_BASE: fake.base });
  queue = channelPipeline(db, config);
  app = testApp(db, queue, config);
});
afterAll(async () => {
  await queue?.close();
  await fake?.close();
  await db?.close();
});

const count = async (sqlText: string) => (await db.sql.unsafe<{ n: number }[]>(sqlText))[0].n;
let msgSeq = 7_000_000_000_000_000;
const nextMsgId = () => String(++msgSeq);

describe('GET URL verification', () => {
  it('echoes echostr when the signature is right', async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const q = new URLSearchParams({ timestamp: ts, nonce: '12345', echostr: 'echo-5839', signature: wechatSignature(TOKEN, ts, '12345') });
    const res = await app.request(`/api/v1/channels/wechat?${q}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('echo-5839');
  });

  it('401 on a wrong signature and on a stale timestamp, with the reason', async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const wrong = await app.request(`/api/v1/channels/wechat?${new URLSearchParams({ timestamp: ts, nonce: '1', echostr: 'x', signature: 'a'.repeat(40) })}`);
    expect(wrong.status).toBe(401);
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    const stale = await app.request(`/api/v1/channels/wechat?${new URLSearchParams({ timestamp: old, nonce: '1', echostr: 'x', signature: wechatSignature(TOKEN, old, '1') })}`);
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { error: { message: string } }).error.message).toMatch(/stale timestamp/);
  });

  it('503 when the channel is not configured', async () => {
    const bare = testApp(db, queue, testConfig());
    const res = await bare.request('/api/v1/channels/wechat?timestamp=1&nonce=1&echostr=x&signature=x');
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/WECHAT_TOKEN/);
  });
});

describe('POST messages', () => {
  it('stores a plaintext text message, answers success, and the pipeline opens a case', async () => {
    const msgId = nextMsgId();
    const xml = textXml({ msgId, content: '镜湖区北京中路的路灯坏了一个星期了，晚上很黑，希望尽快修理' });
    const res = await wechatPost(app, xml, { token: TOKEN });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('success');
    const [m] = await db.sql<{ raw: string; channel: string; caseId: number | null; id: number }[]>`
      SELECT id, raw, channel, case_id AS "caseId" FROM messages WHERE channel = 'wechat' AND external_id = ${msgId}`;
    expect(m.raw).toBe(xml);
    const caseId = await waitFor(async () => (await db.sql<{ caseId: number | null }[]>`SELECT case_id AS "caseId" FROM messages WHERE id = ${m.id}`)[0].caseId);
    expect(caseId).toBeGreaterThan(0);
  });

  it('a duplicate delivery (WeChat retries) is 200 success and stores nothing new', async () => {
    const msgId = nextMsgId();
    const xml = textXml({ msgId, content: '弋江区某小区电梯经常停运' });
    for (let i = 0; i < 3; i++) {
      const res = await wechatPost(app, xml, { token: TOKEN });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('success');
    }
    expect(await count(`SELECT count(*)::int AS n FROM messages WHERE external_id = '${msgId}'`)).toBe(1);
  });

  it('safe mode: decrypts, checks msg_signature and appid, stores the message', async () => {
    const msgId = nextMsgId();
    const res = await wechatPost(app, textXml({ msgId, content: '鸠江区的垃圾站臭味很大' }), { token: TOKEN, aesKey: AES_KEY, appId: fake.appId });
    expect(res.status).toBe(200);
    expect(await count(`SELECT count(*)::int AS n FROM messages WHERE external_id = '${msgId}'`)).toBe(1);
    const wrongSig = await wechatPost(app, textXml({ msgId: nextMsgId(), content: 'x' }), { token: TOKEN, aesKey: AES_KEY, appId: fake.appId, badSignature: true });
    expect(wrongSig.status).toBe(401);
    const wrongApp = await wechatPost(app, textXml({ msgId: nextMsgId(), content: 'x' }), { token: TOKEN, aesKey: AES_KEY, appId: 'wx0000000000000000' });
    expect(wrongApp.status).toBe(401);
    expect(((await wrongApp.json()) as { error: { message: string } }).error.message).toMatch(/appid/);
  });

  it('maps voice (Recognition), image, location, link and events', async () => {
    const t = Math.floor(Date.now() / 1000);
    const head = (type: string) => `<ToUserName><![CDATA[gh_5a1f0c9e7d21]]></ToUserName><FromUserName><![CDATA[oUser_map]]></FromUserName><CreateTime>${t}</CreateTime><MsgType><![CDATA[${type}]]></MsgType>`;
    const ids = { voice: nextMsgId(), image: nextMsgId(), location: nextMsgId(), link: nextMsgId() };
    const docs = [
      `<xml>${head('voice')}<MediaId><![CDATA[media1]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[我家楼下的下水道堵了]]></Recognition><MsgId>${ids.voice}</MsgId></xml>`,
      `<xml>${head('image')}<PicUrl><![CDATA[http://mmbiz.qpic.cn/x.jpg]]></PicUrl><MediaId><![CDATA[m2]]></MediaId><MsgId>${ids.image}</MsgId></xml>`,
      `<xml>${head('location')}<Location_X>31.3526</Location_X><Location_Y>118.4331</Location_Y><Scale>15</Scale><Label><![CDATA[安徽省芜湖市镜湖区中山路步行街]]></Label><MsgId>${ids.location}</MsgId></xml>`,
      `<xml>${head('link')}<Title><![CDATA[占道经营的照片]]></Title><Description><![CDATA[赭山公园门口]]></Description><Url><![CDATA[http://example.cn/a]]></Url><MsgId>${ids.link}</MsgId></xml>`,
      `<xml>${head('event')}<Event><![CDATA[subscribe]]></Event></xml>`,
      `<xml>${head('event')}<Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[MENU_COMPLAINT]]></EventKey></xml>`,
    ];
    for (const d of docs) {
      const res = await wechatPost(app, d, { token: TOKEN });
      expect(res.status, d).toBe(200);
    }
    const rows = await db.sql<{ externalId: string; body: string; location: { lat: number } | null; state: string }[]>`
      SELECT external_id AS "externalId", body, location, state FROM messages WHERE contact_handle = 'oUser_map' ORDER BY id`;
    const by = Object.fromEntries(rows.map((r) => [r.externalId, r]));
    expect(by[ids.voice].body).toBe('我家楼下的下水道堵了');
    expect(by[ids.image].body).toMatch(/x\.jpg/);
    expect(by[ids.location].location?.lat).toBeCloseTo(31.3526);
    expect(by[ids.link].body).toMatch(/赭山公园/);
    // events: stored once under FromUserName:CreateTime:Event, and not turned into cases
    expect(by[`oUser_map:${t}:subscribe`].state).toBe('processed');
    expect(by[`oUser_map:${t}:CLICK`].body).toMatch(/MENU_COMPLAINT/);
  });

  it('bad input: malformed XML 400 with a reject row, 415, 413, wrong signature 401, stale 401', async () => {
    const broken = '<xml><ToUserName>gh</ToUserName><Content>unclosed';
    const bad = await wechatPost(app, broken, { token: TOKEN });
    expect(bad.status).toBe(400);
    const [r] = await db.sql<{ reason: string }[]>`SELECT reason FROM rejects WHERE channel = 'wechat' AND raw = ${broken}`;
    expect(r.reason).toMatch(/malformed XML/);
    const missing = '<xml><ToUserName>gh</ToUserName><MsgType>text</MsgType></xml>';
    expect((await wechatPost(app, missing, { token: TOKEN })).status).toBe(400);
    expect(await count(`SELECT count(*)::int AS n FROM rejects WHERE channel = 'wechat'`)).toBe(2);
    expect((await wechatPost(app, textXml({ msgId: nextMsgId(), content: 'x' }), { token: TOKEN, contentType: 'application/json' })).status).toBe(415);
    expect((await wechatPost(app, textXml({ msgId: nextMsgId(), content: '长'.repeat(40_000) }), { token: TOKEN })).status).toBe(413);
    expect((await wechatPost(app, textXml({ msgId: nextMsgId(), content: 'x' }), { token: TOKEN, badSignature: true })).status).toBe(401);
    const stale = await wechatPost(app, textXml({ msgId: nextMsgId(), content: 'x' }), { token: TOKEN, timestamp: String(Math.floor(Date.now() / 1000) - 900) });
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { error: { message: string } }).error.message).toMatch(/stale timestamp/);
  });
});

describe('replies through the customer-service API', () => {
  async function caseFromWechat(content: string, from: string) {
    const msgId = nextMsgId();
    await wechatPost(app, textXml({ msgId, content, from }), { token: TOKEN });
    return waitFor(async () => {
      const [m] = await db.sql<{ id: number; caseId: number | null }[]>`SELECT id, case_id AS "caseId" FROM messages WHERE external_id = ${msgId}`;
      return m?.caseId ? m : undefined;
    });
  }

  it('sends the reply once through the fake, caching the token', async () => {
    const m = await caseFromWechat('湾沚区某路段积水严重，车辆无法通行', 'oUser_reply_1');
    const before = fake.sent.length;
    const { row } = await queueOutbox({ sql: db.sql, queue, log: silentLogger }, { idempotencyKey: `test-reply-${m.id}`, caseId: m.caseId, messageId: m.id, channel: 'wechat', recipient: 'oUser_reply_1', kind: 'reply', payload: { text: '您好，已安排排水部门处理。' } });
    await queue.drain();
    const sent = await getOutbox(db.sql, row.id);
    expect(sent?.status).toBe('sent');
    expect(sent?.providerRef).toMatch(/^wechat:/);
    expect(fake.sent.length).toBe(before + 1);
    expect(fake.sent.at(-1)).toMatchObject({ touser: 'oUser_reply_1', msgtype: 'text' });
    expect(fake.sent.at(-1)?.text?.content).toMatch(/已安排排水部门处理/);
    // the same idempotency key again: no second row, no second send
    const again = await queueOutbox({ sql: db.sql, queue, log: silentLogger }, { idempotencyKey: `test-reply-${m.id}`, channel: 'wechat', kind: 'reply', payload: { text: 'x' } });
    expect(again.created).toBe(false);
    await queue.drain();
    expect(fake.sent.length).toBe(before + 1);
  });

  it('token expired (42001): refreshes once and resends', async () => {
    const m = await caseFromWechat('繁昌区菜市场门口乱停车', 'oUser_reply_2');
    const tokensBefore = fake.tokenRequests;
    const sentBefore = fake.sent.length;
    fake.expireTokens();
    const { row } = await queueOutbox({ sql: db.sql, queue, log: silentLogger }, { idempotencyKey: `test-expiry-${m.id}`, messageId: m.id, channel: 'wechat', recipient: 'oUser_reply_2', kind: 'reply', payload: { text: '已通知城管。' } });
    await queue.drain();
    expect((await getOutbox(db.sql, row.id))?.status).toBe('sent');
    expect(fake.tokenRequests).toBe(tokensBefore + 1);
    expect(fake.sent.length).toBe(sentBefore + 1);
  });

  it('a worker killed after the send and before marking it: the retry does not send again (at most once)', async () => {
    const m = await caseFromWechat('南陵县某小区供暖不热', 'oUser_reply_3');
    const { row } = await queueOutbox({ sql: db.sql, queue: { ...queue, enqueue: async () => {} } as never, log: silentLogger }, { idempotencyKey: `test-kill-${m.id}`, messageId: m.id, channel: 'wechat', recipient: 'oUser_reply_3', kind: 'reply', payload: { text: '已转供热公司。' } });
    const senders = buildSenders({ sql: db.sql, now: () => new Date(), wechat: wechatSettings(config), weibo: null });
    const before = fake.sent.length;
    const t0 = new Date();
    await expect(
      sendOutbox({ sql: db.sql, senders, now: () => t0, afterProviderCall: () => { throw new Error('killed'); } }, row.id),
    ).rejects.toThrow('killed');
    expect(fake.sent.length).toBe(before + 1);
    expect((await getOutbox(db.sql, row.id))?.status).toBe('sending');
    // another worker while the lease holds: nothing happens
    expect((await sendOutbox({ sql: db.sql, senders, now: () => new Date(t0.getTime() + 1000) }, row.id)).status).toBe('busy');
    // after the lease ran out: the outcome is unknown and WeChat cannot be asked, so no resend
    const later = await sendOutbox({ sql: db.sql, senders, now: () => new Date(t0.getTime() + 120_000) }, row.id);
    expect(later).toMatchObject({ status: 'failed', outcomeUnknown: true });
    expect(fake.sent.length).toBe(before + 1);
    const final = await getOutbox(db.sql, row.id);
    expect(final).toMatchObject({ status: 'failed', outcomeUnknown: true, attempts: 2 });
  });
});
