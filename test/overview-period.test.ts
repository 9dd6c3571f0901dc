// 总览 follows the chosen period: 留言总数 and 渠道来源 count the messages received in the range (from the
// rollups), not all time; with a district filter, the processed messages of that district in the range.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMessage } from '../core/db/messages';
import { syncMessageRollup } from '../core/db/rollups';
import { InProcessQueue } from '../core/queue/in-process';
import { testApp } from './support/app';
import { incoming } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
const DAY = 86_400_000;
const now = Date.now();

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue();
  // received 2, 5, 20 and 60 days ago, on several channels; every other one processed in 镜湖区
  const plan: [number, 'portal' | 'weibo' | 'hotline'][] = [[2, 'portal'], [2, 'weibo'], [5, 'hotline'], [5, 'portal'], [20, 'weibo'], [20, 'weibo'], [60, 'hotline'], [60, 'portal']];
  for (const [i, [daysAgo, channel]] of plan.entries()) {
    const { message } = await insertMessage(db.sql, incoming({ channel, receivedAt: new Date(now - daysAgo * DAY) }));
    if (i % 2 === 0) {
      const analysis = { place: { district: '镜湖区' }, category: { label: '城乡建设' }, sentiment: { label: 'negative' }, requestType: { label: '投诉' } };
      await db.sql`UPDATE messages SET analysis = ${db.sql.json(analysis)}, state = 'processed', processed_at = now() WHERE id = ${message.id}`;
      await syncMessageRollup(db.sql, message.id);
    }
  }
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

type Messages = { total: number; periodTotal: number; byChannel: Record<string, number>; periodByChannel: Record<string, number> };
async function overview(days: number | { from: number; to: number }, extra: Record<string, string> = {}): Promise<Messages> {
  const app = testApp(db, queue);
  const q: Record<string, string> = typeof days === 'number' ? { days: String(days) } : { from: new Date(now - days.from * DAY).toISOString(), to: new Date(now - days.to * DAY).toISOString() };
  const res = await app.request(`/api/v1/stats/overview?${new URLSearchParams({ ...q, ...extra })}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { messages: Messages }).messages;
}

describe('总览 in the chosen period', () => {
  it('counts the messages received in the range, by channel, and keeps the all-time figures apart', async () => {
    const week = await overview(7);
    expect(week.periodTotal).toBe(4);
    expect(week.periodByChannel).toEqual({ portal: 2, weibo: 1, hotline: 1 });
    expect(week.total).toBe(8);
    expect(week.byChannel).toEqual({ portal: 3, weibo: 3, hotline: 2 });

    const month = await overview(30);
    expect(month.periodTotal).toBe(6);
    expect(month.periodByChannel).toEqual({ portal: 2, weibo: 3, hotline: 1 });

    // a custom range: 30 to 10 days ago holds only the two of 20 days ago
    const custom = await overview({ from: 30, to: 10 });
    expect(custom.periodTotal).toBe(2);
    expect(custom.periodByChannel).toEqual({ weibo: 2 });
  });

  it('with a district filter counts that district’s processed messages in the range', async () => {
    const week = await overview(7, { district: '镜湖区' });
    expect(week.periodTotal).toBe(2); // of 2 days ago (portal) and 5 days ago (hotline)
    expect(week.periodByChannel).toEqual({ portal: 1, hotline: 1 });
    const all = await overview(90, { district: '镜湖区' });
    expect(all.periodTotal).toBe(4);
    expect(all.total).toBe(4);
  });
});
