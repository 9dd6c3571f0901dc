// One case's past failing inside a transaction of 25 driven side by side: the load rejects with that
// error once every other case's chain has stopped, the transaction rolled back whole (nothing of the
// batch kept), and the connection is free for what comes next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VersionConflictError } from '../core/cases/deps';
import { loadDemo } from '../core/demo/load';
import { driveDemoLifecycles } from '../core/demo/lifecycles';
import { silentLogger } from './support/app';
import { shipped } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

const DEMO = 60;
const now = new Date('2026-11-20T16:00:00+08:00');
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  // the injected failure: the first 签收 of the lowest-numbered case writes nothing (the UPDATE
  // matches no row), which the case service reads as a version conflict, a JS error in that chain
  // alone, the transaction itself still good
  await db.sql.unsafe(`
    CREATE FUNCTION fail_one_accept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.id = (SELECT min(id) FROM cases) THEN RETURN NULL; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER fail_one_accept BEFORE UPDATE ON cases FOR EACH ROW
      WHEN (OLD.status = 'dispatched' AND NEW.status = 'accepted') EXECUTE FUNCTION fail_one_accept();`);
});
afterAll(async () => {
  await db?.close();
});

describe('demo lifecycles, one chain failing', () => {
  it('reject with its error after every chain has stopped; nothing of the batch is kept', async () => {
    const err = await loadDemo({ sql: db.sql, logger: silentLogger, count: DEMO, now, shipped }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(VersionConflictError);
    // the transaction rolled back whole: no case has a step of its past, and no chain still running
    // writes one later (the statements below queue behind any still in flight on the connection)
    const stepped = async () => (await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM cases WHERE accepted_at IS NOT NULL`)[0].n;
    const events = async () => (await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM case_events`)[0].n;
    const [stepped0, events0] = [await stepped(), await events()];
    await db.sql`SELECT pg_sleep(0.3)`;
    expect(await stepped()).toBe(0);
    expect(stepped0).toBe(0);
    expect(await events()).toBe(events0);
    const progress = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM app_state WHERE key = 'demo-lifecycles'`;
    expect(progress[0].n).toBe(0);
  });

  it('no chain goes on once the drive has rejected', async () => {
    // the real calendar, its uses counted: every step of every chain reads it
    let uses = 0;
    const calendar = new Proxy(shipped.sla.calendar, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver);
        return typeof v === 'function' ? (...a: unknown[]) => (uses++, v.apply(target, a)) : v;
      },
    });
    const deps = { sql: db.sql, policy: shipped.sla.policy, calendar, router: shipped.router };
    const err = await driveDemoLifecycles(db.sql, deps, { seed: 12345, now }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(VersionConflictError);
    const atRejection = uses;
    expect(atRejection).toBeGreaterThan(0);
    // a round trip on the pool, and a while: a chain still going would read the calendar meanwhile
    await db.sql`SELECT pg_sleep(0.5)`;
    expect(uses).toBe(atRejection);
  });
});
