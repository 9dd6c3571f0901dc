// Duplicate merge through the real pipeline: paraphrases of one problem from different channels
// join one case; a different problem at the same place, or the same words elsewhere, does not.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertMessage } from '../core/db/messages';
import type { InProcessQueue } from '../core/queue/in-process';
import { incoming } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';
import { inProcessPipeline } from './support/pipeline';

let db: TestDatabase;
let queue: InProcessQueue;
beforeEach(async () => {
  db = await createTestDatabase();
  queue = inProcessPipeline(db);
});
afterEach(async () => {
  await queue.close();
  await db.close();
});

const t0 = Date.now() - 3 * 86_400_000;
async function submit(channel: 'portal' | 'wechat' | 'weibo' | 'hotline', body: string, minutesLater: number, title: string | null = null) {
  const { message } = await insertMessage(db.sql, incoming({ channel, body, title, receivedAt: new Date(t0 + minutesLater * 60_000) }));
  await queue.enqueue('process-message', { messageId: message.id });
  await queue.drain();
  const [m] = await db.sql<{ caseId: number }[]>`SELECT case_id AS "caseId" FROM messages WHERE id = ${message.id}`;
  return { id: message.id, caseId: m.caseId };
}

describe('duplicate merge on intake', () => {
  it('attaches paraphrased duplicates from other channels to the open case, with a confidence', async () => {
    const a = await submit('portal', '镜湖区赭山街道赭山路靠近赭山公园东门的一排路灯已经连续一周晚上不亮，晚上出行很不安全，请尽快维修。', 0, '赭山路路灯不亮');
    const b = await submit('wechat', '赭山公园东门那段赭山路，路灯坏了好几天了，天黑以后黑漆漆的，老人孩子走路很危险，麻烦派人修一下（镜湖区赭山街道）', 90);
    const c = await submit('hotline', '来电反映：镜湖区赭山街道赭山路赭山公园东门附近路灯长期不亮，夜间通行存在安全隐患，要求尽快修复。', 600);
    expect(b.caseId).toBe(a.caseId);
    expect(c.caseId).toBe(a.caseId);
    const merged = await db.sql<{ data: { messageId: number; confidence: number; channel: string } }[]>`
      SELECT data FROM case_events WHERE case_id = ${a.caseId} AND type = 'merged' ORDER BY seq`;
    expect(merged.map((e) => [e.data.messageId, e.data.channel])).toEqual([[b.id, 'wechat'], [c.id, 'hotline']]);
    for (const e of merged) expect(e.data.confidence).toBeGreaterThanOrEqual(0.42);
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM cases`;
    expect(n).toBe(1);
  });

  it('two duplicates processed at the same moment still make one case', async () => {
    const texts = [
      '鸠江区湾里街道幸福家园小区门口的路灯一周都不亮了，晚上出行很不安全，请尽快维修。',
      '幸福家园小区门口那几盏路灯坏了一个星期了，天黑走路很危险，麻烦修一下（鸠江区湾里街道）',
    ];
    const ids: number[] = [];
    for (const [i, body] of texts.entries()) {
      const { message } = await insertMessage(db.sql, incoming({ channel: i ? 'wechat' : 'portal', body, receivedAt: new Date(t0 + i * 60_000) }));
      ids.push(message.id);
    }
    await Promise.all(ids.map((messageId) => queue.enqueue('process-message', { messageId })));
    await queue.drain();
    const rows = await db.sql<{ caseId: number }[]>`SELECT case_id AS "caseId" FROM messages WHERE id IN ${db.sql(ids)}`;
    expect(new Set(rows.map((r) => r.caseId)).size).toBe(1);
  });

  it('keeps different problems apart: another object at the same place, another building, another district', async () => {
    const lamp = await submit('portal', '镜湖区赭山街道赭山路靠近赭山公园东门的一排路灯已经连续一周晚上不亮，晚上出行很不安全，请尽快维修。', 0);
    const manhole = await submit('wechat', '镜湖区赭山街道赭山路赭山公园东门附近有个窨井盖丢了，晚上看不见很危险，请尽快补上。', 30);
    const elsewhere = await submit('weibo', '鸠江区湾里街道幸福家园小区门口的路灯一周都不亮了，晚上出行很不安全，请尽快维修。', 60);
    const lift3 = await submit('hotline', '鸠江区湾里街道幸福家园3栋的电梯坏了三天了，老人上下楼很困难，物业一直不修。', 90);
    const lift5 = await submit('portal', '鸠江区湾里街道幸福家园5栋电梯坏了三天，物业不管，老人下不了楼。', 120);
    const ids = [lamp, manhole, elsewhere, lift3, lift5].map((x) => x.caseId);
    expect(new Set(ids).size).toBe(5);
  });

  it('does not merge into a case that is no longer open, nor outside the time window', async () => {
    const first = await submit('portal', '无为市无城镇绣溪路自来水停水一整天了，没有任何通知，家里做饭洗澡都成问题。', 0);
    await db.sql`UPDATE cases SET status = 'closed' WHERE id = ${first.caseId}`;
    const again = await submit('hotline', '无为市无城镇绣溪路那一片从早上到现在都没水，也没看到停水公告，什么时候能恢复供水？', 60);
    expect(again.caseId).not.toBe(first.caseId);
    const late = await submit('wechat', '无为市无城镇绣溪路又停水了，没有任何通知，做饭洗澡都成问题。', 8 * 24 * 60 + 60);
    expect(late.caseId).not.toBe(again.caseId);
  });
  it('files a closed case\'s keys as closed and a reopened one\'s as open again, so only open cases are read as candidates', async () => {
    const first = await submit('portal', '镜湖区赭山街道赭山路靠近赭山公园东门的一排路灯已经连续一周晚上不亮，晚上出行很不安全，请尽快维修。', 0, '赭山路路灯不亮');
    const keyStates = async () =>
      (await db.sql<{ open: boolean; n: number }[]>`SELECT open, count(*)::int AS n FROM case_dup_keys WHERE case_id = ${first.caseId} GROUP BY open ORDER BY open`)
        .map((r) => [r.open, r.n > 0]);
    expect(await keyStates()).toEqual([[true, true]]);
    await db.sql`UPDATE cases SET status = 'closed' WHERE id = ${first.caseId}`;
    expect(await keyStates()).toEqual([[false, true]]);
    const whileClosed = await submit('wechat', '赭山公园东门那段赭山路，路灯坏了好几天了，天黑以后黑漆漆的，老人孩子走路很危险，麻烦派人修一下（镜湖区赭山街道）', 90);
    expect(whileClosed.caseId).not.toBe(first.caseId);
    // a status change between two closed statuses, or two open ones, leaves the flag alone
    await db.sql`UPDATE cases SET status = 'closed' WHERE id = ${first.caseId}`;
    expect(await keyStates()).toEqual([[false, true]]);
    await db.sql`UPDATE cases SET status = 'returned' WHERE id = ${first.caseId}`;
    expect(await keyStates()).toEqual([[true, true]]);
    await db.sql`UPDATE cases SET status = 'dispatched' WHERE id = ${first.caseId}`;
    expect(await keyStates()).toEqual([[true, true]]);
    await db.sql`UPDATE cases SET status = 'closed' WHERE id = ${whileClosed.caseId}`;
    const reopened = await submit('hotline', '来电反映：镜湖区赭山街道赭山路赭山公园东门附近路灯长期不亮，夜间通行存在安全隐患，要求尽快修复。', 600);
    expect(reopened.caseId).toBe(first.caseId);
  });

  it('merges into a case opened before duplicate features existed (the legacy list, read in the same statement as the index), and indexes it', async () => {
    const old = await submit('portal', '镜湖区赭山街道赭山路靠近赭山公园东门的一排路灯已经连续一周晚上不亮，晚上出行很不安全，请尽快维修。', 0, '赭山路路灯不亮');
    // as a case opened before migration 0100: no features, no keys, on the legacy list
    await db.sql`DELETE FROM case_dup_keys WHERE case_id = ${old.caseId}`;
    await db.sql`DELETE FROM case_dup_features WHERE case_id = ${old.caseId}`;
    await db.sql`INSERT INTO case_dup_legacy (case_id) VALUES (${old.caseId})`;
    const again = await submit('wechat', '赭山公园东门那段赭山路，路灯坏了好几天了，天黑以后黑漆漆的，老人孩子走路很危险，麻烦派人修一下（镜湖区赭山街道）', 90);
    expect(again.caseId).toBe(old.caseId);
    const [after] = await db.sql<{ listed: number; features: number; keys: number }[]>`
      SELECT (SELECT count(*)::int FROM case_dup_legacy) AS listed,
             (SELECT count(*)::int FROM case_dup_features WHERE case_id = ${old.caseId}) AS features,
             (SELECT count(*)::int FROM case_dup_keys WHERE case_id = ${old.caseId}) AS keys`;
    expect(after.listed).toBe(0);
    expect(after.features).toBe(1);
    expect(after.keys).toBeGreaterThan(0);
    // now found through the index
    const third = await submit('hotline', '来电反映：镜湖区赭山街道赭山路赭山公园东门附近路灯长期不亮，夜间通行存在安全隐患，要求尽快修复。', 600);
    expect(third.caseId).toBe(old.caseId);
  });
});
