// Hostile input at the edges (issue 13): what PostgreSQL cannot store, deep or huge XML, dates
// centuries away, unsigned safe-mode posts. Each answer is a 4xx saying why, never a 500, and
// what is refused changes nothing but the rejects table (unsigned posts not even that).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WechatCrypto } from '../core/channels/wechat/crypto';
import { wechatSignature } from '../core/channels/wechat/signature';
import type { InProcessQueue } from '../core/queue/in-process';
import { postJson, testApp, testConfig } from './support/app';
import { channelPipeline, hotlinePost, nowSeconds, textXml, wechatPost } from './support/channels';
import { createTestDatabase, type TestDatabase } from './support/db';
import { staffToken } from './support/cases';

const SECRET = 'hotline-shared-secret-0123456789';
const TOKEN = 'minsheng-wechat-token';
const AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;

beforeAll(async () => {
  db = await createTestDatabase();
  const config = testConfig({ HOTLINE_WEBHOOK_SECRET: SECRET, WECHAT_TOKEN: TOKEN, WECHAT_ENCODING_AES_KEY: AES_KEY, PORTAL_RATE_LIMIT: '1000' });
  queue = channelPipeline(db, config);
  app = testApp(db, queue, config);
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

const count = async (table: 'messages' | 'rejects') => (await db.sql.unsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string; details?: unknown } }).error;
const form = { title: '路灯不亮', content: '坏了\u0000了，赭山路的路灯一直不亮', contactName: '王女士', phone: '13805531234' };
const order = (orderNo: string, extra: Record<string, unknown> = {}) => ({
  orderNo,
  callTime: new Date(Date.now() - 3_600_000).toISOString(),
  callerPhone: '13905531234',
  content: '来电人反映镜湖区某小区下水道堵塞，污水外溢。',
  ...extra,
});

describe('F1: text PostgreSQL cannot store is cleaned once, where it enters', () => {
  it('portal: NUL and a lone surrogate in the form are stored without them', async () => {
    const res = await postJson(app, '/api/v1/messages', { ...form, title: '路灯\uD800不亮' });
    expect(res.status).toBe(201);
    const { trackingNo } = (await res.json()) as { trackingNo: string };
    const [m] = await db.sql<{ body: string; title: string }[]>`SELECT body, title FROM messages WHERE tracking_no = ${trackingNo}`;
    expect(m.body).toBe('坏了了，赭山路的路灯一直不亮');
    expect(m.title).toBe('路灯\uFFFD不亮');
  });

  it('hotline: NUL in the content and the caller name', async () => {
    const res = await hotlinePost(app, order('WH-NUL-1', { callerName: '钱\u0000先生', content: '下水道\u0000堵塞，污水外溢，请处理。' }), { secret: SECRET });
    expect(res.status).toBe(201);
    const [m] = await db.sql<{ body: string; contactName: string }[]>`SELECT body, contact_name AS "contactName" FROM messages WHERE external_id = 'WH-NUL-1'`;
    expect(m).toEqual({ body: '下水道堵塞，污水外溢，请处理。', contactName: '钱先生' });
  });

  it('a reject whose raw bytes hold a NUL is still kept', async () => {
    const before = await count('rejects');
    const res = await app.request('/api/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title": "坏\u0000' });
    expect(res.status).toBe(400);
    expect(await count('rejects')).toBe(before + 1);
    const bad = await hotlinePost(app, { ...order('WH-NUL-2'), callTime: '\u0000' }, { secret: SECRET });
    expect(bad.status).toBe(400);
    expect(await count('rejects')).toBe(before + 2);
  });

  it('a NUL in a tracking number is a 400 naming the field, not a database error', async () => {
    const res = await app.request(`/api/v1/messages/MS26120${encodeURIComponent('\u0000')}000001?code=ABCDEF`);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.message).toMatch(/受理编号/);
    expect(error.details).toEqual([expect.objectContaining({ field: 'trackingNo' })]);
  });
});

describe('F2: WeChat XML depth and size are bounded before parsing', () => {
  const deep = (n: number) => `<xml><ToUserName>${'<a>'.repeat(n)}x${'</a>'.repeat(n)}</ToUserName></xml>`;

  it('a signed plaintext post nested 150 deep: 400 kept as a reject', async () => {
    const before = await count('rejects');
    const res = await wechatPost(app, deep(150), { token: TOKEN });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/nested deeper/);
    expect(await count('rejects')).toBe(before + 1);
  });

  it('a signed safe-mode message whose decrypted XML is nested 150 deep: 400', async () => {
    const res = await wechatPost(app, deep(150), { token: TOKEN, aesKey: AES_KEY });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/nested deeper/);
  });
});

