// F7: a message whose job used up its attempts is not stuck: the message sweep tries it again
// under the same job id (BullMQ and the in-process runner both keep failed ids), once the fault is gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptMessage } from '../core/messages/intake';
import { InProcessQueue } from '../core/queue/in-process';
import { createProcessors } from '../workers/processors/index';
import { silentLogger } from './support/app';
import { incoming, shipped } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';
import { waitFor } from './support/pipeline';

let db: TestDatabase;
let queue: InProcessQueue;

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue({ concurrency: 2 });
  queue.register(createProcessors({ db, queue, logger: silentLogger, shipped }));
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

describe('message sweep after a processing fault', () => {
  it('messages whose jobs failed all their attempts get cases once the fault ends', { timeout: 170_000 }, async () => {
    // the fault: the cases table is gone, every attempt fails (transiently: it comes back)
    await db.sql`ALTER TABLE cases RENAME TO cases_away`;
    const ids: number[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const r = await acceptMessage({ sql: db.sql, queue }, incoming({ externalId: `retry-${i}`, body: `镜湖区赭山路第${i}盏路灯不亮，晚上很黑，请维修。` }));
        ids.push(r.message.id);
      }
      // five attempts each with 1+2+4+8 s of backoff between them: then the jobs have failed for good
      await waitFor(async () => queue.stats.failed >= 3 && queue.pending === 0, 80_000, 100, 'jobs exhausted');
    } finally {
      await db.sql`ALTER TABLE cases_away RENAME TO cases`;
    }
    const stuck = await db.sql<{ attempts: number; caseId: number | null }[]>`SELECT attempts, case_id AS "caseId" FROM messages WHERE id IN ${db.sql(ids)}`;
    expect(stuck.every((m) => m.caseId === null && m.attempts >= 5)).toBe(true);

    // the sweep looks at messages older than a minute
    await db.sql`UPDATE messages SET stored_at = now() - interval '2 minutes' WHERE id IN ${db.sql(ids)}`;
    await queue.enqueue('periodic', { task: 'message-sweep' }, { jobId: 'sweep-after-fault' });
    await waitFor(async () => {
      const rows = await db.sql<{ caseId: number | null }[]>`SELECT case_id AS "caseId" FROM messages WHERE id IN ${db.sql(ids)}`;
      return rows.every((m) => m.caseId !== null);
    }, 60_000, 100, 'every message has a case');
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(DISTINCT case_id)::int AS n FROM messages WHERE id IN ${db.sql(ids)}`;
    expect(n).toBeGreaterThanOrEqual(1);
  });
});
