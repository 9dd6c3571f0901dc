// The cockpit's channel and category filters on the topic reads (issue 10 items 7 and 8): 热点
// (GET /api/v1/stats/topics), a topic's trend (GET /api/v1/topics/:id) and 每月一题
// (GET /api/v1/stats/recurring) count only the messages of the chosen channel and category, from the
// facet rollup (migration 0116) that a trigger keeps in step with the members — through assignment,
// re-clustering's moves and merges — and that the migration backfills from the members stored before.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../core/db/connect';
import { rebuildTopicFacetHours } from '../core/db/rollups';
import { insertMessage } from '../core/db/messages';
import { listMigrations, migrate } from '../core/db/migrate';
import { moveMembers, rebuildTopicHours } from '../core/db/topics';
import { analyzeMessage } from '../core/nlp/analyze';
import { categoryLabels } from '../core/nlp/category';
import { assignToTopic, reclusterTopics } from '../core/opinion/topics';
import { InProcessQueue } from '../core/queue/in-process';
import { testApp, testConfig } from './support/app';
import { incoming, openTestCase } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

const ADMIN = 'facets-admin-token-123';
const auth = { authorization: `Bearer ${ADMIN}` };
const DAY = 86_400_000;
const HOUR = 3_600_000;
let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
// two categories of the shipped model: the messages below are read as one or the other
let CAT_A: string;
let CAT_B: string;

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue({ concurrency: 1 });
  app = testApp(db, queue, testConfig({ ADMIN_TOKEN: ADMIN }));
  [CAT_A, CAT_B] = categoryLabels();
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

let nextId = 1;
async function add(o: { title: string; body: string; at: Date; channel: string; category: string; caseId?: number | null }) {
  const analysis = analyzeMessage(o.body, { title: o.title });
  return assignToTopic(db.sql, {
    messageId: nextId++, caseId: o.caseId ?? null, receivedAt: o.at, channel: o.channel, isPublic: true, title: o.title, body: o.body,
    // the category as the reader would have it: the filter counts by the message's own reading
    analysis: { ...analysis, category: { ...analysis.category, label: o.category } }, engagement: 0,
  });
}

