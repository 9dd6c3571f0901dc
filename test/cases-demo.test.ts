// The demo loader gives a new user a city in mid-flow: cases in every stage, merged duplicates,
// ratings, returns, extensions, overdue and escalated cases; a second run changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMetrics } from '../core/analytics/metrics';
import { loadDemo } from '../core/demo/load';
import { silentLogger } from './support/app';
import { createTestDatabase, type TestDatabase } from './support/db';
import { shipped } from './support/cases';
import { allowFor } from './support/pipeline';

let db: TestDatabase;
const now = new Date('2026-11-20T16:00:00+08:00');
const DEMO = 300;
beforeAll(async () => {
  db = await createTestDatabase();
  await loadDemo({ sql: db.sql, logger: silentLogger, count: DEMO, now, shipped });
}, allowFor(DEMO, 50)); // from the work: some 50 ms a message idle
afterAll(async () => {
  await db.close();
});

async function counts() {
  const [r] = await db.sql<{ messages: number; orphans: number; cases: number; events: number }[]>`
    SELECT (SELECT count(*) FROM messages)::int AS messages,
      (SELECT count(*) FROM messages WHERE case_id IS NULL)::int AS orphans,
      (SELECT count(*) FROM cases)::int AS cases,
      (SELECT count(*) FROM case_events)::int AS events`;
  return r;
}

describe('demo data', () => {
  it('every message has a case; duplicates share one; cases reach every stage through the lifecycle', async () => {
    const c = await counts();
    expect(c.messages).toBe(300);
    expect(c.orphans).toBe(0);
    expect(c.cases).toBeLessThan(300);
    const byStatus = Object.fromEntries(
      (await db.sql<{ status: string; n: number }[]>`SELECT status, count(*)::int AS n FROM cases GROUP BY status`).map((r) => [r.status, r.n]),
    );
    const types = new Set((await db.sql<{ type: string }[]>`SELECT DISTINCT type FROM case_events`).map((r) => r.type));
    console.log('demo', { ...c, byStatus, types: [...types].sort() });
    for (const s of ['rated', 'closed']) expect(byStatus[s] ?? 0).toBeGreaterThan(0);
    for (const t of ['merged', 'accepted', 'returned', 'paused', 'resumed', 'extension-approved', 'replied', 'closed', 'rated', 'reopened', 'reminded', 'overdue', 'escalated']) {
      expect(types, t).toContain(t);
    }
    const m = await getMetrics(db.sql, { from: new Date(now.getTime() - 40 * 86_400_000), to: now, now });
    console.log('demo metrics', JSON.stringify(m));
    expect(m.satisfaction.rate).toBeGreaterThan(0.6);
    expect(m.satisfaction.rate).toBeLessThan(1);
  });

  it('a second start changes nothing', async () => {
    const before = await counts();
    expect((await loadDemo({ sql: db.sql, logger: silentLogger, count: 300, now, shipped })).skipped).toBe(true);
    expect(await counts()).toEqual(before);
  });
});
