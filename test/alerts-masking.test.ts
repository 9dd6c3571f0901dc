// The 舆情预警 list shows each quoted message as it may leave the system now: an alert stored by an
// older version (its evidence text masked less, or not at all) is masked again from the stored
// message when staff read it, as the webhook and e-mail already were — one read for the whole page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAlertRule, openAlertEpisode } from '../core/db/alerts';
import { insertMessage } from '../core/db/messages';
import { InProcessQueue } from '../core/queue/in-process';
import { testApp } from './support/app';
import { incoming, staffToken } from './support/cases';
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

describe('alert evidence read by staff', () => {
  it('is masked with today’s masking, whatever the stored evidence says', async () => {
    const bodies = [
      '鸠江区官陡门路工地夜间作业噪音扰民，我是刘桂兰，15056781234，请相关部门查处。',
      '鸠江区官陡门路工地打桩扰民，身份证号340202198705061234，住6栋1单元302室。',
    ];
    const ids: number[] = [];
    for (const body of bodies) ids.push((await insertMessage(db.sql, incoming({ body, contactName: '周淑芬', contactPhone: '18955321234' }))).message.id);
    const rule = await insertAlertRule(db.sql, { name: '工地预警', enabled: false, definition: {}, createdBy: null });
    // as an older version stored it: the texts as they were written
    for (const [i, id] of ids.entries()) {
      await openAlertEpisode(db.sql, {
        ruleId: rule.id, scopeKey: `old-${i}`, district: '鸠江区', topicId: null, title: `工地预警 ${i}`, at: new Date(Date.now() - i * 60_000),
        evidence: { count: 1, topMessages: [{ id, receivedAt: new Date().toISOString(), channel: 'portal', district: '鸠江区', sentiment: 'negative', text: bodies[i] }] },
      });
    }
    const app = testApp(db, queue);
    const leader = await staffToken(db.sql, 'leader');
    const auth = { headers: { authorization: `Bearer ${leader}` } };
    const list = (await (await app.request('/api/v1/alerts', auth)).json()) as { alerts: { id: number; evidence: { topMessages: { text: string }[] } }[] };
    expect(list.alerts).toHaveLength(2);
    const one = await (await app.request(`/api/v1/alerts/${list.alerts[0].id}`, auth)).text();
    for (const text of [JSON.stringify(list), one]) {
      for (const secret of ['刘桂兰', '15056781234', '340202198705061234', '6栋1单元302室']) expect(text).not.toContain(secret);
    }
    const texts = list.alerts.flatMap((a) => a.evidence.topMessages.map((m) => m.text));
    expect(texts.join('\n')).toContain('我是刘**');
    expect(texts.join('\n')).toContain('官陡门路工地打桩扰民');
  });
});
