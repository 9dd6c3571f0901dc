// The topic endpoints: GET /api/v1/topics/:id (staff: members masked, private ones without text,
// hourly and daily counts, burst state) and GET /api/v1/stats/recurring (staff: 每月一题, problems
// that come back week after week in one place; a department user sees its own cases behind them),
// both read from the topic tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeMessage } from '../core/nlp/analyze';
import { assignToTopic } from '../core/opinion/topics';
import { InProcessQueue } from '../core/queue/in-process';
import { testApp, testConfig } from './support/app';
import { openTestCase, staffToken } from './support/cases';
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

describe('每月一题 for a department user and for a period', () => {
  it('lists behind each problem only the caller department’s cases, and ends the look-back at `to`', async () => {
    const now = Date.now();
    const openCase = async (department: string, title: string) => (await openTestCase(db.sql, { department, message: { title } })).caseId;
    const a = await openCase('urban-mgmt', '城管甲件：农贸市场垃圾');
    const b = await openCase('housing', '住建乙件：农贸市场垃圾');
    const c = await openCase('urban-mgmt', '城管丙件：农贸市场垃圾');
    // five weeks of the same heap at one market; the cases behind it belong to two departments
    const weeks: [number, number][] = [[5, a], [4, b], [3, a], [2, c], [1, c]];
    const topicIds = new Set<number>();
    for (const [w, caseId] of weeks) {
      const r = await assignToTopic(db.sql, {
        messageId: id++, caseId, receivedAt: new Date(now - w * 7 * DAY), channel: 'portal', isPublic: true, title: '鸠江区官陡街道农贸市场垃圾堆积',
        body: `鸠江区官陡街道农贸市场门口垃圾又堆成山了，臭气熏天，第${6 - w}次反映。`,
        analysis: analyzeMessage(`鸠江区官陡街道农贸市场门口垃圾又堆成山了，臭气熏天，第${6 - w}次反映。`, { title: '鸠江区官陡街道农贸市场垃圾堆积' }), engagement: 0,
      });
      topicIds.add(r.topicId!);
    }
    expect(topicIds.size).toBe(1);
    const [topicId] = topicIds;
    type Body = { problems: { topicId: number; weeks: number; caseCount: number; cases: { caseId: number; title: string | null }[] }[] };
    const problem = async (query: string, token: string) => {
      const res = await app.request(`/api/v1/stats/recurring?${query}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const text = await res.text();
      return { text, p: (JSON.parse(text) as Body).problems.find((x) => x.topicId === topicId) };
    };

    const all = await problem('weeks=8', ADMIN);
    expect(all.p!.weeks).toBe(5);
    expect(all.p!.caseCount).toBe(3);
    expect(all.p!.cases.map((x) => x.caseId).sort()).toEqual([a, b, c].sort());

    const urban = await problem('weeks=8', await staffToken(db.sql, 'department', 'urban-mgmt'));
    expect(urban.p!.caseCount).toBe(2);
    expect(urban.p!.cases.map((x) => x.caseId).sort()).toEqual([a, c].sort());
    expect(urban.text).not.toContain('住建乙件');
    const housing = await problem('weeks=8', await staffToken(db.sql, 'department', 'housing'));
    expect(housing.p!.cases.map((x) => x.caseId)).toEqual([b]);
    expect(housing.text).not.toContain('城管甲件');
    const leader = await problem('weeks=8', await staffToken(db.sql, 'leader'));
    expect(leader.p!.caseCount).toBe(3);
    expect((JSON.parse(leader.text) as { departmentOnly: boolean }).departmentOnly).toBe(false);

    // a department's list holds only the problems with its cases: not the city's with none of them
    type Listed = { departmentOnly: boolean; problems: { topicId: number; district: string | null; caseCount: number }[] };
    const urbanList = JSON.parse(urban.text) as Listed;
    expect(urbanList.departmentOnly).toBe(true);
    expect(urbanList.problems.length).toBeGreaterThan(0);
    expect(urbanList.problems.every((x) => x.caseCount > 0)).toBe(true);
    expect((JSON.parse(leader.text) as Listed).problems.some((x) => x.caseCount === 0)).toBe(true); // the drain of the test before: no case
    const water = await problem('weeks=8', await staffToken(db.sql, 'department', 'water'));
    expect(water.p).toBeUndefined();
    expect((JSON.parse(water.text) as Listed).problems).toEqual([]);
    // one district's problems, cut from all of them (limit=1: the city's first is another district's)
    const jiujiang = JSON.parse((await problem('weeks=8&district=鸠江区&limit=1', ADMIN)).text) as Listed;
    expect(jiujiang.problems.map((x) => x.topicId)).toEqual([topicId]);
    const yijiang = JSON.parse((await problem('weeks=8&district=弋江区', ADMIN)).text) as Listed;
    expect(yijiang.problems.length).toBeGreaterThan(0);
    expect(yijiang.problems.every((x) => x.district === '弋江区')).toBe(true);

    // a period that ended two and a half weeks ago: the weeks and cases after it do not count
    const to = new Date(now - 2.5 * 7 * DAY).toISOString();
    const past = await problem(`weeks=8&to=${encodeURIComponent(to)}`, ADMIN);
    expect(past.p!.weeks).toBe(3);
    expect(past.p!.cases.map((x) => x.caseId).sort()).toEqual([a, b].sort());
    const body = (JSON.parse(past.text) as { until: string }).until;
    expect(new Date(body).toISOString()).toBe(to);

    const bad = await app.request('/api/v1/stats/recurring?to=yesterday', { headers: auth });
    expect(bad.status).toBe(400);
    const err = (await bad.json()) as { error: { details: { field: string; message: string }[] } };
    expect(err.error.details[0].field).toBe('to');
    expect(err.error.details[0].message).toMatch(/[\u4e00-\u9fff]/);
  });
});
