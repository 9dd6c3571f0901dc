// SMS receipts to hotline callers through the outbox and Aliyun Dysmsapi, against a fake server that
// verifies the signature: sent, signature rejected (permanent), flow control retried; and with no
// provider configured nothing is sent and residents are told 短信未开通.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOutbox } from '../core/db/outbox';
import { buildSenders } from '../core/outbox/senders';
import { sendOutbox } from '../core/outbox/send';
import type { InProcessQueue } from '../core/queue/in-process';
import { createSmsSender } from '../core/sms/sender';
import { testApp, testConfig } from './support/app';
import { channelPipeline, hotlinePost } from './support/channels';
import { createTestDatabase, type TestDatabase } from './support/db';
import { waitFor } from './support/pipeline';
import { startFakeAliyunSms, type FakeAliyunSms } from './fakes/aliyun-sms-server';

const SECRET = 'hotline-shared-secret-0123456789';
const SMS = { SMS_PROVIDER: 'aliyun', SMS_ACCESS_KEY_ID: 'LTAI-test-id', SMS_ACCESS_KEY_SECRET: 'test-secret-value', SMS_SIGN_NAME: '民声', SMS_TEMPLATE_CODE: 'SMS_900001' };
let db: TestDatabase;
let fake: FakeAliyunSms;
let queue: InProcessQueue;
let plainQueue: InProcessQueue;
let app: ReturnType<typeof testApp>;
let plainApp: ReturnType<typeof testApp>;
let config: ReturnType<typeof testConfig>;

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await startFakeAliyunSms({ accessKeyId: SMS.SMS_ACCESS_KEY_ID, accessKeySecret: SMS.SMS_ACCESS_KEY_SECRET, signName: SMS.SMS_SIGN_NAME, templateCode: SMS.SMS_TEMPLATE_CODE, templateVars: ['trackingNo', 'code'] });
  config = testConfig({ HOTLINE_WEBHOOK_SECRET: SECRET, ...SMS, SMS_ENDPOINT: fake.base });
  queue = channelPipeline(db, config);
  app = testApp(db, queue, config);
  const plain = testConfig({ HOTLINE_WEBHOOK_SECRET: SECRET });
  plainQueue = channelPipeline(db, plain);
  plainApp = testApp(db, plainQueue, plain);
});
afterAll(async () => {
  await queue?.close();
  await plainQueue?.close();
  await fake?.close();
  await db?.close();
});

const order = (orderNo: string, callerPhone = '13905531234') => ({
  orderNo, callTime: new Date().toISOString(), callerPhone, content: '来电人反映小区门口路灯不亮，请处理。', category: '城市管理',
});
type Hotline = { trackingNo: string; queryCode: string; sms: { status: string; note: string } };
type Status = { sms: { enabled: boolean; note: string | null } };

