// Per-message idempotency of the case step (issue 14 item 3): the same message processed twice at
// once, and a run of messages taken up again after a crash part-way (a retried job or batch), leave
// exactly one case per message, on the embedded PGlite and on real PostgreSQL.
import { afterAll, describe, expect, it } from 'vitest';
import { openCaseForMessage } from '../core/cases/open-case-for-message';
import { connectDatabase, type Database } from '../core/db/connect';
import { migrate } from '../core/db/migrate';
import { seedReferenceData } from '../core/db/reference-data';
import { acceptMessages } from '../core/messages/intake';
import { InProcessQueue } from '../core/queue/in-process';
import { loadShipped } from '../core/shipped/index';
import { createTestDatabase } from './support/db';
import { inject } from 'vitest';

const shipped = loadShipped();
const TEXTS = [
  { title: '路灯不亮', body: '小区门口的路灯坏了一个多月，晚上出行很不方便，请尽快修理。' },
  { title: '噪音扰民', body: '楼下商铺每天深夜播放音乐，声音很大，影响休息，希望有关部门处理。' },
  { title: '道路积水', body: '下雨后学校门前道路积水严重，学生上学要蹚水，请疏通排水。' },
  { title: '垃圾清运', body: '小区垃圾桶已经三天没有清运，气味很大，请环卫部门及时清理。' },
];

async function embedded(): Promise<Database> {
  const db = await connectDatabase({ dataDir: '', inMemory: true });
  await migrate(db.sql);
  await seedReferenceData(db.sql, { departments: shipped.departments });
  return db;
}

const opened: Database[] = [];
afterAll(async () => {
  for (const db of opened) await db.close();
});

const targets: [string, () => Promise<Database>][] = [['PGlite', embedded]];
if (inject('pgUrl')) targets.push(['PostgreSQL', () => createTestDatabase()]);

describe.each(targets)('one case per message on %s', (_name, open) => {
  it('a message processed twice at once, and a run taken up again after a crash part-way, opens one case each', { timeout: 120_000 }, async () => {
    const db = await open();
    opened.push(db);
    const queue = new InProcessQueue(); // nothing registered: the intake's jobs wait, the test runs the step itself
    const { created } = await acceptMessages({ sql: db.sql, queue }, TEXTS.map((t, i) => ({ channel: 'portal' as const, externalId: `idem-${i}`, receivedAt: new Date(), raw: '{}', title: t.title, body: t.body })));
    expect(created).toHaveLength(TEXTS.length);
    const ctx = { sql: db.sql, policy: shipped.sla.policy, calendar: shipped.sla.calendar, router: shipped.router };
    const ids = created.map((m) => m.id);

    // the first half, each twice at the same moment (two workers given the same job)
    const first = await Promise.all(ids.slice(0, 2).flatMap((id) => [openCaseForMessage(ctx, id), openCaseForMessage(ctx, id)]));
    expect(first.filter((r) => r.created)).toHaveLength(2);
    expect(new Set(first.map((r) => r.caseId)).size).toBe(2);

    // the crash: the run is taken up again from its start, the half already done included
    const again = await Promise.all(ids.map((id) => openCaseForMessage(ctx, id)));
    expect(again.slice(0, 2).every((r) => !r.created)).toBe(true);
    // both runs of a message answered with the same case, and the retry with that case too
    expect([first[1].caseId, first[3].caseId]).toEqual([first[0].caseId, first[2].caseId]);
    expect(again.slice(0, 2).map((r) => r.caseId)).toEqual([first[0].caseId, first[2].caseId]);
    // and once more, sequentially, as a retried job would
    for (const id of ids) expect((await openCaseForMessage(ctx, id)).created).toBe(false);

    const rows = await db.sql<{ id: number; caseId: number | null }[]>`SELECT id, case_id FROM messages ORDER BY id`;
    expect(rows.every((r) => r.caseId !== null)).toBe(true);
    const [{ cases, received, timersDup }] = await db.sql<{ cases: number; received: number; timersDup: number }[]>`
      SELECT (SELECT count(*)::int FROM cases) AS cases,
        (SELECT count(*)::int FROM case_events WHERE type = 'received') AS received,
        (SELECT count(*)::int FROM (SELECT 1 FROM sla_timers GROUP BY case_id, deadline, kind, due_at HAVING count(*) > 1) d) AS timers_dup`;
    // each message on a case; a merge may put two on one, but no message ever opened a second case
    expect(cases).toBeLessThanOrEqual(ids.length);
    expect(cases).toBe(new Set(rows.map((r) => r.caseId)).size);
    expect(received).toBe(cases);
    expect(timersDup).toBe(0);
    await queue.close();
  });
});