describe('F3/F11: every date bounded to a sane window, a 400 naming the field', () => {
  it('stats from/to centuries away', async () => {
    const leader = { headers: { authorization: `Bearer ${await staffToken(db.sql, 'leader')}` } }; // the ranking is for staff
    for (const path of ['/api/v1/stats/metrics', '/api/v1/stats/departments']) {
      for (const [field, value] of [['from', '0000-01-01T00:00:00Z'], ['to', '+275760-09-13T00:00:00Z'], ['from', '1969-12-31T00:00:00Z']]) {
        const res = await app.request(`${path}?${field}=${encodeURIComponent(value)}`, leader);
        expect(res.status, `${path} ${field}=${value}`).toBe(400);
        expect(((await errorOf(res)).details as { field: string }[]).map((d) => d.field)).toContain(field);
      }
    }
    expect((await app.request(`/api/v1/stats/metrics?from=${encodeURIComponent(new Date(Date.now() - 7 * 86_400_000).toISOString())}`)).status).toBe(200);
  });

  it('hotline callTime before 2000 or more than a day ahead: 400 on callTime, kept as a reject, no message', async () => {
    const ahead = new Date(Date.now() + 2 * 86_400_000).toISOString();
    for (const [i, callTime] of ['0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '1696-05-01 08:00', '2243-01-01 08:00', ahead, -1].entries()) {
      const before = await count('rejects');
      const res = await hotlinePost(app, order(`WH-TIME-${i}`, { callTime }), { secret: SECRET });
      expect(res.status, String(callTime)).toBe(400);
      const issues = ((await errorOf(res)).details as { issues: { field: string }[] }).issues;
      expect(issues.map((x) => x.field)).toEqual(['callTime']);
      expect(await count('rejects')).toBe(before + 1);
    }
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM messages WHERE external_id LIKE 'WH-TIME-%'`;
    expect(n).toBe(0);
    // within the window, a call from a minute ago is taken
    expect((await hotlinePost(app, order('WH-TIME-ok', { callTime: new Date(Date.now() - 60_000).toISOString() }), { secret: SECRET })).status).toBe(201);
  });

  it('WeChat CreateTime 999999999999 or 0: 400 naming CreateTime', async () => {
    for (const createTime of [999_999_999_999, 0]) {
      const res = await wechatPost(app, textXml({ msgId: String(8_100_000_000 + createTime % 7), content: '你好，路灯坏了', createTime }), { token: TOKEN });
      expect(res.status).toBe(400);
      expect((await errorOf(res)).message).toMatch(/CreateTime/);
    }
  });
});

describe('F5: safe mode checks msg_signature before anything is parsed or stored', () => {
  const envelope = (encrypt: string) => `<xml><ToUserName><![CDATA[gh_5a1f0c9e7d21]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
  const post = (body: string, q: Record<string, string>) =>
    app.request(`/api/v1/channels/wechat?${new URLSearchParams({ timestamp: nowSeconds(), nonce: '4242', encrypt_type: 'aes', ...q })}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body,
    });

  it('unsigned, wrongly signed, malformed or deep posts answer 4xx and store nothing at all', async () => {
    const before = { messages: await count('messages'), rejects: await count('rejects') };
    const encrypt = new WechatCrypto(AES_KEY).encrypt(textXml({ msgId: '8200000001', content: '未签名的消息' }), '');
    const big = envelope(randomBytes(40_000).toString('base64'));
    const cases: [string, Record<string, string>, number][] = [
      [envelope(encrypt), {}, 401],
      [big, {}, 401],
      [envelope(encrypt), { msg_signature: 'f'.repeat(40) }, 401],
      [big, { msg_signature: 'f'.repeat(40) }, 401],
      ['<xml><Encrypt>not closed', { msg_signature: 'f'.repeat(40) }, 400],
      [`<xml>${'<a>'.repeat(200)}${'</a>'.repeat(200)}</xml>`, { msg_signature: 'f'.repeat(40) }, 400],
      ['<xml><ToUserName>x</ToUserName></xml>', { msg_signature: 'f'.repeat(40) }, 400],
    ];
    for (const [body, q, status] of cases) expect((await post(body, q)).status).toBe(status);
    expect({ messages: await count('messages'), rejects: await count('rejects') }).toEqual(before);
  });

  it('a signed safe-mode post whose ciphertext does not decrypt is kept as a reject', async () => {
    const before = await count('rejects');
    const ts = nowSeconds();
    const bogus = randomBytes(64).toString('base64');
    const res = await post(envelope(bogus), { timestamp: ts, msg_signature: wechatSignature(TOKEN, ts, '4242', bogus) });
    expect(res.status).toBe(400);
    expect(await count('rejects')).toBe(before + 1);
  });
});

describe('F13: an Idempotency-Key is bound to the body and the caller', () => {
  it('a replay with another body, or from another address, gets 409 and none of the first answer', async () => {
    const proxied = testApp(db, queue, testConfig({ TRUST_PROXY: '1', PORTAL_RATE_LIMIT: '1000' }));
    const key = `idem-${randomBytes(6).toString('hex')}`;
    const first = { ...form, content: '赭山路路灯一直不亮，晚上很黑' };
    const from = (ip: string) => ({ 'Idempotency-Key': key, 'x-forwarded-for': ip });
    const a = await postJson(proxied, '/api/v1/messages', first, from('203.0.113.5'));
    expect(a.status).toBe(201);
    const { trackingNo, queryCode } = (await a.json()) as { trackingNo: string; queryCode: string };

    const again = await postJson(proxied, '/api/v1/messages', first, from('203.0.113.5'));
    expect(again.status).toBe(200);
    expect(((await again.json()) as { trackingNo: string }).trackingNo).toBe(trackingNo);

    for (const [body, ip] of [[{ ...first, content: '我想看看别人的查询码是多少' }, '203.0.113.5'], [first, '198.51.100.77'], [{ ...first, phone: '13900000000' }, '198.51.100.77']] as const) {
      const res = await postJson(proxied, '/api/v1/messages', body, from(ip));
      expect(res.status).toBe(409);
      const text = await res.text();
      expect(text).not.toContain(trackingNo);
      expect(text).not.toContain(queryCode);
      expect(text).toMatch(/Idempotency-Key/);
    }
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM messages WHERE external_id = ${key}`;
    expect(n).toBe(1);
  });
});

describe('F12: 查询码 attempts limited per tracking number and per address; tracking numbers not sequential', () => {
  const submit = async (target: ReturnType<typeof testApp>, i: number) => {
    const res = await postJson(target, '/api/v1/messages', { ...form, content: `赭山路路灯第${i}盏不亮了，请维修` }, { 'x-forwarded-for': `192.0.2.${(i % 200) + 1}` });
    expect(res.status).toBe(201);
    return (await res.json()) as { trackingNo: string; queryCode: string };
  };
  const wrongCode = (code: string) => (code === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA');

  it('ten wrong codes on one tracking number lock it (429 with Retry-After) for every address and every resident route', async () => {
    const proxied = testApp(db, queue, testConfig({ TRUST_PROXY: '1', PORTAL_RATE_LIMIT: '1000' }));
    const { trackingNo, queryCode } = await submit(proxied, 1);
    const status = (code: string, ip: string) => proxied.request(`/api/v1/messages/${trackingNo}?code=${code}`, { headers: { 'x-forwarded-for': ip } });
    expect((await status(queryCode, '203.0.113.20')).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await status(wrongCode(queryCode), `198.51.100.${i + 1}`)).status).toBe(404);
    const locked = await status(wrongCode(queryCode), '198.51.100.99');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(120); // a minute or two, not hours
    expect((await postJson(proxied, `/api/v1/messages/${trackingNo}/rating`, { code: wrongCode(queryCode), rating: '满意' }, { 'x-forwarded-for': '198.51.100.98' })).status).toBe(429);
    // a right answer never spent a token: a resident who checks often is never the one locked out
    const other = await submit(proxied, 2);
    for (let i = 0; i < 15; i++) expect((await proxied.request(`/api/v1/messages/${other.trackingNo}?code=${other.queryCode}`)).status).toBe(200);
  });

  it('thirty wrong codes from one address lock that address, on any tracking number', async () => {
    const proxied = testApp(db, queue, testConfig({ TRUST_PROXY: '1', PORTAL_RATE_LIMIT: '1000' }));
    const targets = await Promise.all([3, 4, 5, 6].map((i) => submit(proxied, i)));
    const codes: number[] = [];
    for (let i = 0; i < 31; i++) {
      const t = targets[i % targets.length];
      codes.push((await proxied.request(`/api/v1/messages/${t.trackingNo}?code=${wrongCode(t.queryCode)}`, { headers: { 'x-forwarded-for': '203.0.113.66' } })).status);
    }
    expect(codes.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(codes[30]).toBe(429);
    // another address is not affected
    expect((await proxied.request(`/api/v1/messages/${targets[0].trackingNo}?code=${targets[0].queryCode}`, { headers: { 'x-forwarded-for': '203.0.113.67' } })).status).toBe(200);
  });

  it('tracking numbers keep the MSyymmdd form and are not a sequence', async () => {
    const proxied = testApp(db, queue, testConfig({ TRUST_PROXY: '1', PORTAL_RATE_LIMIT: '1000' }));
    const numbers: number[] = [];
    for (let i = 0; i < 12; i++) {
      const { trackingNo } = await submit(proxied, 100 + i);
      expect(trackingNo).toMatch(/^MS\d{13}$/);
      numbers.push(Number(trackingNo.slice(8)));
    }
    const steps = numbers.slice(1).map((n, i) => n - numbers[i]);
    expect(steps.filter((d) => Math.abs(d) <= 12).length).toBeLessThan(3);
  });
});
