// 热点 from the topic tables the workers keep (core/opinion): ranked by heat, the detector's burst
// flag (a new topic is new, not a burst, unless its volume alone is significant), the negative
// share and a masked public sample; served publicly at /api/v1/stats/topics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeMessage } from '../core/nlp/analyze';
import { getHotTopics } from '../core/opinion/read';
import { assignToTopic } from '../core/opinion/topics';
import type { InProcessQueue } from '../core/queue/in-process';
import { postJson, testApp, testConfig } from './support/app';
import { createTestDatabase, type TestDatabase } from './support/db';
import { inProcessPipeline, waitFor } from './support/pipeline';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;

beforeAll(async () => {
  db = await createTestDatabase();
  queue = inProcessPipeline(db);
  app = testApp(db, queue, testConfig({ PORTAL_RATE_LIMIT: '1000' }));
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

async function submit(title: string, content: string): Promise<string> {
  // consented to publication (the form's box, unticked by default): a public sample may come from it
  const res = await postJson(app, '/api/v1/messages', { title, content, contactName: '李先生', phone: '13905530001', isPublic: true });
  expect(res.status).toBe(201);
  return ((await res.json()) as { trackingNo: string }).trackingNo;
}

async function settled(): Promise<void> {
  await queue.drain();
  await waitFor(async () => {
    const [{ n }] = await db.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM messages m WHERE m.case_id IS NULL OR NOT EXISTS (SELECT 1 FROM opinion_topic_members t WHERE t.message_id = m.id)`;
    return n === 0;
  });
}

const NOISE = [
  '鸠江区湾里街道万春花园工地夜间施工噪音太大，凌晨两点还在打桩，根本没法睡觉，太气人了！',
  '万春花园旁边工地晚上施工噪音扰民，鸠江区湾里街道，每天半夜打桩，投诉多次没人管',
  '鸠江区湾里街道万春花园附近夜间施工打桩噪音严重，孩子没法休息，请管一管',
  '鸠江区湾里街道万春花园那个工地又在半夜打桩了，吵得全楼睡不着，强烈投诉！',
  '鸠江区万春花园工地半夜打桩，噪音扰民好几天了，气死人了',
  '鸠江区湾里街道万春花园工地打桩到凌晨，噪音吵得老人心脏不舒服，太过分了！',
];
const LAMPS = [
  '镜湖区赭山路一段路灯坏了好几天了，晚上走路不安全',
  '镜湖区赭山街道赭山路路灯不亮，晚上很黑，请尽快维修。',
  '镜湖区赭山路路灯晚上不亮，老人走路容易摔倒，请修一下',
  '镜湖区赭山路靠近学校那段路灯全黑，请尽快修复',
  '镜湖区赭山路的路灯又坏了，晚上黑漆漆的',
];

describe('hot topics', () => {
  it('ranks a burst above a steady topic, counts merged duplicates, keeps a steady topic unflagged, masks the sample', async () => {
    // the lamp problem has a history: three reports ten days ago (stored as the workers would have)
    const tenDaysAgo = Date.now() - 10 * 86_400_000;
    for (const [i, text] of LAMPS.slice(0, 3).entries()) {
      await assignToTopic(db.sql, {
        messageId: 900_000 + i, caseId: null, receivedAt: new Date(tenDaysAgo + i * 3_600_000), channel: 'portal', isPublic: true,
        title: '路灯不亮', body: text, analysis: analyzeMessage(text, { title: '路灯不亮' }), engagement: 0,
      });
    }
    for (const t of NOISE) await submit('万春花园工地打桩扰民（电话13905531234）', t);
    for (const t of LAMPS.slice(3)) await submit('路灯不亮', t);
    await settled();

    const r = await getHotTopics(db.sql, { days: 7 });
    expect(r.messages).toBe(NOISE.length + 2);
    const noise = r.topics.find((t) => t.district === '鸠江区');
    expect(noise).toBeDefined();
    expect(noise!.label).toMatch(/鸠江区.*万春/);
    expect(noise!.keywords.join('')).toMatch(/打桩|工地|施工|噪音/);
    expect(noise!.volume).toBe(NOISE.length); // messages, whether or not they were merged into one case
    expect(noise!.cases).toBeLessThanOrEqual(NOISE.length);
    expect(noise!.previous).toBe(0);
    expect(noise!.isNew).toBe(true);
    // new, and its volume alone (six reports within minutes) is far above any single topic's prior rate
    expect(noise!.burst).toBe(true);
    expect(noise!.growth).toBeNull();
    expect(noise!.negativeShare).toBeGreaterThanOrEqual(0.5);
    expect(noise!.sampleTitle).not.toContain('13905531234');
    expect(noise!.sampleTitle).toContain('万春花园');

    const lamp = r.topics.find((t) => t.district === '镜湖区');
    expect(lamp).toBeDefined();
    expect(lamp!.volume).toBe(2);
    expect(lamp!.previous).toBe(3);
    expect(lamp!.isNew).toBe(false);
    expect(lamp!.burst).toBe(false); // two reports of a known problem are not a burst
    expect(lamp!.growth).toBeLessThan(0);
    expect(r.topics.indexOf(noise!)).toBeLessThan(r.topics.indexOf(lamp!));
    expect(noise!.heat).toBeGreaterThan(lamp!.heat);
    // each message is in one topic
    expect(r.topics.reduce((n, t) => n + t.volume, 0)).toBeLessThanOrEqual(r.messages);

    // a 14-day window takes the lamp reports of last week in
    const wide = await getHotTopics(db.sql, { days: 14 });
    expect(wide.topics.find((t) => t.district === '镜湖区')!.volume).toBe(LAMPS.length);
  });

  it('F9: samples come only from public messages, names, addresses and numbers masked before the cut', async () => {
    const id = '340202199001011231';
    // the ID number straddles the 60-character cut: masked first, no fragment of it survives
    const head = '联系人周美玲弋江区中山南路100号下水道堵塞，污水外溢';
    const title = head + '臭'.repeat(52 - head.length) + `身份证${id}`;
    const post = (body: Record<string, unknown>) => postJson(app, '/api/v1/messages', { contactName: '周美玲', phone: '13905530002', isPublic: true, ...body });
    for (const i of [1, 2, 3]) {
      expect((await post({ title, content: `弋江区中山南路下水道堵塞，污水外溢第${i}天了，臭味很大，请尽快疏通` })).status).toBe(201);
    }
    for (const i of [1, 2, 3]) {
      const res = await post({ title: '钱文斌来电：繁昌区电梯困人', content: `繁昌区某小区电梯又困人了第${i}次，钱文斌来电反映，请尽快检修电梯`, contactName: '钱文斌', isPublic: false });
      expect(res.status).toBe(201);
    }
    await settled();
    const res = await app.request('/api/v1/stats/topics?days=7&limit=50&minVolume=2');
    const { topics } = (await res.json()) as { topics: { district: string | null; sampleTitle: string }[] };
    const drain = topics.find((t) => t.district === '弋江区');
    expect(drain).toBeDefined();
    expect(drain!.sampleTitle).toContain('下水道');
    const lift = topics.find((t) => t.district === '繁昌区');
    expect(lift).toBeDefined();
    expect(lift!.sampleTitle).not.toMatch(/电梯困人|钱/);
    const text = JSON.stringify(topics);
    for (const leak of ['周美玲', '美玲', '钱文斌', '100号', id.slice(0, 8), '1390553']) expect(text).not.toContain(leak);
  });

  it('is public over HTTP, with the query checked', async () => {
    const res = await app.request('/api/v1/stats/topics?days=7&limit=5');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { days: number; topics: { sampleTitle: string }[] };
    expect(body.days).toBe(7);
    expect(body.topics.length).toBeLessThanOrEqual(5);
    expect(JSON.stringify(body)).not.toMatch(/1390553\d{4}|李先生/);
    const bad = await app.request('/api/v1/stats/topics?days=0');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { details: { field: string }[] } }).error.details[0].field).toBe('days');
  });
});
