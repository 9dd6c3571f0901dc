// 舆情 topics in PostgreSQL: incremental assignment (same problem, other words → one topic; another
// district → another topic), ids kept across re-clustering (merge and split), labels never generic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTopic, listMembers, moveMembers } from '../core/db/topics';
import { analyzeMessage } from '../core/nlp/analyze';
import { isGenericWord, opinionConfig } from '../core/opinion/config';
import { assignToTopic, reclusterTopics, type TopicInput } from '../core/opinion/topics';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ seed: false });
});
afterAll(async () => {
  await db?.close();
});

let nextId = 1;
const T0 = new Date('2026-05-04T02:00:00Z');
function input(title: string, body: string, minutes: number, extra: Partial<TopicInput> = {}): TopicInput {
  return {
    messageId: nextId++, caseId: null, receivedAt: new Date(T0.getTime() + minutes * 60_000), channel: 'portal', isPublic: true,
    title, body, analysis: analyzeMessage(body, { title }), engagement: 0, ...extra,
  };
}

// one outage, four ways of saying it; then the same words about another district; then other problems
const OUTAGE = [
  ['镜湖区赭山街道春江花园停水', '春江花园小区从昨天早上开始停水，到现在已经十几个小时了，没有任何通知，老人孩子没法洗漱做饭。'],
  ['春江花园没水了', '镜湖区春江花园小区一直没有自来水，水龙头拧开一滴都没有，请自来水公司尽快恢复供水。'],
  ['春江花园小区断水一天了', '我们镜湖区春江花园小区断水一整天了，物业说是水管爆了，什么时候能来水？'],
  ['春江花园停水问题', '镜湖区春江花园停水快二十个小时了，家里做饭洗澡都成问题，希望尽快恢复供水。'],
];
const BACKGROUND = [
  ['弋江区中山南路路灯不亮', '弋江区中山南路一段路灯坏了好几天，晚上走路很黑，请尽快维修。'],
  ['三山区龙湖街道垃圾没人清运', '三山区龙湖街道保定社区门口的垃圾好几天没人清运，臭气熏天。'],
  ['繁昌区某小区电梯困人', '繁昌区孙村镇阳光小区3号楼电梯又坏了，今天早上困了人，请检修。'],
  ['鸠江区湾里街道工地夜间施工', '鸠江区湾里街道万春花园旁边工地凌晨还在打桩施工，噪音扰民。'],
];

