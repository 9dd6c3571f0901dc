// Issue 13 F10 / issue 14 item 4: public statistics must not read raw rows per request. With a few
// thousand messages and their cases in the database, the raw tables (messages, cases, case_events)
// are renamed away; every public statistics endpoint (and the staff service times) still answers,
// with the same figures. Before the rollups, each of these read `messages` or `cases` and failed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertStaffUser } from '../core/auth/staff';
import { rebuildRollups } from '../core/db/rollups';
import { InProcessQueue } from '../core/queue/in-process';
import { testApp } from './support/app';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
const N = 3000;
const now = new Date();
const DISTRICTS = ['镜湖区', '弋江区', '鸠江区', '湾沚区'];
const CATEGORIES = ['城乡建设', '交通运输', '环境保护', '劳动和社会保障'];
const CHANNELS = ['portal', 'hotline', 'wechat', 'weibo'];
const DEPTS = ['housing', 'ecology', 'transport'];

beforeAll(async () => {
  db = await createTestDatabase();
  const depts = (await db.sql<{ code: string }[]>`SELECT code FROM departments WHERE code IN ${db.sql(DEPTS)}`).map((d) => d.code);
  expect(depts.length).toBeGreaterThan(0);
  // N cases over the last 60 days, a third of them closed and rated, with one message each
  await db.sql`
    INSERT INTO cases (tracking_no, status, summary, channel, category, district, sentiment, request_type, department_code,
      response_due_at, first_response_at, resolve_due_at, replied_at, created_at)
    SELECT 'F10-' || i, CASE WHEN i % 3 = 0 THEN 'closed' WHEN i % 3 = 1 THEN 'accepted' ELSE 'dispatched' END, '测试',
      (${CHANNELS}::text[])[1 + i % 4], (${CATEGORIES}::text[])[1 + i % 4], (${DISTRICTS}::text[])[1 + (i / 7) % 4],
      CASE WHEN i % 5 = 0 THEN 'negative' ELSE 'neutral' END, '投诉', (${depts}::text[])[1 + i % ${depts.length}],
      c + interval '1 day', CASE WHEN i % 3 <> 2 THEN c + interval '1 hour' * (1 + i % 30) END,
      c + interval '15 days', CASE WHEN i % 3 = 0 THEN c + interval '1 day' * (1 + i % 12) END, c
    FROM generate_series(1, ${N}) i, LATERAL (SELECT ${now}::timestamptz - interval '1 minute' * (i * 28) AS c) t`;
  await db.sql`
    INSERT INTO messages (channel, external_id, received_at, raw, raw_content_type, body, tracking_no, query_code, state, processed_at, analysis, case_id)
    SELECT c.channel, 'f10-' || c.id, c.created_at, '{}', 'application/json', '测试', c.tracking_no, '123456', 'processed', c.created_at,
      jsonb_build_object('category', jsonb_build_object('label', c.category), 'sentiment', jsonb_build_object('label', c.sentiment),
        'requestType', jsonb_build_object('label', c.request_type), 'place', jsonb_build_object('district', c.district)), c.id
    FROM cases c WHERE c.tracking_no LIKE 'F10-%'`;
  await db.sql`
    INSERT INTO case_events (case_id, seq, type, from_status, to_status, actor_kind, at, data)
    SELECT id, 1, 'closed', 'replied', 'closed', 'centre', created_at, '{}'::jsonb FROM cases WHERE status = 'closed'`;
  // written in bulk past the workers: the seed path, which rebuilds the rollups after
  await rebuildRollups(db.sql);
});
afterAll(async () => {
  await db.close();
});

const PATHS = [
  '/api/v1/stats/overview',
  '/api/v1/stats/overview?days=90&district=镜湖区',
  '/api/v1/stats/overview?days=7&channel=hotline&category=交通运输',
  '/api/v1/stats/metrics?days=90',
  '/api/v1/stats/metrics?days=30&district=弋江区&channel=portal',
  '/api/v1/stats/departments?days=90&minVolume=1',
  '/api/v1/stats/departments?days=30&rankBy=response&category=环境保护',
];

async function answers(headers: Record<string, string> = {}) {
  const queue = new InProcessQueue();
  const app = testApp(db, queue); // a new app: a cache of its own, so every request computes
  const out: Record<string, unknown> = {};
  for (const p of PATHS) {
    // the per-department ranking is for staff (README, Who may read what); the rest is public
    const res = await app.request(encodeURI(p), { headers: p.includes('/departments') ? { ...headers, authorization: 'Bearer f10-leader-token' } : headers });
    out[p] = { status: res.status, body: await res.json() };
  }
  const st = await app.request('/api/v1/stats/service-times?days=90', { headers: { authorization: 'Bearer f10-leader-token' } });
  out['service-times'] = { status: st.status, body: await st.json() };
  await queue.close();
  return out;
}

function stable(o: Record<string, unknown>) {
  // the instants computed from "now" differ between two runs; the figures must not
  return JSON.parse(JSON.stringify(o, (k, v) => (['generatedAt', 'from', 'to'].includes(k) && typeof v === 'string' ? '…' : v)));
}

describe('public statistics at a few thousand messages (F10)', () => {
  it('answer from the rollups with the raw tables out of reach', async () => {
    await upsertStaffUser(db.sql, { username: 'f10-leader', displayName: '督办领导', role: 'leader', departmentCode: null, token: 'f10-leader-token' });
    const before = await answers();
    for (const [p, r] of Object.entries(before)) expect((r as { status: number }).status, p).toBe(200);
    const o = (before['/api/v1/stats/overview?days=90&district=镜湖区'] as { body: { cases: { total: number } } }).body;
    expect(o.cases.total).toBeGreaterThan(100);

    await db.sql`ALTER TABLE messages RENAME TO messages_away`;
    await db.sql`ALTER TABLE cases RENAME TO cases_away`;
    await db.sql`ALTER TABLE case_events RENAME TO case_events_away`;
    try {
      const hidden = await answers();
      for (const [p, r] of Object.entries(hidden)) expect((r as { status: number }).status, p).toBe(200);
      expect(stable(hidden)).toEqual(stable(before));
    } finally {
      await db.sql`ALTER TABLE messages_away RENAME TO messages`;
      await db.sql`ALTER TABLE cases_away RENAME TO cases`;
      await db.sql`ALTER TABLE case_events_away RENAME TO case_events`;
    }
  });
});