const enc = encodeURIComponent;
type Hot = { messages: number; filter: Record<string, string | null>; topics: { id: number; volume: number; previous: number; heat: number; topicHeat: number; share: number }[] };
async function hot(query: string): Promise<Hot> {
  const res = await app.request(`/api/v1/stats/topics?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Hot;
}

/** the facet rollup against the members it counts, and against the plain hourly rollup */
async function rollupMatchesMembers() {
  const sql = db.sql;
  const facets = await sql<{ k: string; n: number }[]>`
    SELECT concat_ws('|', topic_id, hour, channel, category) AS k, count AS n FROM opinion_topic_facet_hours ORDER BY 1`;
  const members = await sql<{ k: string; n: number }[]>`
    SELECT concat_ws('|', topic_id, date_trunc('hour', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', channel, category) AS k, count(*)::int AS n
    FROM opinion_topic_members GROUP BY 1 ORDER BY 1`;
  expect(facets).toEqual(members);
  const byHour = await sql<{ k: string; n: number }[]>`SELECT concat_ws('|', topic_id, hour) AS k, sum(count)::int AS n FROM opinion_topic_facet_hours GROUP BY 1 ORDER BY 1`;
  const hours = await sql<{ k: string; n: number }[]>`SELECT concat_ws('|', topic_id, hour) AS k, count AS n FROM opinion_topic_hours WHERE count > 0 ORDER BY 1`;
  expect(byHour).toEqual(hours);
}

describe('topic reads cut by channel and category', () => {
  let mixed = 0; // portal and weibo messages about one problem
  let portalOnly = 0;
  const now = Date.now();
  const period = `from=${enc(new Date(now - 3 * DAY).toISOString())}&to=${enc(new Date(now + HOUR).toISOString())}&minVolume=1`;

  it('热点: the weibo filter counts the weibo messages only, ranks by the filtered heat, and refuses a bad value in Chinese', async () => {
    const title = '镜湖区滨江花园小区电梯故障';
    const body = (n: number) => `镜湖区滨江花园小区3号楼电梯又坏了，老人上下楼很困难，这是第${n}次反映，请物业尽快维修电梯。`;
    const msgs: [string, string][] = [['portal', CAT_A], ['portal', CAT_A], ['portal', CAT_B], ['weibo', CAT_A], ['weibo', CAT_B]];
    const ids = new Set<number>();
    for (const [i, [channel, category]] of msgs.entries()) ids.add((await add({ title, body: body(i + 1), at: new Date(now - (10 - i) * HOUR), channel, category })).topicId);
    expect(ids.size).toBe(1);
    [mixed] = ids;
    for (let i = 0; i < 3; i++) {
      const r = await add({
        title: '弋江区中山南路路灯不亮', body: `弋江区中山南路一段路灯不亮已经一周，晚上行人看不清路，第${i + 1}次反映。`, at: new Date(now - (8 - i) * HOUR), channel: 'portal', category: CAT_A,
      });
      portalOnly ||= r.topicId;
      expect(r.topicId).toBe(portalOnly);
    }
    expect(portalOnly).not.toBe(mixed);

    const all = await hot(period);
    expect(all.topics.find((t) => t.id === mixed)?.volume).toBe(5);
    expect(all.topics.find((t) => t.id === portalOnly)?.volume).toBe(3);
    expect(all.messages).toBe(8);
    expect(all.filter).toEqual({ district: null, channel: null, category: null });

    const weibo = await hot(`${period}&channel=weibo`);
    expect(weibo.filter.channel).toBe('weibo');
    expect(weibo.topics.map((t) => t.id)).toEqual([mixed]); // the portal-only topic has no weibo message
    const w = weibo.topics[0];
    expect(w.volume).toBe(2);
    expect(w.share).toBe(0.4);
    expect(w.heat).toBeCloseTo(w.topicHeat * 0.4, 2);
    expect(weibo.messages).toBe(2);

    const portal = await hot(`${period}&channel=portal`);
    expect(Object.fromEntries(portal.topics.map((t) => [t.id, t.volume]))).toEqual({ [mixed]: 3, [portalOnly]: 3 });
    expect(portal.messages).toBe(6);
    // the same volume: the filtered heat orders them (3 of 5 of the mixed topic's messages against all 3 of the other's)
    const expected = [...portal.topics].sort((a, b) => b.heat - a.heat || b.volume - a.volume || a.id - b.id).map((t) => t.id);
    expect(portal.topics.map((t) => t.id)).toEqual(expected);

    const catB = await hot(`${period}&category=${enc(CAT_B)}`);
    expect(catB.topics.map((t) => [t.id, t.volume])).toEqual([[mixed, 2]]);
    const both = await hot(`${period}&channel=weibo&category=${enc(CAT_B)}`);
    expect(both.topics.map((t) => [t.id, t.volume])).toEqual([[mixed, 1]]);
    expect((await hot(`${period}&channel=hotline`)).topics).toEqual([]);
    // the topic's district, server-side: 弋江区 keeps the street-light topic only
    expect((await hot(`${period}&district=${enc('弋江区')}`)).topics.map((t) => t.id)).toEqual([portalOnly]);

    for (const [query, field] of [['channel=fax', 'channel'], [`category=${enc('没有的分类')}`, 'category'], ['category=', 'category']] as const) {
      const res = await app.request(`/api/v1/stats/topics?${query}`);
      expect(res.status, query).toBe(400);
      const err = (await res.json()) as { error: { details: { field: string; message: string }[] } };
      expect(err.error.details[0].field).toBe(field);
      expect(err.error.details[0].message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('话题趋势: a topic’s members and counts of one channel / category', async () => {
    const detail = async (q: string) => {
      const res = await app.request(`/api/v1/topics/${mixed}?days=7${q}`, { headers: auth });
      expect(res.status).toBe(200);
      return (await res.json()) as { topic: { size: number }; members: { channel: string }[]; hourly: { count: number }[]; daily: { count: number }[]; filter: Record<string, string | null> };
    };
    const sum = (xs: { count: number }[]) => xs.reduce((s, x) => s + x.count, 0);
    const all = await detail('');
    expect(sum(all.daily)).toBe(5);
    const weibo = await detail('&channel=weibo');
    expect(weibo.topic.size).toBe(5); // the topic itself stays whole
    expect(weibo.members.map((m) => m.channel)).toEqual(['weibo', 'weibo']);
    expect(sum(weibo.hourly)).toBe(2);
    expect(sum(weibo.daily)).toBe(2);
    expect(weibo.filter).toEqual({ channel: 'weibo', category: null });
    expect(sum((await detail(`&category=${enc(CAT_A)}`)).daily)).toBe(3);
    expect(sum((await detail(`&channel=portal&category=${enc(CAT_B)}`)).daily)).toBe(1);
    const bad = await app.request(`/api/v1/topics/${mixed}?channel=telegram`, { headers: auth });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { details: { field: string }[] } }).error.details[0].field).toBe('channel');
  });

  it('每月一题: a week counts with messages of the channel and category, and the cases listed are theirs', async () => {
    const portalCase = (await openTestCase(db.sql, { department: 'urban-mgmt', message: { title: '门户件：排水' } })).caseId;
    const weiboCase = (await openTestCase(db.sql, { department: 'urban-mgmt', message: { title: '微博件：排水' } })).caseId;
    const title = '三山区峨桥镇农贸市场排水沟堵塞';
    let topic = 0;
    // six weeks of portal messages; weibo ones in two of them, read as another category
    for (let w = 6; w >= 1; w--) {
      const at = new Date(now - w * 7 * DAY);
      const r = await add({ title, body: `三山区峨桥镇农贸市场排水沟又堵了，污水漫到路上，第${7 - w}周反映。`, at, channel: 'portal', category: CAT_A, caseId: portalCase });
      topic ||= r.topicId;
      expect(r.topicId).toBe(topic);
      if (w === 4 || w === 2) {
        const s = await add({ title, body: `三山区峨桥镇农贸市场排水沟堵塞，污水横流，微博再次反映第${7 - w}周。`, at: new Date(at.getTime() + HOUR), channel: 'weibo', category: CAT_B, caseId: weiboCase });
        expect(s.topicId).toBe(topic);
      }
    }
    type Body = { filter: Record<string, string | null>; problems: { topicId: number; weeks: number; messages: number; caseCount: number; cases: { caseId: number }[] }[] };
    const recurring = async (q: string) => {
      const res = await app.request(`/api/v1/stats/recurring?weeks=8&minWeeks=2&limit=100${q}`, { headers: auth });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Body;
      return { body, p: body.problems.find((x) => x.topicId === topic) };
    };
    const all = await recurring('');
    expect(all.p).toMatchObject({ weeks: 6, messages: 8, caseCount: 2 });
    const weibo = await recurring('&channel=weibo');
    expect(weibo.body.filter).toEqual({ district: null, channel: 'weibo', category: null });
    expect(weibo.p).toMatchObject({ weeks: 2, messages: 2, caseCount: 1 });
    expect(weibo.p!.cases.map((c) => c.caseId)).toEqual([weiboCase]);
    expect((await recurring(`&category=${enc(CAT_A)}`)).p).toMatchObject({ weeks: 6, messages: 6, caseCount: 1 });
    expect((await recurring(`&channel=portal&category=${enc(CAT_B)}`)).p).toBeUndefined();
    // weibo messages in two weeks only: the default of three weeks leaves the problem out
    const res = await app.request('/api/v1/stats/recurring?weeks=8&channel=weibo', { headers: auth });
    expect(((await res.json()) as Body).problems.some((x) => x.topicId === topic)).toBe(false);
    const bad = await app.request(`/api/v1/stats/recurring?category=${enc('不存在')}`, { headers: auth });
    expect(bad.status).toBe(400);
    const err = (await bad.json()) as { error: { details: { field: string; message: string }[] } };
    expect(err.error.details[0]).toMatchObject({ field: 'category', message: expect.stringMatching(/诉求分类/) });
  });

  it('the rollup follows the members through re-clustering and a merge', async () => {
    await rollupMatchesMembers();
    await reclusterTopics(db.sql, new Date(now + HOUR));
    await rollupMatchesMembers();
    // a merge moves every member of one topic into another: the weibo messages go with them
    const moved = await db.sql<{ messageId: number }[]>`SELECT message_id FROM opinion_topic_members WHERE topic_id = ${mixed}`;
    await db.sql.begin(async (tx) => {
      await moveMembers(tx, moved.map((m) => ({ messageId: m.messageId, topicId: portalOnly })));
      await rebuildTopicHours(tx, [mixed, portalOnly]);
    });
    await rollupMatchesMembers();
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM opinion_topic_facet_hours WHERE topic_id = ${mixed}`;
    expect(n).toBe(0);
    const weibo = await hot(`${period}&channel=weibo`);
    expect(weibo.topics.map((t) => [t.id, t.volume])).toEqual([[portalOnly, 2]]);
  });

  it('`rollups rebuild` recounts it from the members (a row lost or wrong is put right)', async () => {
    const [{ members }] = await db.sql<{ members: number }[]>`SELECT count(*)::int AS members FROM opinion_topic_members`;
    await db.sql`DELETE FROM opinion_topic_facet_hours WHERE channel = 'weibo'`;
    await db.sql`UPDATE opinion_topic_facet_hours SET count = count + 5`;
    expect((await hot(`${period}&channel=weibo`)).topics).toEqual([]);
    expect(await rebuildTopicFacetHours(db.sql)).toBe(members);
    await rollupMatchesMembers();
    expect((await hot(`${period}&channel=weibo`)).topics.map((t) => [t.id, t.volume])).toEqual([[portalOnly, 2]]);
  });
});

