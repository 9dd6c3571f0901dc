// A topic's representative message and its members' texts are masked again with today's rules when
// read (the hot list, public and staff, and the topic detail), as alerts and reports are: a sample
// kept by a version whose masking missed a name after 我是, an ID number or a door no longer shows
// them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeMessage } from '../core/nlp/analyze';
import { assignToTopic } from '../core/opinion/topics';
import { InProcessQueue } from '../core/queue/in-process';
import { testApp } from './support/app';
import { staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue();
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

const KEPT = '官陡门路工地夜间打桩，我是刘桂兰，身份证号340202198705061234，住6栋1单元302室';
const SECRETS = ['刘桂兰', '340202198705061234', '6栋1单元302室'];

describe('a topic sample kept by an older masking', () => {
  it('is masked again on the hot list and in the topic detail', async () => {
    const now = Date.now();
    let topicId = 0;
    for (let i = 0; i < 3; i++) {
      const body = `鸠江区官陡门路工地夜间打桩噪音扰民，第${i + 1}晚了，请城管查处。`;
      const r = await assignToTopic(db.sql, {
        messageId: 8_100_000 + i, caseId: null, receivedAt: new Date(now - (3 - i) * 600_000), channel: 'portal', isPublic: true,
        title: '官陡门路工地夜间打桩', body, analysis: analyzeMessage(body, { title: '官陡门路工地夜间打桩' }), engagement: 0,
      });
      topicId ||= r.topicId!;
      expect(r.topicId).toBe(topicId);
    }
    // as an older version kept them: the sample and the members' texts with the name, ID number and door
    await db.sql`UPDATE opinion_topics SET public_sample = ${KEPT} WHERE id = ${topicId}`;
    await db.sql`UPDATE opinion_topic_members SET sample = ${KEPT} WHERE topic_id = ${topicId}`;
    const app = testApp(db, queue);
    const q = `from=${encodeURIComponent(new Date(now - 86_400_000).toISOString())}&to=${encodeURIComponent(new Date(now + 3_600_000).toISOString())}&minVolume=1`;
    const auth = { headers: { authorization: `Bearer ${await staffToken(db.sql, 'leader')}` } };
    const pub = await app.request(`/api/v1/stats/topics?${q}`);
    const staff = await app.request(`/api/v1/stats/topics?${q}`, auth);
    const detail = await app.request(`/api/v1/topics/${topicId}`, auth);
    for (const [what, res] of [['public hot list', pub], ['staff hot list', staff], ['topic detail', detail]] as const) {
      expect(res.status, what).toBe(200);
      const text = await res.text();
      expect(text, what).toContain('我是刘**');
      for (const s of SECRETS) expect(text, `${what}: ${s}`).not.toContain(s);
    }
  });
});
