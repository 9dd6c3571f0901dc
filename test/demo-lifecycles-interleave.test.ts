// The demo's lifecycles are driven 25 cases side by side in one transaction: every case gets the
// same past (events, columns, timers, replies queued) as when the cases are driven one by one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../core/demo/load';
import { silentLogger } from './support/app';
import { shipped } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';
import { allowFor } from './support/pipeline';

const DEMO = 120;
const now = new Date('2026-11-20T16:00:00+08:00');
let interleaved: TestDatabase;
let oneByOne: TestDatabase;
beforeAll(async () => {
  [interleaved, oneByOne] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  await loadDemo({ sql: interleaved.sql, logger: silentLogger, count: DEMO, now, shipped });
  await loadDemo({ sql: oneByOne.sql, logger: silentLogger, count: DEMO, now, shipped, interleave: false });
}, 2 * allowFor(DEMO, 50));
afterAll(async () => {
  await Promise.all([interleaved?.close(), oneByOne?.close()]);
});

/** Everything the lifecycles write, by case (cases open one by one in both: the same ids); the rows'
 * own ids, wall-clock stamps and the random tracking numbers left out. */
async function pasts(db: TestDatabase) {
  const cases = await db.sql`
    SELECT id, to_jsonb(c) - 'updated_at' - 'tracking_no' - 'search_tsv' AS row FROM cases c ORDER BY id`;
  const events = await db.sql`
    SELECT case_id, type, from_status, to_status, actor_kind, actor_id, at, data - 'trackingNo' AS data
    FROM case_events ORDER BY case_id, id`;
  const timers = await db.sql`
    SELECT case_id, deadline, kind, due_at, fire_at, state, fired_at IS NOT NULL AS fired
    FROM sla_timers ORDER BY case_id, deadline, kind, due_at, state`;
  const outbox = await db.sql`
    SELECT case_id, message_id, channel, recipient, kind, payload - 'trackingNo' - 'caseTrackingNo' - 'ratePath' AS payload, idempotency_key
    FROM outbox ORDER BY case_id, idempotency_key`;
  return { cases, events, timers, outbox };
}

describe('demo lifecycles, interleaved', () => {
  it('give every case the same past as one case after another', async () => {
    const [a, b] = await Promise.all([pasts(interleaved), pasts(oneByOne)]);
    expect(a.cases.length).toBeGreaterThan(DEMO * 0.7);
    expect(new Set(a.events.map((e) => e.type as string))).toContain('rated');
    expect(a.outbox.length).toBeGreaterThan(0);
    expect(a.cases).toEqual(b.cases);
    expect(a.events).toEqual(b.events);
    expect(a.timers).toEqual(b.timers);
    expect(a.outbox).toEqual(b.outbox);
  });
});
