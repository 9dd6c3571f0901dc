// GET /api/v1/alerts?from&to&district&category&channel: the cockpit's period and filters applied to the
// alert list (opened in [from, to), the alert's district, 未识别 for alerts with none, messages of the
// category / channel in the alert's window); bad values answer a 400 with the field named in Chinese.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAlertRule, openAlertEpisode } from '../core/db/alerts';
import { InProcessQueue } from '../core/queue/in-process';
import { testApp, testConfig } from './support/app';
import { createTestDatabase, type TestDatabase } from './support/db';

const ADMIN = 'alerts-filters-admin-token-1';
let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
const auth = { authorization: `Bearer ${ADMIN}` };

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue({ concurrency: 1 });
  app = testApp(db, queue, testConfig({ ADMIN_TOKEN: ADMIN }));
  const rule = await insertAlertRule(db.sql, { name: '同区同题突增', enabled: true, definition: { kind: 'test' }, createdBy: null });
  const open = (scopeKey: string, district: string | null, at: string, title: string, evidence: Record<string, unknown> = {}) =>
    openAlertEpisode(db.sql, { ruleId: rule.id, scopeKey, district, topicId: null, title, at: new Date(at), evidence });
  await open('a', '镜湖区', '2026-11-03T10:00:00+08:00', '镜湖区停水（十一月初）', { channels: { hotline: 3, wechat: 1 }, categories: { 城乡建设: 4 } });
  await open('b', '镜湖区', '2026-11-20T10:00:00+08:00', '镜湖区路灯（十一月下旬）', { channels: { portal: 2 }, categories: { 城乡建设: 1, unknown: 1 } });
  await open('c', '弋江区', '2026-11-21T10:00:00+08:00', '弋江区噪音（十一月下旬）', { channels: { weibo: 5 }, categories: { 环境保护: 5 } });
  await open('d', null, '2026-11-22T10:00:00+08:00', '全市投诉量突增（十一月下旬）');
  await open('e', '镜湖区', '2026-10-15T10:00:00+08:00', '镜湖区积水（十月）');
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

type List = { total: number; alerts: { title: string; district: string | null }[] };
async function list(query: string): Promise<List> {
  const res = await app.request(`/api/v1/alerts?${query}`, { headers: auth });
  expect(res.status).toBe(200);
  return (await res.json()) as List;
}
const q = (o: Record<string, string>) => new URLSearchParams(o).toString();

describe('GET /api/v1/alerts filters', () => {
  it('keeps the alerts opened in the period, newest first, and counts only those', async () => {
    const nov = await list(q({ from: '2026-11-01T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00' }));
    expect(nov.alerts.map((a) => a.title)).toEqual(['全市投诉量突增（十一月下旬）', '弋江区噪音（十一月下旬）', '镜湖区路灯（十一月下旬）', '镜湖区停水（十一月初）']);
    expect(nov.total).toBe(4);
    expect((await list(q({ to: '2026-11-01T00:00:00+08:00' }))).alerts.map((a) => a.title)).toEqual(['镜湖区积水（十月）']);
    expect((await list('')).total).toBe(5);
  });

  it('keeps one district, or the alerts with none for 未识别, together with the period', async () => {
    const jh = await list(q({ district: '镜湖区', from: '2026-11-01T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00' }));
    expect(jh.alerts.map((a) => a.title)).toEqual(['镜湖区路灯（十一月下旬）', '镜湖区停水（十一月初）']);
    expect(jh.total).toBe(2);
    const none = await list(q({ district: '未识别' }));
    expect(none.alerts.map((a) => a.title)).toEqual(['全市投诉量突增（十一月下旬）']);
    expect((await list(q({ district: '三山区' }))).alerts).toEqual([]);
  });

  it('keeps the alerts with messages of a category or a channel in their window, with the other filters', async () => {
    const titles = async (o: Record<string, string>) => (await list(q(o))).alerts.map((a) => a.title);
    expect(await titles({ category: '城乡建设' })).toEqual(['镜湖区路灯（十一月下旬）', '镜湖区停水（十一月初）']);
    expect(await titles({ category: 'unknown' })).toEqual(['镜湖区路灯（十一月下旬）']);
    expect(await titles({ channel: 'weibo' })).toEqual(['弋江区噪音（十一月下旬）']);
    expect(await titles({ channel: 'hotline', category: '城乡建设' })).toEqual(['镜湖区停水（十一月初）']);
    expect(await titles({ channel: 'hotline', category: '环境保护' })).toEqual([]);
    expect(await titles({ category: '城乡建设', from: '2026-11-10T00:00:00+08:00', district: '镜湖区' })).toEqual(['镜湖区路灯（十一月下旬）']);
    expect((await list(q({ category: '城乡建设' }))).total).toBe(2);
  });

  it('answers a 400 naming the field in Chinese for a bad time, a backwards period or an empty district', async () => {
    for (const [query, field] of [
      [q({ from: '十一月' }), 'from'],
      [q({ to: '2026-11-01' }), 'to'],
      [q({ from: '2026-11-02T00:00:00+08:00', to: '2026-11-01T00:00:00+08:00' }), 'from'],
      [q({ district: ' ' }), 'district'],
      [q({ category: ' ' }), 'category'],
      [q({ channel: 'fax' }), 'channel'],
    ] as const) {
      const res = await app.request(`/api/v1/alerts?${query}`, { headers: auth });
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: { details: { field: string; message: string }[] } };
      expect(body.error.details[0].field, query).toBe(field);
      expect(body.error.details[0].message).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
