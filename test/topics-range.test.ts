// GET /api/v1/stats/topics takes the cockpit's own period (from–to) as well as `days`: the answer's
// window is that period (and the one as long before it), a bad period is a 400 in Chinese.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessQueue } from '../core/queue/in-process';
import { testApp } from './support/app';
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

describe('hot topics for a chosen period', () => {
  it('answers for [from, to) beside the window as long before it; refuses a reversed or over-long period', async () => {
    const app = testApp(db, queue);
    const from = '2026-11-01T00:00:00+08:00';
    const to = '2026-11-15T00:00:00+08:00';
    const ok = await app.request(`/api/v1/stats/topics?${new URLSearchParams({ from, to })}`);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { days: number; from: string; to: string; previousFrom: string };
    expect(new Date(body.from).getTime()).toBe(new Date(from).getTime());
    expect(new Date(body.to).getTime()).toBe(new Date(to).getTime());
    expect(new Date(body.previousFrom).getTime()).toBe(new Date('2026-10-18T00:00:00+08:00').getTime());
    expect(body.days).toBe(14);

    const reversed = await app.request(`/api/v1/stats/topics?${new URLSearchParams({ from: to, to: from })}`);
    expect(reversed.status).toBe(400);
    expect(((await reversed.json()) as { error: { details: { field: string; message: string }[] } }).error.details[0]).toMatchObject({ field: 'from', message: expect.stringContaining('开始时间须早于结束时间') });
    const long = await app.request(`/api/v1/stats/topics?${new URLSearchParams({ from: '2025-01-01T00:00:00+08:00', to })}`);
    expect(long.status).toBe(400);
  });
});
