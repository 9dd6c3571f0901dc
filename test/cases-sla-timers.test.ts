// The legal clock as jobs: 催办 / 超期 / 督办 fire once, stale timers do nothing, and the sweep
// rebuilds the delayed jobs after a worker restart and a Redis that lost its data.
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actOnCase } from '../core/cases/act-on-case';
import { listCaseTimers } from '../core/db/sla-timers';
import { BullMqQueue, redisConnection, startBullMqWorkers } from '../core/queue/bullmq';
import type { JobQueue } from '../core/queue/contract';
import { InProcessQueue } from '../core/queue/in-process';
import { createProcessors, keepSchedules, schedulePeriodic } from '../workers/processors/index';
import { slaSweep } from '../workers/processors/sla';
import { silentLogger } from './support/app';
import { openTestCase, serviceDeps, shipped, sla } from './support/cases';
import { createTestDatabase, redisUrlOrNull, uniquePrefix, type TestDatabase } from './support/db';
import { WAIT_MS, waitFor } from './support/pipeline';

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await db.close();
});

const ctxFor = (queue: JobQueue, now = () => new Date()) => ({ db, queue, logger: silentLogger, now, policy: sla.policy, calendar: sla.calendar });

async function eventTypes(caseId: number) {
  return (await db.sql<{ type: string; data: { deadline?: string } }[]>`SELECT type, data FROM case_events WHERE case_id = ${caseId} ORDER BY seq`)
    .map((e) => (e.data.deadline ? `${e.type}:${e.data.deadline}` : e.type));
}

describe('SLA timers', () => {
  it('a sweep fires every due reminder, overdue mark and escalation once, in order', async () => {
    const { caseId } = await openTestCase(db.sql, { receivedAt: new Date('2026-02-12T10:00:00+08:00'), department: 'housing' });
    const queue = new InProcessQueue();
    const first = await slaSweep(ctxFor(queue), new Date('2026-03-10T12:00:00+08:00'));
    expect(first.fired).toBe(9);
    expect(await eventTypes(caseId)).toEqual([
      'received', 'dispatched',
      'reminded:accept', 'overdue:accept', 'reminded:response', 'escalated:accept', 'overdue:response', 'escalated:response',
      'reminded:resolve', 'overdue:resolve', 'escalated:resolve',
    ]);
    const [c] = await db.sql<{ overdue: boolean; escalatedAt: Date }[]>`SELECT overdue, escalated_at AS "escalatedAt" FROM cases WHERE id = ${caseId}`;
    expect(c.overdue).toBe(true);
    // 督办 one working day after the resolution deadline (Feb 26) is the close of Feb 27
    const [esc] = await db.sql<{ at: Date; data: { supervisor: string } }[]>`
      SELECT at, data FROM case_events WHERE case_id = ${caseId} AND type = 'escalated' AND data->>'deadline' = 'resolve'`;
    expect(esc.at.toISOString()).toBe(new Date('2026-02-27T17:30:00+08:00').toISOString());
    expect(esc.data.supervisor).toBe('分管城建的副市长');
    expect((await slaSweep(ctxFor(queue), new Date('2026-03-10T12:00:00+08:00'))).fired).toBe(0);
    await queue.close();
  });

  it('accepting cancels the acceptance timers; a pause holds the clock and a resume moves the deadline (the old timers go stale)', async () => {
    const receivedAt = new Date(Date.now() - 60_000);
    const { caseId } = await openTestCase(db.sql, { receivedAt, department: 'housing' });
    const deps = serviceDeps(db.sql);
    const dept = { role: 'department' as const, id: 'u', departmentId: 'housing' };
    await actOnCase(deps, caseId, { type: 'accept' }, { actor: dept });
    let timers = await listCaseTimers(db.sql, caseId);
    expect(timers.filter((t) => t.deadline === 'accept').every((t) => t.state === 'cancelled')).toBe(true);
    const oldResolve = timers.find((t) => t.deadline === 'resolve' && t.kind === 'overdue')!;
    await actOnCase(deps, caseId, { type: 'pause', reason: '等待补充' }, { actor: dept });
    // while waiting nothing fires, even if a timer's time has come
    const queue = new InProcessQueue();
    expect((await slaSweep(ctxFor(queue), new Date(oldResolve.fireAt.getTime() + 60_000))).fired).toBe(0);
    await actOnCase(deps, caseId, { type: 'resume' }, { actor: dept, at: new Date(Date.now() + 3 * 86_400_000) });
    timers = await listCaseTimers(db.sql, caseId);
    const newResolve = timers.find((t) => t.deadline === 'resolve' && t.kind === 'overdue' && t.state === 'pending')!;
    expect(newResolve.dueAt.getTime()).toBeGreaterThan(oldResolve.dueAt.getTime());
    expect(timers.find((t) => t.id === oldResolve.id)!.state).toBe('cancelled');
    // a stale job (the old due time) finds no pending timer and does nothing
    const processors = createProcessors({ db, queue, logger: silentLogger, shipped });
    await processors['sla-timer']!({ caseId, kind: 'overdue', deadline: 'resolve', at: oldResolve.dueAt.toISOString() }, { id: 'x', queue: 'sla-timer', attempt: 1 });
    expect(await eventTypes(caseId)).not.toContain('overdue:resolve');
    await queue.close();
  });
});

