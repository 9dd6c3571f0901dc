// The rollups the statistics answer from: the workers' increments (every message processed, every
// case transition, merge, timer and rating of the demo's lifecycles) equal a rebuild from raw rows,
// the rebuild is idempotent, and the API's figures agree with counts taken from the raw rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDay } from '../core/analytics/rollups';
import type { Db } from '../core/db/connect';
import { ensureRollups, rebuildRollups, syncCaseRollup, syncDueCaseFacts } from '../core/db/rollups';
import { loadDemo } from '../core/demo/load';
import { InProcessQueue } from '../core/queue/in-process';
import { silentLogger, testApp } from './support/app';
import { shipped, staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';
import { allowFor } from './support/pipeline';

let db: TestDatabase;
const now = new Date('2026-11-20T16:00:00+08:00');
const DEMO = 120;

async function snapshot(sql: Db) {
  return {
    messages: await sql`SELECT to_char(day, 'YYYY-MM-DD') AS day, district, category, channel, sentiment, request_type, n FROM rollup_messages WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6`,
    states: await sql`SELECT to_char(day, 'YYYY-MM-DD') AS day, channel, state, sum(n)::int AS n FROM rollup_message_states GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3`,
    cases: await sql`
      SELECT to_char(day, 'YYYY-MM-DD') AS day, district, category, channel, sentiment, request_type, department, status,
        n, review, overdue_open, resp_due, resp_hit, on_time_due, on_time_hit, closed, rated, satisfied, resolved_yes, resolved_asked
      FROM rollup_cases
      WHERE n <> 0 OR review <> 0 OR overdue_open <> 0 OR resp_due <> 0 OR resp_hit <> 0 OR on_time_due <> 0 OR on_time_hit <> 0
        OR closed <> 0 OR rated <> 0 OR satisfied <> 0 OR resolved_yes <> 0 OR resolved_asked <> 0
      ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`,
    durations: await sql`SELECT to_char(day, 'YYYY-MM-DD') AS day, district, category, channel, department, kind, bucket, n FROM rollup_durations WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7`,
    facts: await sql`SELECT case_id, dims, counters, response_bucket, resolution_bucket, flip_at FROM rollup_case_facts ORDER BY case_id`,
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
  await loadDemo({ sql: db.sql, logger: silentLogger, count: DEMO, now, shipped });
}, allowFor(DEMO, 60));
afterAll(async () => {
  await db.close();
});

describe('rollups', () => {
  it('the increments kept while the demo lived its lifecycles equal a rebuild from raw rows', async () => {
    const at = new Date();
    await syncDueCaseFacts(db.sql, at); // the deadlines that passed since each case was last counted
    const incremental = await snapshot(db.sql);
    expect(incremental.facts.length).toBe((await db.sql`SELECT id FROM cases`).length);
    expect(incremental.cases.length).toBeGreaterThan(10);
    expect(incremental.durations.length).toBeGreaterThan(5);
    const r = await rebuildRollups(db.sql, at);
    expect(r).toMatchObject({ stored: DEMO, messages: DEMO });
    const rebuilt = await snapshot(db.sql);
    expect(rebuilt).toEqual(incremental);
    await rebuildRollups(db.sql, at);
    expect(await snapshot(db.sql)).toEqual(rebuilt);
  });

  it('an upgraded installation is counted once by the first sweep, even when a case changed before it', async () => {
    const at = new Date();
    await syncDueCaseFacts(db.sql, at);
    const counted = await snapshot(db.sql);
    // the state before migration 0060 was ever counted: data, no rollups, no rebuild on record
    await db.sql`DELETE FROM rollup_messages`;
    await db.sql`DELETE FROM rollup_cases`;
    await db.sql`DELETE FROM rollup_durations`;
    await db.sql`DELETE FROM rollup_case_facts`;
    await db.sql`DELETE FROM app_state WHERE key = 'rollups-built'`;
    // the API changes one case before the worker's first sweep: that case gets a fact row of its own
    const [{ id }] = await db.sql<{ id: number }[]>`SELECT id FROM cases ORDER BY id LIMIT 1`;
    await syncCaseRollup(db.sql, id, at);
    expect(await ensureRollups(db.sql, at)).toBe(true);
    expect((await snapshot(db.sql)).facts).toEqual(counted.facts);
    // once built, later sweeps leave the counts to the workers
    expect(await ensureRollups(db.sql, at)).toBe(false);
  });

  it('the overview and the 三率 agree with the raw rows, for any period and filter', async () => {
    const queue = new InProcessQueue();
    const app = testApp(db, queue);
    const from = new Date(now.getTime() - 40 * 86_400_000);
    const q = (extra: Record<string, string> = {}) => new URLSearchParams({ from: from.toISOString(), to: now.toISOString(), ...extra }).toString();
    const o = (await (await app.request(`/api/v1/stats/overview?${q()}`)).json()) as {
      messages: { total: number; pending: number }; cases: { total: number; byDistrict: { district: string; count: number }[] }; daily: { day: string; messages: number; cases: number; negative: number }[];
    };
    const [raw] = await db.sql<{ messages: number; cases: number; negative: number }[]>`
      SELECT (SELECT count(*) FROM messages)::int AS messages,
        (SELECT count(*) FROM cases WHERE status <> 'merged' AND created_at >= ${from} AND created_at < ${now})::int AS cases,
        (SELECT count(*) FROM cases WHERE status <> 'merged' AND created_at >= ${from} AND created_at < ${now} AND sentiment = 'negative')::int AS negative`;
    expect(o.messages.total).toBe(raw.messages);
    expect(o.messages.pending).toBe(0);
    expect(o.cases.total).toBe(raw.cases);
    expect(o.daily.reduce((a, d) => a + d.cases, 0)).toBe(raw.cases);
    expect(o.daily.reduce((a, d) => a + d.negative, 0)).toBe(raw.negative);
    expect(o.daily[0].day).toBe(localDay(from));
    expect(o.daily.at(-1)!.day).toBe(localDay(new Date(now.getTime() - 1)));

    // one district: the cases and the processed messages of that district only
    const top = o.cases.byDistrict.find((d) => d.district !== '未识别')!;
    const od = (await (await app.request(`/api/v1/stats/overview?${q({ district: top.district })}`)).json()) as { cases: { total: number }; messages: { total: number } };
    expect(od.cases.total).toBe(top.count);
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM messages WHERE analysis->'place'->>'district' = ${top.district}`;
    expect(od.messages.total).toBe(n);

    const m = (await (await app.request(`/api/v1/stats/metrics?${q({ channel: 'portal' })}`)).json()) as { volume: number };
    const [{ portal }] = await db.sql<{ portal: number }[]>`
      SELECT count(*)::int AS portal FROM cases WHERE status <> 'merged' AND channel = 'portal' AND created_at >= ${from} AND created_at < ${now}`;
    expect(m.volume).toBe(portal);

    // per-department service times are for staff; the median sits inside the measured range
    expect((await app.request(`/api/v1/stats/service-times?${q()}`)).status).toBe(401);
    const st = await app.request(`/api/v1/stats/service-times?${q()}`, { headers: { authorization: 'Bearer demo-leader' } });
    expect(st.status).toBe(200);
    const times = (await st.json()) as { all: { response: { count: number; medianMinutes: number; p90Minutes: number } } };
    const [resp] = await db.sql<{ n: number; lo: number; hi: number }[]>`
      SELECT count(*)::int AS n, min(extract(epoch FROM first_response_at - created_at) / 60)::float AS lo, max(extract(epoch FROM first_response_at - created_at) / 60)::float AS hi
      FROM cases WHERE status <> 'merged' AND first_response_at IS NOT NULL AND created_at >= ${from} AND created_at < ${now}`;
    expect(times.all.response.count).toBe(resp.n);
    expect(times.all.response.medianMinutes).toBeGreaterThanOrEqual(resp.lo * 0.8);
    expect(times.all.response.p90Minutes).toBeLessThanOrEqual(resp.hi * 1.25 + 10);
    expect(times.all.response.p90Minutes).toBeGreaterThanOrEqual(times.all.response.medianMinutes);
    await queue.close();
  });

  it('refuses bad periods and filters with field-level Chinese messages', async () => {
    const queue = new InProcessQueue();
    const app = testApp(db, queue);
    const cases: [string, string][] = [
      ['/api/v1/stats/overview?channel=fax', 'channel'],
      ['/api/v1/stats/overview?from=0000-01-01T00:00:00Z', 'from'],
      ['/api/v1/stats/metrics?from=2026-06-01T00:00:00Z&to=2026-05-01T00:00:00Z', 'from'],
      ['/api/v1/stats/departments?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'],
      ['/api/v1/stats/overview?days=400', 'days'],
      [`/api/v1/stats/overview?district=${'区'.repeat(41)}`, 'district'],
    ];
    const leader = { authorization: `Bearer ${await staffToken(db.sql, 'leader')}` }; // the ranking is for staff
    for (const [path, field] of cases) {
      const res = await app.request(path, path.includes('/departments') ? { headers: leader } : {});
      expect(res.status, path).toBe(400);
      const body = (await res.json()) as { error: { details: { field: string; message: string }[] } };
      const issue = body.error.details.find((d) => d.field === field);
      expect(issue, path).toBeDefined();
      expect(issue!.message, path).toMatch(/[\u4e00-\u9fff]/);
    }
    const ok = await app.request('/api/v1/stats/overview?days=7&channel=portal');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toMatch(/public, max-age=(3\d|[45]\d|60)\b/);
    await queue.close();
  });
});
