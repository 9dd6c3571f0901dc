// F16: concurrent WeChat sends share one access-token fetch — at first, and when WeChat says the
// token expired — instead of each asking (each fetch also makes the token the others got stale).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wechatSettings } from '../core/channels/settings';
import { WechatClient } from '../core/channels/wechat/client';
import { testConfig } from './support/app';
import { createTestDatabase, type TestDatabase } from './support/db';
import { startFakeWechat, type FakeWechat } from './fakes/wechat-server';

let db: TestDatabase;
let fake: FakeWechat;
let client: WechatClient;

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await startFakeWechat();
  const config = testConfig({ WECHAT_TOKEN: 't', WECHAT_APP_ID: fake.appId, WECHAT_APP_SECRET: fake.appSecret, WECHAT_API_BASE: fake.base });
  client = new WechatClient(wechatSettings(config)!, db.sql);
});
afterAll(async () => {
  await fake?.close();
  await db?.close();
});

const sendMany = (n: number) => Promise.all(Array.from({ length: n }, (_, i) => client.sendText(`oUser_${i}`, `答复 ${i}`)));

describe('WeChat access token', () => {
  it('17 concurrent sends with no token yet: one fetch', async () => {
    const before = fake.tokenRequests;
    await sendMany(17);
    expect(fake.tokenRequests).toBe(before + 1);
  });

  it('17 concurrent sends that all meet an expired token: one refresh, every message sent once', async () => {
    const before = { tokens: fake.tokenRequests, sent: fake.sent.length };
    fake.expireTokens();
    await sendMany(17);
    expect(fake.tokenRequests).toBe(before.tokens + 1);
    expect(fake.sent.length).toBe(before.sent + 17);
  });
});