describe.skipIf(!redisUrlOrNull())('SLA timers on BullMQ', () => {
  it('survive a worker restart and a Redis that lost its keys: the sweep re-creates the jobs and fires what is due', async () => {
    const url = redisUrlOrNull()!;
    const prefix = uniquePrefix();
    const connection = redisConnection(url);
    // an urgent case opened now: its acceptance timers fall within the sweep's horizon
    const { caseId } = await openTestCase(db.sql, { department: 'grid', classification: { urgency: 'urgent' } });
    // and a case from February whose deadlines have all passed
    const old = await openTestCase(db.sql, { receivedAt: new Date('2026-02-12T10:00:00+08:00'), department: 'housing' });

    let queue = new BullMqQueue(connection, prefix);
    let workers = startBullMqWorkers(connection, prefix, createProcessors({ db, queue, logger: silentLogger, shipped }), { concurrency: 2, onError: () => {} });
    await slaSweep(ctxFor(queue));
    const jobIds = async (q: BullMqQueue) => (await q.queue('sla-timer').getDelayed()).map((j) => j.id).sort();
    const before = await jobIds(queue);
    expect(before).toContain(`sla-${caseId}-accept-overdue-${(await listCaseTimers(db.sql, caseId)).find((t) => t.deadline === 'accept')!.dueAt.getTime()}`);
    expect(await eventTypes(old.caseId)).toContain('escalated:resolve');

    // the worker dies and Redis loses everything under our prefix (FLUSHALL, scoped so other tests' queues survive)
    await workers.close();
    await queue.close();
    const redis = new Redis(url);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);

    // a new worker process: the periodic sweep rebuilds the delayed jobs from the database
    queue = new BullMqQueue(connection, prefix);
    workers = startBullMqWorkers(connection, prefix, createProcessors({ db, queue, logger: silentLogger, shipped }), { concurrency: 2, onError: () => {} });
    await queue.enqueue('periodic', { task: 'sla-sweep' }, { jobId: 'sweep-after-flush' });
    await waitFor(async () => (await jobIds(queue)).length === before.length || undefined);
    expect(await jobIds(queue)).toEqual(before);

    // a due timer's job runs on the worker: move one timer's time into the past and enqueue it
    const remind = (await listCaseTimers(db.sql, caseId)).find((t) => t.deadline === 'accept' && t.kind === 'remind')!;
    await db.sql`UPDATE sla_timers SET fire_at = now() - interval '1 minute' WHERE id = ${remind.id}`;
    await queue.enqueue('sla-timer', { caseId, kind: 'remind', deadline: 'accept', at: remind.dueAt.toISOString() }, { jobId: `now-${remind.id}` });
    await waitFor(async () => (await eventTypes(caseId)).includes('reminded:accept') || undefined);
    const [t] = await db.sql<{ state: string }[]>`SELECT state FROM sla_timers WHERE id = ${remind.id}`;
    expect(t.state).toBe('fired');

    await workers.close();
    await queue.close();
    const left = await redis.keys(`${prefix}:*`);
    if (left.length) await redis.del(...left);
    redis.disconnect();
  });
});

describe.skipIf(!redisUrlOrNull())('SLA timers after Redis loses its data while workers keep running', () => {
  it('the schedule keeper restores the sweep schedule and the sweep rebuilds the delayed jobs', async () => {
    const url = redisUrlOrNull()!;
    const prefix = uniquePrefix();
    const connection = redisConnection(url);
    const { caseId } = await openTestCase(db.sql, { department: 'grid', classification: { urgency: 'urgent' } });
    const queue = new BullMqQueue(connection, prefix);
    const deps = { db, queue, logger: silentLogger, shipped };
    const workers = startBullMqWorkers(connection, prefix, createProcessors(deps), { concurrency: 2, onError: () => {} });
    const stopKeeping = keepSchedules(deps, 300);
    const redis = new Redis(url);
    try {
      await schedulePeriodic(deps);
      await slaSweep(ctxFor(queue));
      const jobIds = async () => (await queue.queue('sla-timer').getDelayed()).map((j) => j.id).sort();
      const before = await jobIds();
      expect(before.some((id) => id?.startsWith(`sla-${caseId}-`))).toBe(true);

      // Redis loses everything under our prefix; the workers stay up and nobody restarts anything
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);

      // the keeper notices the lost schedule, restores it and runs the sweep at once
      await waitFor(async () => {
        const done = await queue.queue('periodic').getJobs(['completed', 'active', 'waiting']);
        return done.some((j) => j.id?.startsWith('sla-sweep-restored-')) || undefined;
      }, WAIT_MS, 200, 'the restored sweep ran');
      await waitFor(async () => ((await jobIds()).length >= before.length ? true : undefined), WAIT_MS, 200, 'the delayed jobs are rebuilt');
      expect(await jobIds()).toEqual(before);
      // the schedule itself is back too (the keeper checks every 300 ms here)
      expect(await waitFor(async () => queue.queue('periodic').getJobScheduler('every-sla-sweep'), WAIT_MS, 100, 'the schedule is back')).toBeTruthy();
    } finally {
      stopKeeping();
      await workers.close();
      await queue.close();
      const left = await redis.keys(`${prefix}:*`);
      if (left.length) await redis.del(...left);
      redis.disconnect();
    }
  }, 4 * WAIT_MS);
});
