// Case writes in few round trips (issue 14 item 3): a case's timer jobs go out in one queue call and
// are deduplicated by id on both runners; the one-statement timer sync keeps the old semantics;
// events are numbered inside their INSERT; and a pipelined write that fails takes the whole
// transaction back with it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCaseForMessage } from '../core/cases/open-case-for-message';
import { persistCaseState, stateOf } from '../core/cases/case-state';
import { VersionConflictError } from '../core/cases/deps';
import { appendCaseEvents, getCaseWithLifecycle } from '../core/db/cases';
import { insertMessage } from '../core/db/messages';
import { listCaseTimers, syncCaseTimers, type TimerSpec } from '../core/db/sla-timers';
import { BullMqQueue, redisConnection } from '../core/queue/bullmq';
import { jobIdFor, type BulkJob, type EnqueueOptions, type JobData, type JobQueue, type QueueName } from '../core/queue/contract';
import { InProcessQueue } from '../core/queue/in-process';
import { incoming, openTestCase, serviceDeps, shipped, sla } from './support/cases';
import { createTestDatabase, redisUrlOrNull, uniquePrefix, type TestDatabase } from './support/db';
import { deleteRedisPrefix } from '../bin/bench/common';

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await db.close();
});

/** The real queue, with the calls made on it written down. */
class RecordingQueue implements JobQueue {
  calls: { method: 'enqueue' | 'enqueueBulk'; queue: QueueName; ids: string[] }[] = [];
  constructor(readonly inner: JobQueue) {}
  get kind() {
    return this.inner.kind;
  }
  enqueue<Q extends QueueName>(queue: Q, data: JobData<Q>, opts?: EnqueueOptions) {
    this.calls.push({ method: 'enqueue', queue, ids: [opts?.jobId ?? jobIdFor(queue, data)] });
    return this.inner.enqueue(queue, data, opts);
  }
  enqueueBulk<Q extends QueueName>(queue: Q, jobs: BulkJob<Q>[]) {
    this.calls.push({ method: 'enqueueBulk', queue, ids: jobs.map((j) => j.opts?.jobId ?? jobIdFor(queue, j.data)) });
    return this.inner.enqueueBulk(queue, jobs);
  }
  every(task: JobData<'periodic'>['task'], everyMs: number) {
    return this.inner.every(task, everyMs);
  }
  healthy() {
    return this.inner.healthy();
  }
  close() {
    return this.inner.close();
  }
}

const timerJobId = (t: { caseId: number; deadline: string; kind: string; dueAt: Date }) =>
  jobIdFor('sla-timer', { caseId: t.caseId, deadline: t.deadline as 'resolve', kind: t.kind as 'remind', at: t.dueAt.toISOString() });

describe('a case step enqueues its timers in one call', () => {
  it('opening a case makes one queue call carrying every pending timer; a replay makes none', async () => {
    const inner = new InProcessQueue(); // nothing registered: the jobs wait, so they can be counted
    const queue = new RecordingQueue(inner);
    const { message } = await insertMessage(db.sql, incoming());
    const ctx = { sql: db.sql, policy: sla.policy, calendar: sla.calendar, router: shipped.router, queue };
    const r = await openCaseForMessage(ctx, message.id);
    expect(r.created).toBe(true);
    const timers = (await listCaseTimers(db.sql, r.caseId)).filter((t) => t.state === 'pending');
    expect(timers.length).toBeGreaterThan(3);
    expect(queue.calls).toEqual([{ method: 'enqueueBulk', queue: 'sla-timer', ids: expect.any(Array) }]);
    expect([...queue.calls[0].ids].sort()).toEqual(timers.map(timerJobId).sort());
    expect(inner.pending).toBe(timers.length);

    expect((await openCaseForMessage(ctx, message.id)).created).toBe(false);
    expect(queue.calls).toHaveLength(1);
    expect(inner.pending).toBe(timers.length);
    await inner.close();
  });
});