describe('SMS receipt by Aliyun Dysmsapi', () => {
  it('a hotline caller gets the tracking number and 查询码 by SMS, once, through the outbox', async () => {
    const res = await hotlinePost(app, order('SMS-OK-1'), { secret: SECRET });
    expect(res.status).toBe(201);
    const a = (await res.json()) as Hotline;
    expect(a.sms.status).toBe('queued');
    await waitFor(async () => fake.sent.find((s) => s.templateParam.trackingNo === a.trackingNo), undefined, undefined, 'the fake received the SMS');
    const s = fake.sent.find((x) => x.templateParam.trackingNo === a.trackingNo)!;
    expect(s).toMatchObject({ phone: '13905531234', signName: '民声', templateCode: 'SMS_900001', templateParam: { trackingNo: a.trackingNo, code: a.queryCode } });
    await waitFor(async () => (await db.sql<{ status: string }[]>`SELECT status FROM outbox WHERE idempotency_key LIKE 'sms-receipt:%' AND payload ->> 'trackingNo' = ${a.trackingNo}`)[0]?.status === 'sent');
    const [row] = await db.sql<{ providerRef: string }[]>`SELECT provider_ref FROM outbox WHERE payload ->> 'trackingNo' = ${a.trackingNo} AND channel = 'sms'`;
    expect(row.providerRef).toBe(`aliyun:${s.bizId}`);
    // a repeated delivery of the order queues no second SMS
    await hotlinePost(app, order('SMS-OK-1'), { secret: SECRET });
    expect((await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM outbox WHERE channel = 'sms' AND payload ->> 'trackingNo' = ${a.trackingNo}`)[0].n).toBe(1);
    const status = (await (await app.request(`/api/v1/messages/${a.trackingNo}?code=${a.queryCode}`)).json()) as Status;
    expect(status.sms.enabled).toBe(true);
    expect(status.sms.note).toContain('短信发送');
  });

  it('a landline caller gets no SMS, and says so', async () => {
    const a = (await (await hotlinePost(app, order('SMS-LANDLINE-1', '0553-5551234'), { secret: SECRET })).json()) as Hotline;
    expect(a.sms.status).toBe('no-mobile');
  });

  const smsRow = async (key: string) =>
    (await insertOutbox(db.sql, { idempotencyKey: key, channel: 'sms', recipient: '13900002222', kind: 'receipt-sms', payload: { text: 'x', trackingNo: 'MS2612020000009', code: 'ABC234' } })).row;

  it('a wrong secret: the fake answers SignatureDoesNotMatch and the row fails for good', async () => {
    const wrong = createSmsSender(testConfig({ ...SMS, SMS_ACCESS_KEY_SECRET: 'not-the-secret', SMS_ENDPOINT: fake.base }));
    const senders = buildSenders({ sql: db.sql, now: () => new Date(), wechat: null, weibo: null, sms: wrong });
    const row = await smsRow('sms-test:wrong-secret');
    const out = await sendOutbox({ sql: db.sql, senders, now: () => new Date() }, row.id);
    expect(out.status).toBe('failed');
    expect(out.status === 'failed' && out.error).toMatch(/SignatureDoesNotMatch/);
    expect(fake.log.at(-1)?.code).toBe('SignatureDoesNotMatch');
  });

  it('flow control (isv.BUSINESS_LIMIT_CONTROL) and an outage are retried with backoff, then sent', async () => {
    const sender = createSmsSender(config);
    // the row first: it is due from the database's now() at insert, which the test's clock must not precede
    const row = await smsRow('sms-test:retry');
    let now = new Date(Date.now() + 1000);
    const senders = buildSenders({ sql: db.sql, now: () => now, wechat: null, weibo: null, sms: sender });
    const deps = { sql: db.sql, senders, now: () => now };
    fake.failNext('isv.BUSINESS_LIMIT_CONTROL');
    fake.failNext('ServiceUnavailable');
    const first = await sendOutbox(deps, row.id);
    expect(first.status).toBe('retry');
    if (first.status !== 'retry') return;
    expect(first.error).toMatch(/BUSINESS_LIMIT_CONTROL/);
    // not due yet: nothing is sent
    expect((await sendOutbox(deps, row.id)).status).toBe('busy');
    now = new Date(first.at.getTime() + 1000);
    const second = await sendOutbox(deps, row.id);
    expect(second.status).toBe('retry');
    now = new Date((second as { at: Date }).at.getTime() + 1000);
    const third = await sendOutbox(deps, row.id);
    expect(third.status).toBe('sent');
    expect(fake.log.slice(-3).map((l) => l.code)).toEqual(['isv.BUSINESS_LIMIT_CONTROL', 'ServiceUnavailable', 'OK']);
  });

  it('unconfigured: nothing is sent and the intake answer and the status page say 短信未开通', async () => {
    const before = fake.log.length;
    const res = await hotlinePost(plainApp, order('SMS-OFF-1'), { secret: SECRET });
    const a = (await res.json()) as Hotline;
    expect(a.sms.status).toBe('not-enabled');
    expect(a.sms.note).toContain('短信未开通');
    expect((await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM outbox WHERE channel = 'sms' AND payload ->> 'trackingNo' = ${a.trackingNo}`)[0].n).toBe(0);
    const status = (await (await plainApp.request(`/api/v1/messages/${a.trackingNo}?code=${a.queryCode}`)).json()) as Status;
    expect(status.sms).toMatchObject({ enabled: false });
    expect(status.sms.note).toContain('短信未开通');
    expect(fake.log.length).toBe(before);
  });
});
