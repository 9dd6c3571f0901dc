// The topic step keeps its candidate topics' rows between steps (core/opinion/topic-rows.ts) and
// has only changed rows sent again. What it hands out must be what reading them whole gives: the same
// topics, in the same order, as they are now, whoever changed them; and the step must not change a
// kept row in place. Our own fixture sentences.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCandidateTopics } from '../core/db/topics';
import { analyzeMessage } from '../core/nlp/analyze';
import { TopicRows, topicRows } from '../core/opinion/topic-rows';
import { assignToTopic, type TopicInput } from '../core/opinion/topics';
import { createTestDatabase, type TestDatabase } from './support/db';

const T0 = new Date('2026-05-04T02:00:00Z').getTime();
const TEXTS: [string, string][] = [
  ['镜湖区春江花园停水', '镜湖区春江花园小区从昨天早上开始停水，到现在十几个小时了，老人孩子没法做饭。'],
  ['镜湖区银湖路路灯不亮', '镜湖区赭山街道银湖路的路灯坏了一个多月，晚上走路很不安全。'],
  ['春江花园没水了', '镜湖区春江花园小区一直没有自来水，请自来水公司尽快恢复供水。'],
  ['镜湖区工地夜间施工噪音', '镜湖区中山北路工地每天夜里打桩，噪音吵得孩子睡不着觉。'],
  ['银湖路路灯坏了', '镜湖区银湖路路灯一直不亮，晚上黑漆漆的，请尽快修好。'],
  ['镜湖区公交线路停运', '镜湖区这条公交线路突然停运，上班的人没有车坐，也没有通知。'],
  ['春江花园停水第二天', '镜湖区春江花园小区停水已经两天，物业说不知道什么时候来水。'],
  ['香樟湾小区电梯坏了', '香樟湾小区的电梯坏了三天，老人上下楼很困难。'],
  ['中山北路工地夜里打桩', '镜湖区中山北路的工地半夜还在施工打桩，噪音扰民，希望管一管。'],
];
const analyses = TEXTS.map(([title, body]) => analyzeMessage(body, { title }));
const input = (i: number): TopicInput => ({
  messageId: 500 + i, caseId: null, receivedAt: new Date(T0 + i * 900_000), channel: 'portal', isPublic: true,
  title: TEXTS[i][0], body: TEXTS[i][1], analysis: analyses[i], engagement: 0,
});
const SINCE = new Date(T0 - 30 * 86_400_000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ seed: false });
});
afterAll(async () => db?.close());

describe('kept candidate topics', () => {
  it('hands out what reading them whole gives, step after step, and sends only the changed rows', async () => {
    const kept = topicRows(db.sql);
    const scopes: [string | null, string[]][] = [['镜湖区', []], [null, []], [null, ['香樟湾']]];
    for (let i = 0; i < TEXTS.length; i++) {
      const r = await assignToTopic(db.sql, input(i));
      const [row] = await db.sql<{ district: string | null }[]>`SELECT district FROM opinion_topics WHERE id = ${r.topicId}`;
      for (const [district, anchors] of [...scopes, [row.district, []] as [string | null, string[]]]) {
        const whole = await listCandidateTopics(db.sql, district, SINCE, 400, anchors);
        expect(await kept.candidates(db.sql, district, SINCE, 400, anchors)).toEqual(whole);
      }
    }
    expect(kept.counts.kept).toBeGreaterThan(kept.counts.read); // most rows were not sent again
    // a limit below the topics' count: the most recent ones, as read whole
    expect(await kept.candidates(db.sql, '镜湖区', SINCE, 2, [])).toEqual(await listCandidateTopics(db.sql, '镜湖区', SINCE, 2, []));
  });

  it('keeps no change of a step that rolled back, and reads a row changed by anyone afresh', async () => {
    const kept = topicRows(db.sql);
    const whole = () => listCandidateTopics(db.sql, '镜湖区', SINCE, 400, []);
    expect(await kept.candidates(db.sql, '镜湖区', SINCE, 400, [])).toEqual(await whole());
    // a step that joins a kept topic and fails at its last write: nothing of it may stay in the kept rows
    await db.sql.unsafe(`CREATE FUNCTION refuse_topic_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`);
    await db.sql.unsafe('CREATE TRIGGER refuse_topic_update BEFORE UPDATE ON opinion_topics FOR EACH ROW EXECUTE FUNCTION refuse_topic_update()');
    try {
      await expect(assignToTopic(db.sql, { ...input(0), messageId: 900, receivedAt: new Date(T0 + 20 * 900_000) })).rejects.toThrow(/refused/);
    } finally {
      await db.sql.unsafe('DROP TRIGGER refuse_topic_update ON opinion_topics');
      await db.sql.unsafe('DROP FUNCTION refuse_topic_update()');
    }
    expect(await kept.candidates(db.sql, '镜湖区', SINCE, 400, [])).toEqual(await whole());
    // the same step again, now written: the joined topic is read afresh
    const r = await assignToTopic(db.sql, { ...input(0), messageId: 900, receivedAt: new Date(T0 + 20 * 900_000) });
    expect(r.created).toBe(false);
    const now = await kept.candidates(db.sql, '镜湖区', SINCE, 400, []);
    expect(now).toEqual(await whole());
    // changed by another writer
    const target = now.find((t) => t.id !== r.topicId)!;
    await db.sql`UPDATE opinion_topics SET label = ${'别人改过的标签'} WHERE id = ${target.id}`;
    const after = await kept.candidates(db.sql, '镜湖区', SINCE, 400, []);
    expect(after.find((t) => t.id === target.id)!.label).toBe('别人改过的标签');
    expect(after).toEqual(await whole());
  });

  it('keeps at most its limit of rows and still answers right', async () => {
    const small = new TopicRows(2);
    for (let k = 0; k < 3; k++) {
      expect(await small.candidates(db.sql, '镜湖区', SINCE, 400, [])).toEqual(await listCandidateTopics(db.sql, '镜湖区', SINCE, 400, []));
      expect(small.size()).toBeLessThanOrEqual(2);
    }
  });
});
