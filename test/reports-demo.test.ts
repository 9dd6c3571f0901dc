// A fresh demo installation: the scheduled first 日报/周报 wait for the demo data (and its topics); a
// report made before the load began is made again once it is done, so no kept report stays empty.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getReport } from '../core/db/reports';
import { loadDemo } from '../core/demo/load';
import { sweepTopics } from '../core/opinion/topics';
import { makeDueReports } from '../core/reports/make-report';
import { silentLogger } from './support/app';
import { shipped } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';
import { allowFor } from './support/pipeline';

let db: TestDatabase;
const DEMO = 60;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

type Data = { totals: { messages: number }; topTopics: unknown[] };
const dataOf = async (id: number) => (await getReport(db.sql, id))!.data as Data;

describe('reports on a fresh demo installation', () => {
  it('wait for the demo load and its topics, and a report made before it is made again', async () => {
    // the schedule's first run on start, before the demo loader has begun: an empty daily and weekly
    const early = await makeDueReports({ sql: db.sql, now: new Date() });
    expect(early.map((r) => r.kind).sort()).toEqual(['daily', 'weekly']);
    expect((await dataOf(early[0].id)).totals.messages).toBe(0);

    // while the demo loads: nothing is made
    await db.sql`INSERT INTO app_state (key, value) VALUES ('demo', ${db.sql.json({ seed: 12345, anchor: new Date().toISOString(), count: DEMO, done: false })})`;
    expect(await makeDueReports({ sql: db.sql, now: new Date(Date.now() + 1000) })).toEqual([]);
    await db.sql`DELETE FROM app_state WHERE key = 'demo'`;

    await loadDemo({ sql: db.sql, logger: silentLogger, count: DEMO, shipped });
    // loaded, but its messages have no topics until the topic sweep: still waiting
    expect(await makeDueReports({ sql: db.sql, now: new Date(Date.now() + 2000) })).toEqual([]);
    await sweepTopics(db.sql, new Date());
    const made = await makeDueReports({ sql: db.sql, now: new Date(Date.now() + 3000) });
    expect(made.map((r) => r.kind).sort()).toEqual(['daily', 'weekly']);
    const weekly = await dataOf(made.find((r) => r.kind === 'weekly')!.id);
    expect(weekly.totals.messages).toBeGreaterThan(0); // a week of the demo month
    expect(weekly.topTopics.length).toBeGreaterThan(0);
    // the same reports, remade (one per period), and made once
    expect(made.map((r) => r.periodStart).sort()).toEqual(early.map((r) => r.periodStart).sort());
    expect((await db.sql`SELECT id FROM reports`).length).toBe(2);
    expect(await makeDueReports({ sql: db.sql, now: new Date(Date.now() + 4000) })).toEqual([]);
  }, allowFor(DEMO, 400));
});