const bulkJobs = (caseId: number, n: number): BulkJob<'sla-timer'>[] =>
  Array.from({ length: n }, (_, i) => ({
    data: { caseId, deadline: 'resolve', kind: 'remind', at: new Date(Date.UTC(2030, 0, 1 + i)).toISOString() },
    opts: { delayMs: 3_600_000 },
  }));

describe('enqueueBulk deduplicates by job id as enqueue does', () => {
  it('in-process: a repeated bulk, and a bulk over a job enqueued alone, add nothing twice', async () => {
    const q = new InProcessQueue();
    await q.enqueue('sla-timer', bulkJobs(7, 1)[0].data, { delayMs: 3_600_000 });
    await q.enqueueBulk('sla-timer', bulkJobs(7, 3));
    await q.enqueueBulk('sla-timer', bulkJobs(7, 3));
    expect(q.pending).toBe(3);
    // a bad job adds none of its bulk
    await expect(q.enqueueBulk('sla-timer', [...bulkJobs(8, 2), { data: { caseId: -1 } as never }])).rejects.toThrow();
    expect(q.pending).toBe(3);
    await q.close();
  });

  it.skipIf(!redisUrlOrNull())('BullMQ: the same, with the delays kept', async () => {
    const prefix = uniquePrefix();
    const q = new BullMqQueue(redisConnection(redisUrlOrNull()!), prefix);
    try {
      await q.enqueue('sla-timer', bulkJobs(7, 1)[0].data, { delayMs: 3_600_000 });
      await q.enqueueBulk('sla-timer', bulkJobs(7, 3));
      await q.enqueueBulk('sla-timer', bulkJobs(7, 3));
      const counts = await q.queue('sla-timer').getJobCounts('delayed', 'waiting');
      expect(counts).toMatchObject({ delayed: 3, waiting: 0 });
      const ids = (await q.queue('sla-timer').getDelayed()).map((j) => j.id).sort();
      expect(ids).toEqual(bulkJobs(7, 3).map((j) => jobIdFor('sla-timer', j.data)).sort());
    } finally {
      await q.close();
      await deleteRedisPrefix(redisUrlOrNull()!, prefix);
    }
  });
});

