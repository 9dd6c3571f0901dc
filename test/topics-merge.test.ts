// A problem that went quiet and came back opened a second topic (its first topic was out of the
// join window): re-clustering finds the older topic by its centroid and merges the two back, the
// larger keeping its id. A different problem in the same place stays apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTopic, listMembers } from '../core/db/topics';
import { analyzeMessage } from '../core/nlp/analyze';
import { assignToTopic, reclusterTopics, type TopicInput } from '../core/opinion/topics';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ seed: false });
});
afterAll(async () => db?.close());

let nextId = 1;
const DAY = 86_400_000;
const T0 = new Date('2026-03-02T02:00:00Z');
function input(title: string, body: string, days: number): TopicInput {
  return {
    messageId: nextId++, caseId: null, receivedAt: new Date(T0.getTime() + days * DAY), channel: 'portal', isPublic: true,
    title, body, analysis: analyzeMessage(body, { title }), engagement: 0,
  };
}

const FUMES: [string, string][] = [
  ['镜湖区翠湖湾小区底商油烟扰民', '镜湖区翠湖湾小区楼下的烧烤店油烟直排，家里窗户都不敢开，油烟扰民严重。'],
  ['翠湖湾小区烧烤店油烟', '镜湖区翠湖湾小区底层商铺开烧烤店，油烟熏到楼上住户，晚上还很吵。'],
  ['投诉翠湖湾小区商铺油烟扰民', '镜湖区翠湖湾小区一楼商铺餐饮油烟没有净化直接排放，油烟扰民。'],
  ['翠湖湾小区楼下饭店油烟太大', '镜湖区翠湖湾小区楼下饭店油烟太大，衣服都晒不了，请环保部门处理。'],
  ['翠湖湾小区底商油烟直排', '镜湖区翠湖湾小区底商餐饮店油烟直排，居民深受其害，希望尽快整治。'],
];
const LATER: [string, string][] = [
  ['镜湖区翠湖湾小区油烟扰民又来了', '镜湖区翠湖湾小区楼下烧烤店油烟又开始直排了，油烟扰民，窗户不敢开。'],
  ['翠湖湾小区商铺油烟问题', '镜湖区翠湖湾小区底层商铺餐饮油烟熏人，整治过后又反弹，请再处理。'],
];
const OTHER: [string, string] = ['镜湖区翠湖湾小区电梯故障', '镜湖区翠湖湾小区5号楼电梯经常停运，老人上下楼很困难，请物业维修电梯。'];

describe('re-clustering merges a split topic', () => {
  it('merges a topic reopened after the join window into the older, larger one, keeping its id', async () => {
    for (const [i, [t, b]] of FUMES.entries()) await assignToTopic(db.sql, input(t, b, i * 0.2));
    await reclusterTopics(db.sql, new Date(T0.getTime() + 1.5 * DAY)); // on a corpus this small the first choices may differ
    const first = (await db.sql<{ t: number }[]>`SELECT topic_id AS t FROM opinion_topic_members WHERE message_id <= ${FUMES.length}`).map((x) => Number(x.t));
    expect(new Set(first).size).toBe(1);
    const lift = (await assignToTopic(db.sql, input(OTHER[0], OTHER[1], 1))).topicId;
    // sixty days later (beyond the 45-day join window) the same problem opens a second topic
    const second = [];
    for (const [i, [t, b]] of LATER.entries()) second.push((await assignToTopic(db.sql, input(t, b, 60 + i * 0.1))).topicId);
    expect(second).not.toContain(first[0]);

    const r = await reclusterTopics(db.sql, new Date(T0.getTime() + 61 * DAY));
    expect(r.merged).toBe(new Set(second).size);
    const kept = (await getTopic(db.sql, first[0]))!; // the larger keeps its id
    expect(kept.status).toBe('active');
    expect(kept.size).toBe(FUMES.length + LATER.length);
    expect((await listMembers(db.sql, first[0])).length).toBe(FUMES.length + LATER.length);
    for (const id of new Set(second)) {
      const gone = (await getTopic(db.sql, id))!;
      expect(gone.status).toBe('merged');
      expect(gone.mergedInto).toBe(first[0]);
    }
    // the lift problem in the same 小区 is its own topic still
    const l = (await getTopic(db.sql, lift))!;
    expect(l.status).toBe('active');
    expect(l.size).toBe(1);
    expect(kept.label).toMatch(/翠湖湾小区/);
    expect(kept.labelTerms.join('')).toMatch(/油烟/);
  });
});

describe('re-clustering keeps the members older than its window', () => {
  it('a topic that loses a recent member keeps its older members in its size and first day', async () => {
    // a problem six weeks running (one message a week), then a message about another problem put into it by mistake
    const base = 200; // days after T0, far from the tests above
    const ids: number[] = [];
    let topicId = 0;
    for (let w = 5; w >= 0; w--) {
      const m = input('弋江区南瑞街道丰禾农贸市场垃圾堆积', `弋江区南瑞街道丰禾农贸市场门口垃圾堆积，臭气熏天，第${6 - w}周了。`, base - w * 7);
      const r = await assignToTopic(db.sql, m);
      topicId ||= r.topicId!;
      expect(r.topicId).toBe(topicId);
      ids.push(m.messageId);
    }
    const strayInput = input('弋江区南瑞街道丰禾小区电梯故障', '弋江区南瑞街道丰禾小区3号楼电梯停运一周了，老人上下楼困难，请物业维修电梯。', base);
    const stray = await assignToTopic(db.sql, strayInput);
    expect(stray.topicId).not.toBe(topicId);
    await db.sql`UPDATE opinion_topic_members SET topic_id = ${topicId} WHERE message_id = ${strayInput.messageId}`;

    const r = await reclusterTopics(db.sql, new Date(T0.getTime() + (base + 0.5) * DAY));
    expect(r.moved).toBeGreaterThanOrEqual(1); // the stray message leaves
    const members = (await listMembers(db.sql, topicId)).map((m) => Number(m.messageId)).sort((a, b) => a - b);
    expect(members).toEqual(ids.sort((a, b) => a - b));
    const t = (await getTopic(db.sql, topicId))!;
    expect(t.size).toBe(6); // not only the two inside the 14-day window
    expect(t.firstAt.getTime()).toBe(T0.getTime() + (base - 35) * DAY);
  });
});
