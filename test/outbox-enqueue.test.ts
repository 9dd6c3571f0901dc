// A reply put in the outbox while the queue cannot take its send job: the row is kept, the failure
// is logged (never dropped silently), and the outbox sweep queues the send.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueOutbox } from '../core/outbox/enqueue';
import { InProcessQueue } from '../core/queue/in-process';
import { createProcessors } from '../workers/processors/index';
import { silentLogger } from './support/app';
import { shipped } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

describe('outbox enqueue failure', () => {
  it('is logged and the sweep still picks the row up', async () => {
    const lines: { level: number; msg: string; outboxId?: number; err?: { message: string } }[] = [];
    const log = pino({ level: 'warn' }, new Writable({ write: (chunk, _enc, done) => void (lines.push(JSON.parse(String(chunk))), done()) }));
    const down = new InProcessQueue();
    await down.close(); // a closed queue refuses every job, as a queue that is down does

    const { row, created } = await queueOutbox({ sql: db.sql, queue: down, log }, {
      idempotencyKey: `down-${Date.now()}`, channel: 'portal', kind: 'notice', payload: { text: '您的留言已受理。' },
    });
    expect(created).toBe(true);
    expect(row.status).toBe('pending');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, outboxId: row.id, msg: 'could not enqueue the outbox send; the outbox sweep will send it' });
    expect(lines[0].err?.message).toBe('job queue is closed');

    // the worker's outbox sweep queues the row that has no job
    const queue = new InProcessQueue({ concurrency: 1 });
    const processors = createProcessors({ db, queue, logger: silentLogger, shipped });
    const sent: number[] = [];
    queue.register({ 'send-outbox': async ({ outboxId }) => void sent.push(outboxId) });
    await processors.periodic!({ task: 'outbox-sweep' }, { id: 'sweep', queue: 'periodic', attempt: 1 });
    await queue.drain();
    expect(sent).toEqual([row.id]);
    await queue.close();
  });
});
