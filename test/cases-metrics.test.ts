// 三率 with known numbers: open overdue cases count as misses, satisfaction is over rated cases
// with the rated share beside it, rankings leave out departments below the minimum volume.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDepartmentRanking, getMetrics } from '../core/analytics/metrics';
import { appendCaseEvents } from '../core/db/cases';
import { rebuildRollups } from '../core/db/rollups';
import { testApp } from './support/app';
import { staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';
import { InProcessQueue } from '../core/queue/in-process';

let db: TestDatabase;
const now = new Date('2026-03-31T12:00:00+08:00');
const from = new Date('2026-03-01T00:00:00+08:00');
const to = new Date('2026-04-01T00:00:00+08:00');
const day = (d: number, h = 10) => new Date(`2026-03-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00+08:00`);

let seq = 0;
async function addCase(o: {
  dept: string; status: string; responseDue: Date; firstResponse?: Date; resolveDue: Date; replied?: Date; closed?: boolean; rating?: string; resolved?: boolean;
}) {
  seq++;
  const [{ id }] = await db.sql<{ id: number }[]>`
    INSERT INTO cases (tracking_no, status, summary, channel, department_code, response_due_at, first_response_at, resolve_due_at, replied_at, created_at)
    VALUES (${'MT' + seq}, ${o.status}, 'x', 'portal', ${o.dept}, ${o.responseDue}, ${o.firstResponse ?? null}, ${o.resolveDue}, ${o.replied ?? null}, ${day(2)})
    RETURNING id`;
  const events = [];
  if (o.closed) events.push({ type: 'closed', fromStatus: 'replied', toStatus: 'closed', actorKind: 'centre' as const, at: day(20) });
  if (o.rating) events.push({ type: 'rated', fromStatus: 'closed', toStatus: 'rated', actorKind: 'resident' as const, at: day(21), data: { rating: o.rating, resolved: o.resolved ?? null } });
  await appendCaseEvents(db.sql, id, events);
}

beforeAll(async () => {
  db = await createTestDatabase();
  // housing: 20 cases. 10 answered on time and rated (6 满意, 2 基本满意, 2 不满意), 4 closed unrated
  // (replied late), 6 still open and overdue (no response at all).
  const ratings = ['满意', '满意', '满意', '满意', '满意', '满意', '基本满意', '基本满意', '不满意', '不满意'];
  for (let i = 0; i < 10; i++) {
    await addCase({ dept: 'housing', status: 'rated', responseDue: day(4), firstResponse: day(3), resolveDue: day(9), replied: day(8), closed: true, rating: ratings[i], resolved: i < 7 });
  }
  for (let i = 0; i < 4; i++) await addCase({ dept: 'housing', status: 'closed', responseDue: day(4), firstResponse: day(5), resolveDue: day(9), replied: day(12), closed: true });
  for (let i = 0; i < 6; i++) await addCase({ dept: 'housing', status: 'accepted', responseDue: day(4), resolveDue: day(9) });
  // ecology: 3 perfect cases, below the minimum volume
  for (let i = 0; i < 3; i++) {
    await addCase({ dept: 'ecology', status: 'rated', responseDue: day(4), firstResponse: day(3), resolveDue: day(9), replied: day(5), closed: true, rating: '满意', resolved: true });
  }
  // not yet decided: deadlines in the future, no response yet
  await addCase({ dept: 'ecology', status: 'dispatched', responseDue: new Date('2026-04-02T17:30:00+08:00'), resolveDue: new Date('2026-04-09T17:30:00+08:00') });
  // the rows were written by hand, past the workers' hooks: count them as of the test's clock
  await rebuildRollups(db.sql, now);
});
afterAll(async () => {
  await db.close();
});

describe('metrics', () => {
  it('counts open overdue cases as misses and shows every denominator', async () => {
    const m = await getMetrics(db.sql, { from, to, now });
    expect(m.volume).toBe(24);
    // response: 13 on time of 23 whose deadline passed (4 late + 6 never)
    expect(m.response).toEqual({ rate: 0.5652, numerator: 13, denominator: 23 });
    // on time: 13 replied by the deadline of 23 replied or past the deadline
    expect(m.onTime).toEqual({ rate: 0.5652, numerator: 13, denominator: 23 });
    // satisfaction: (6 + 2 + 3) / 13 rated; 13 of 17 closed cases were rated
    expect(m.satisfaction).toMatchObject({ rate: 0.8462, numerator: 11, denominator: 13, rated: 13, closed: 17, ratedShare: 0.7647 });
    expect(m.resolution).toEqual({ rate: 0.7692, numerator: 10, denominator: 13 });
    expect(m.overdueOpen).toBe(6);
  });

  it('ranks only departments with the minimum volume, with volume beside every rate', async () => {
    const r = await getDepartmentRanking(db.sql, { from, to, now, minVolume: 20 });
    expect(r.ranked.map((d) => [d.rank, d.department, d.volume])).toEqual([[1, 'housing', 20]]);
    expect(r.ranked[0].response).toEqual({ rate: 0.5, numerator: 10, denominator: 20 });
    expect(r.ranked[0].satisfaction.rate).toBe(0.8);
    expect(r.belowMinimum.map((d) => [d.department, d.volume, d.onTime.rate])).toEqual([['ecology', 4, 1]]);
    const all = await getDepartmentRanking(db.sql, { from, to, now, minVolume: 1 });
    expect(all.ranked.map((d) => d.department)).toEqual(['ecology', 'housing']);
  });

  it('serves both over HTTP', async () => {
    const queue = new InProcessQueue();
    const app = testApp(db, queue);
    const res = await app.request(`/api/v1/stats/departments?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}&minVolume=20`, {
      headers: { authorization: `Bearer ${await staffToken(db.sql, 'leader')}` }, // the ranking is for staff
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { ranked: unknown[] }).ranked).toHaveLength(1);
    const bad = await app.request('/api/v1/stats/metrics?days=0');
    expect(bad.status).toBe(400);
    expect((await app.request('/api/v1/stats/metrics')).status).toBe(200);
    await queue.close();
  });
});