describe('migration 0116', () => {
  it('gives the members stored before it their message’s category and backfills the facet rollup', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mig-0115-'));
    const embedded = await connectDatabase({ dataDir: '', inMemory: true });
    try {
      for (const m of listMigrations().filter((x) => x.version < 116)) copyFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), '../core/db/migrations', m.file), path.join(dir, m.file));
      await migrate(embedded.sql, { dir });
      const sql = embedded.sql;
      const cat = categoryLabels()[2];
      const at = new Date('2026-11-02T03:25:00Z');
      const rows: { channel: string; label: string | null; minutes: number }[] = [
        { channel: 'portal', label: cat, minutes: 0 }, { channel: 'portal', label: cat, minutes: 10 }, { channel: 'weibo', label: cat, minutes: 20 },
        { channel: 'weibo', label: null, minutes: 70 }, // no analysis: unknown
      ];
      const [topic] = await sql<{ id: number }[]>`INSERT INTO opinion_topics (district, first_at, last_at) VALUES ('镜湖区', ${at}, ${at}) RETURNING id`;
      for (const r of rows) {
        const received = new Date(at.getTime() + r.minutes * 60_000);
        const { message } = await insertMessage(sql, incoming({ channel: r.channel as 'portal', receivedAt: received }));
        if (r.label) await sql`UPDATE messages SET analysis = ${sql.json({ category: { label: r.label, confidence: 0.9 } })}, state = 'processed' WHERE id = ${message.id}`;
        await sql`INSERT INTO opinion_topic_members (message_id, topic_id, received_at, channel, is_public, terms) VALUES (${message.id}, ${topic.id}, ${received}, ${r.channel}, true, '{}')`;
      }
      expect((await migrate(sql))[0]).toBe('0116_topic_facet_hours.sql'); // and any later ones
      const members = await sql<{ channel: string; category: string }[]>`SELECT channel, category FROM opinion_topic_members ORDER BY received_at`;
      expect(members.map((m) => m.category)).toEqual([cat, cat, cat, 'unknown']);
      const facets = await sql<{ hour: Date; channel: string; category: string; count: number }[]>`
        SELECT hour, channel, category, count FROM opinion_topic_facet_hours ORDER BY hour, channel, category`;
      expect(facets.map((f) => [f.hour.toISOString(), f.channel, f.category, f.count])).toEqual([
        ['2026-11-02T03:00:00.000Z', 'portal', cat, 2], ['2026-11-02T03:00:00.000Z', 'weibo', cat, 1], ['2026-11-02T04:00:00.000Z', 'weibo', 'unknown', 1],
      ]);
      // and the trigger keeps it from then on, on PGlite too: a member moved out leaves its hour
      const [other] = await sql<{ id: number }[]>`INSERT INTO opinion_topics (district, first_at, last_at) VALUES ('镜湖区', ${at}, ${at}) RETURNING id`;
      await sql`UPDATE opinion_topic_members SET topic_id = ${other.id} WHERE channel = 'weibo' AND category = 'unknown'`;
      const after = await sql<{ topicId: number; n: number }[]>`SELECT topic_id, sum(count)::int AS n FROM opinion_topic_facet_hours GROUP BY 1 ORDER BY 1`;
      expect(after).toEqual([{ topicId: topic.id, n: 3 }, { topicId: other.id, n: 1 }]);
    } finally {
      await embedded.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
