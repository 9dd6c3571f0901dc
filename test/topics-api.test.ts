// The topic endpoints: GET /api/v1/topics/:id (staff: members masked, private ones without text,
// hourly and daily counts, burst state) and GET /api/v1/stats/recurring (staff: 每月一题, problems
// that come back week after week in one place), both read from the topic tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeMessage } from '../core/nlp/analyze';
import { assignToTopic } from '../core/opinion/topics';
import { InProcessQueue } from '../core/queue/in-process';
import { testApp, testConfig } from './support/app';
import { createTestDatabase, type TestDatabase } from './support/db';

const ADMIN = 'topics-admin-token-123';
let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
const auth = { authorization: `Bearer ${ADMIN}` };

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue({ concurrency: 1 });
  app = testApp(db, queue, testConfig({ ADMIN_TOKEN: ADMIN }));
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

const DAY = 86_400_000;
let id = 1;
async function add(title: string, body: string, at: Date, extra: { isPublic?: boolean; contactName?: string } = {}) {
  return assignToTopic(db.sql, {
    messageId: id++, caseId: null, receivedAt: at, channel: 'portal', isPublic: extra.isPublic ?? true, title, body,
    analysis: analyzeMessage(body, { title }), engagement: 0, contactName: extra.contactName,
  });
}

describe('topic endpoints', () => {
  it('GET /api/v1/topics/:id: staff only, members masked, private text withheld, counts for trend lines', async () => {
    const now = Date.now();
    const a = await add('镜湖区春江花园停水', '镜湖区春江花园小区停水一整天了，联系人周美玲，电话13905531234，请尽快恢复供水。', new Date(now - 3 * 3_600_000), { contactName: '周美玲' });
    const b = await add('春江花园又停水', '镜湖区春江花园小区又停水了，家里没法做饭，钱文斌来电反映，请尽快恢复供水。', new Date(now - 2 * 3_600_000), { isPublic: false, contactName: '钱文斌' });
    expect(b.topicId).toBe(a.topicId);

    expect((await app.request(`/api/v1/topics/${a.topicId}`)).status).toBe(401);
    const bad = await app.request('/api/v1/topics/abc', { headers: auth });
    expect(bad.status).toBe(400);
    const badBody = (await bad.json()) as { error: { details: { field: string; message: string }[] } };
    expect(badBody.error.details[0].field).toBe('id');
    expect(badBody.error.details[0].message).toMatch(/[\u4e00-\u9fff]/);
    expect((await app.request('/api/v1/topics/999999', { headers: auth })).status).toBe(404);

    const res = await app.request(`/api/v1/topics/${a.topicId}`, { headers: auth });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      topic: { id: number; label: string; size: number; burstState: string };
      members: { messageId: number; isPublic: boolean; text: string | null }[];
      hourly: { hour: string; count: number }[];
      daily: { day: string; count: number }[];
    };
    expect(body.topic.id).toBe(a.topicId);
    expect(body.topic.size).toBe(2);
    expect(body.topic.label).toMatch(/春江花园/);
    expect(['new', 'none', 'burst']).toContain(body.topic.burstState);
    expect(body.members).toHaveLength(2);
    const priv = body.members.find((m) => !m.isPublic)!;
    expect(priv.text).toBeNull();
    const text = JSON.stringify(body);
    for (const leak of ['13905531234', '周美玲', '钱文斌']) expect(text).not.toContain(leak);
    expect(body.hourly.reduce((s, h) => s + h.count, 0)).toBe(2);
    expect(body.daily.reduce((s, h) => s + h.count, 0)).toBe(2);
  });

  it('GET /api/v1/stats/recurring ranks a problem that comes back week after week in one place', async () => {
    const now = Date.now();
    // five weeks in a row: the same drain at the same market; and a one-off problem elsewhere
    for (let w = 5; w >= 1; w--) {
      await add('弋江区花津南路菜市场下水道堵塞', `弋江区花津南路菜市场门口下水道又堵了，污水横流，第${6 - w}次反映了。`, new Date(now - w * 7 * DAY));
    }
    await add('三山区龙湖街道路灯不亮', '三山区龙湖街道保定社区门口路灯不亮，请维修。', new Date(now - 2 * DAY));
    expect((await app.request('/api/v1/stats/recurring')).status).toBe(401);
    const res = await app.request('/api/v1/stats/recurring?weeks=8', { headers: auth });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { problems: { topicId: number; label: string; weeks: number; longestRun: number; messages: number; cases: unknown[] }[] };
    expect(body.problems.length).toBeGreaterThanOrEqual(1);
    const top = body.problems[0];
    expect(top.label).toMatch(/弋江区/);
    expect(top.label).toMatch(/花津南路|菜市场/);
    expect(top.weeks).toBeGreaterThanOrEqual(4);
    expect(top.longestRun).toBeGreaterThanOrEqual(4);
    expect(body.problems.some((p) => /路灯/.test(p.label))).toBe(false);
    const bad = await app.request('/api/v1/stats/recurring?weeks=1', { headers: auth });
    expect(bad.status).toBe(400);
  });
});