describe('the case writes of one statement each', () => {
  const spec = (deadline: TimerSpec['deadline'], kind: TimerSpec['kind'], day: number): TimerSpec => ({
    deadline, kind, dueAt: new Date(Date.UTC(2030, 0, day, 9)), fireAt: new Date(Date.UTC(2030, 0, day, 8)),
  });

  it('syncCaseTimers: inserts the missing, cancels the unwanted pending, leaves fired and cancelled rows, returns the wanted pending', async () => {
    const { caseId } = await openTestCase(db.sql);
    await db.sql`DELETE FROM sla_timers WHERE case_id = ${caseId}`;
    const a = spec('accept', 'remind', 2);
    const b = spec('accept', 'overdue', 3);
    const c = spec('resolve', 'remind', 10);
    const d = spec('resolve', 'overdue', 11);
    const first = await db.sql.begin((tx) => syncCaseTimers(tx, caseId, [c, a, b]));
    expect(first.map((t) => `${t.deadline}/${t.kind}`)).toEqual(['accept/remind', 'accept/overdue', 'resolve/remind']);
    expect(first.every((t) => t.state === 'pending' && t.caseId === caseId)).toBe(true);
    // a fired; b no longer wanted; d new; c kept
    await db.sql`UPDATE sla_timers SET state = 'fired', fired_at = now() WHERE id = ${first[0].id}`;
    const second = await db.sql.begin((tx) => syncCaseTimers(tx, caseId, [a, c, d, d]));
    expect(second.map((t) => `${t.deadline}/${t.kind}`)).toEqual(['resolve/remind', 'resolve/overdue']);
    expect(second[0].id).toBe(first[2].id);
    const all = new Map((await listCaseTimers(db.sql, caseId)).map((t) => [`${t.deadline}/${t.kind}`, t.state]));
    expect(Object.fromEntries(all)).toEqual({ 'accept/remind': 'fired', 'accept/overdue': 'cancelled', 'resolve/remind': 'pending', 'resolve/overdue': 'pending' });
    // wanted again, the cancelled one stays cancelled (as before: a row of that key exists)
    const third = await db.sql.begin((tx) => syncCaseTimers(tx, caseId, [b, c, d]));
    expect(third.map((t) => `${t.deadline}/${t.kind}`)).toEqual(['resolve/remind', 'resolve/overdue']);
    expect(await db.sql.begin((tx) => syncCaseTimers(tx, caseId, []))).toEqual([]);
    expect((await listCaseTimers(db.sql, caseId)).filter((t) => t.state === 'pending')).toEqual([]);
  });

  it('appendCaseEvents numbers the events after the last one, in order, in a transaction and on the pool', async () => {
    const { caseId } = await openTestCase(db.sql);
    const seqs = async () => db.sql<{ seq: number; type: string }[]>`SELECT seq, type FROM case_events WHERE case_id = ${caseId} ORDER BY seq`;
    const before = await seqs();
    const at = new Date();
    const ev = (type: string) => ({ type, fromStatus: 'dispatched', toStatus: 'dispatched', actorKind: 'system' as const, at, data: { n: type, at } });
    await db.sql.begin((tx) => appendCaseEvents(tx, caseId, [ev('note-a'), ev('note-b')]));
    await appendCaseEvents(db.sql, caseId, [ev('note-c')]);
    const after = await seqs();
    const last = before.at(-1)!.seq;
    expect(after.slice(before.length)).toEqual([{ seq: last + 1, type: 'note-a' }, { seq: last + 2, type: 'note-b' }, { seq: last + 3, type: 'note-c' }]);
    const [{ data }] = await db.sql<{ data: { n: string; at: string } }[]>`SELECT data FROM case_events WHERE case_id = ${caseId} AND type = 'note-b'`;
    expect(data).toEqual({ n: 'note-b', at: at.toISOString() });
  });

  it('a pipelined write that fails rolls back the ones sent with it: a stale version leaves no events, timers or rollup change', async () => {
    const { caseId } = await openTestCase(db.sql);
    const deps = serviceDeps(db.sql);
    const loaded = (await getCaseWithLifecycle(db.sql, caseId))!;
    const state = stateOf(loaded.row, loaded.lifecycle, deps);
    const snapshot = async () => ({
      events: (await db.sql`SELECT count(*)::int AS n FROM case_events WHERE case_id = ${caseId}`)[0].n,
      timers: await listCaseTimers(db.sql, caseId),
      facts: await db.sql`SELECT dims, counters FROM rollup_case_facts WHERE case_id = ${caseId}`,
    });
    const before = await snapshot();
    const moved = { ...state, deadlines: null, status: 'closed' as const, closedAt: new Date() };
    const event = { type: 'closed', fromStatus: state.status, toStatus: 'closed', actorKind: 'centre' as const, at: new Date() };
    await expect(db.sql.begin((tx) => persistCaseState(tx, deps, { ...loaded.row, version: loaded.row.version - 1 }, moved, [event], [], new Date())))
      .rejects.toBeInstanceOf(VersionConflictError);
    expect(await snapshot()).toEqual(before);
    // the same write at the current version goes through: events, cancelled timers, a new rollup fact
    await db.sql.begin((tx) => persistCaseState(tx, deps, loaded.row, moved, [event], [], new Date()));
    const after = await snapshot();
    expect(after.events).toBe(before.events + 1);
    expect(after.timers.filter((t) => t.state === 'pending')).toEqual([]);
    expect(after.facts).not.toEqual(before.facts);
  });
});