describe('topics', () => {
  it('joins messages about one problem into one topic as they come, and keeps another district apart', async () => {
    for (const [t, b] of BACKGROUND) await assignToTopic(db.sql, input(t, b, 0));
    const ids = [];
    for (const [i, [t, b]] of OUTAGE.entries()) ids.push((await assignToTopic(db.sql, input(t, b, 10 + i * 7))).topicId);
    expect(new Set(ids).size).toBe(1);
    // the same complaint about a place in another district is another topic
    const other = await assignToTopic(db.sql, input('弋江区春江花园停水', '弋江区春江花园小区从昨天早上开始停水，到现在已经十几个小时了，没有任何通知。', 60));
    expect(other.topicId).not.toBe(ids[0]);
    // and another problem in the same district is another topic too
    const lamp = await assignToTopic(db.sql, input('镜湖区赭山路路灯不亮', '镜湖区赭山路的路灯晚上全黑，走路容易摔倒，请修一下。', 70));
    expect(lamp.topicId).not.toBe(ids[0]);

    const topic = (await getTopic(db.sql, ids[0]))!;
    expect(topic.size).toBe(OUTAGE.length);
    expect(topic.district).toBe('镜湖区');
    // the label names the place and the problem, never a generic word
    expect(topic.label).toContain('镜湖区');
    expect(topic.label).toMatch(/春江花园/);
    expect(topic.labelTerms.some((w) => /停水|断水|供水|没水/.test(w))).toBe(true);
    for (const w of topic.labelTerms) expect(isGenericWord(w)).toBe(false);
    for (const w of ['小时', '诉求', '了解', '转给', '答复', '增设']) expect(topic.labelTerms).not.toContain(w);
    // replaying a message changes nothing
    const again = await assignToTopic(db.sql, { ...input(OUTAGE[0][0], OUTAGE[0][1], 10), messageId: (await listMembers(db.sql, ids[0]))[0].messageId });
    expect(again.topicId).toBe(ids[0]);
    expect((await getTopic(db.sql, ids[0]))!.size).toBe(OUTAGE.length);
  });

  it('re-clustering merges two topics of one problem into the larger, keeping its id, and splits a mixed one', async () => {
    const strict = { ...opinionConfig(), assignment: { ...opinionConfig().assignment, joinSimilarity: 0.99, joinSimilarityNoAnchor: 0.99, joinSimilarityProblem: 0.99 } };
    // with an impossible bar every message opens its own topic; re-clustering at the shipped bar merges them
    const made: number[] = [];
    const noise = [
      ['南陵县籍山镇金色家园工地夜间施工噪音', '南陵县籍山镇金色家园旁边的工地每天夜里施工，打桩机噪音吵得居民睡不着。'],
      ['金色家园工地半夜打桩', '南陵县金色家园边上的工地半夜还在打桩施工，噪音太大，孩子没法睡觉。'],
      ['南陵县金色家园夜间施工扰民', '南陵县籍山镇金色家园工地夜间施工噪音扰民，凌晨一两点还在打桩。'],
    ];
    for (const [i, [t, b]] of noise.entries()) made.push((await assignToTopic(db.sql, input(t, b, 200 + i), strict)).topicId);
    expect(new Set(made).size).toBe(3);
    const r = await reclusterTopics(db.sql, new Date(T0.getTime() + 300 * 60_000));
    expect(r.merged).toBeGreaterThanOrEqual(2);
    const survivors = await Promise.all(made.map((id) => getTopic(db.sql, id)));
    const active = survivors.filter((t) => t!.status === 'active');
    expect(active).toHaveLength(1);
    // the survivor is one of the old ids (majority overlap), the others point at it
    for (const t of survivors) if (t!.status === 'merged') expect(t!.mergedInto).toBe(active[0]!.id);
    expect(active[0]!.size).toBe(3);

    // the outage topic from the first test keeps its id through re-clustering
    const before = await db.sql<{ id: number }[]>`SELECT topic_id AS id FROM opinion_topic_members WHERE message_id = 5`;
    await reclusterTopics(db.sql, new Date(T0.getTime() + 400 * 60_000));
    const after = await db.sql<{ id: number }[]>`SELECT topic_id AS id FROM opinion_topic_members WHERE message_id = 5`;
    expect(after[0].id).toBe(before[0].id);
    const outage = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM opinion_topic_members WHERE topic_id = ${before[0].id}`;
    expect(outage[0].n).toBe(OUTAGE.length);

    // split: a topic that took in a message about another problem (as early choices on a small
    // corpus can) is parted by re-clustering, the larger part keeping the id
    const mixed: number[] = [];
    const parking = [
      ['无为市碧桂园车位捆绑销售', '无为市碧桂园开发商把车位和房子捆绑销售，不买车位不让签合同。'],
      ['碧桂园强制捆绑车位', '无为市碧桂园售楼处强制捆绑销售车位，买房必须加十万买车位。'],
      ['无为市碧桂园买房捆绑车位', '无为市碧桂园捆绑销售车位，购房者被迫多花钱，请住建部门查处。'],
    ];
    const fees = [['无为市第二中学乱收费', '无为市第二中学开学向学生收取补课费和资料费，家长负担很重。']];
    for (const [i, [t, b]] of [...parking, ...fees].entries()) mixed.push((await assignToTopic(db.sql, input(t, b, 500 + i))).topicId);
    expect(new Set(mixed.slice(0, 3)).size).toBe(1);
    expect(mixed[3]).not.toBe(mixed[0]);
    await moveMembers(db.sql, [{ messageId: nextId - 1, topicId: mixed[0] }]);
    await reclusterTopics(db.sql, new Date(T0.getTime() + 600 * 60_000));
    const rows = await db.sql<{ messageId: number; topicId: number }[]>`
      SELECT message_id, topic_id FROM opinion_topic_members WHERE message_id >= ${nextId - 4} ORDER BY message_id`;
    const parkingTopics = new Set(rows.slice(0, 3).map((x) => Number(x.topicId)));
    expect(parkingTopics.size).toBe(1);
    expect([...parkingTopics][0]).toBe(mixed[0]); // the larger part keeps the id
    expect(Number(rows[3].topicId)).not.toBe(mixed[0]);
    // its old topic, left empty, was absorbed or re-used: never two active topics for the one message
    const parkingTopic = (await getTopic(db.sql, mixed[0]))!;
    expect(parkingTopic.size).toBe(3);
    expect(parkingTopic.label).toMatch(/碧桂园/);
    expect(parkingTopic.labelTerms.join('')).toMatch(/车位|捆绑/);
  });
});
