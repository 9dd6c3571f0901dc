// The read models requests only read (migration 0105): a case whose text changes loses its search
// lexemes until the read-model sweep indexes it again (found by ILIKE meanwhile); a case answered
// behind the case actions' back reaches the board through the sweep, and a board GET writes nothing.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { syncBoard } from '../core/board/board';
import { actOnCase } from '../core/cases/act-on-case';
import { InProcessQueue } from '../core/queue/in-process';
import { sweepReadModels } from '../workers/processors/read-models';
import { testApp } from './support/app';
import { openTestCase, serviceDeps } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue({ concurrency: 1 });
  app = testApp(db, queue);
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

describe('read models kept outside requests', () => {
  it('re-indexes a case whose text changed, and finds it meanwhile', async () => {
    const { caseId } = await openTestCase(db.sql, { message: { body: '镜湖区某路段井盖松动，请维修。' } });
    const [before] = await db.sql<{ indexed: boolean }[]>`SELECT search_tsv IS NOT NULL AS indexed FROM cases WHERE id = ${caseId}`;
    expect(before.indexed).toBe(true);
    await db.sql`UPDATE cases SET summary = '弋江区某小区电梯故障停运三天' WHERE id = ${caseId}`;
    const [stale] = await db.sql<{ indexed: boolean }[]>`SELECT search_tsv IS NOT NULL AS indexed FROM cases WHERE id = ${caseId}`;
    expect(stale.indexed).toBe(false);
    const { listCases } = await import('../core/db/cases');
    const { queryLexemes } = await import('../core/cases/search');
    const find = async () => (await listCases(db.sql, { q: '电梯故障', qLexemes: queryLexemes('电梯故障'), limit: 50, offset: 0 })).items.map((r) => r.id);
    expect(await find()).toContain(caseId);
    const r = await sweepReadModels({ db } as never);
    expect(r.indexed).toBeGreaterThanOrEqual(1);
    const [after] = await db.sql<{ indexed: boolean }[]>`SELECT search_tsv IS NOT NULL AS indexed FROM cases WHERE id = ${caseId}`;
    expect(after.indexed).toBe(true);
    expect(await find()).toContain(caseId);
  });

  it('puts a case answered outside the case actions on the board only through the sweep; a board GET writes nothing', async () => {
    const { caseId, message } = await openTestCase(db.sql, { message: { isPublic: true, body: '鸠江区某路口信号灯不亮，请修复。' } });
    const deps = serviceDeps(db.sql);
    await actOnCase(deps, caseId, { type: 'accept' }, { actor: { role: 'department', id: 'clerk', departmentId: 'urban-mgmt' } });
    // an answer written straight into the row (an import, a repair): no after-commit step ran
    await db.sql`UPDATE cases SET status = 'replied', reply_text = '您好，信号灯已修复。', replied_at = now(), updated_at = now() WHERE id = ${caseId}`;
    const listed = async () => ((await (await app.request('/api/v1/board')).json()) as { items: { trackingNo: string }[] }).items.map((i) => i.trackingNo);
    expect(await listed()).not.toContain(message.trackingNo);
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM board_dirty WHERE case_id = ${caseId}`;
    expect(n).toBe(1);
    await sweepReadModels({ db } as never);
    expect(await listed()).toContain(message.trackingNo);
    // reopened behind the actions' back: the sweep takes it off
    await db.sql`UPDATE cases SET status = 'accepted', updated_at = now() WHERE id = ${caseId}`;
    await sweepReadModels({ db } as never);
    expect(await listed()).not.toContain(message.trackingNo);
  });

  // PGlite is one session: a second one holding the lock cannot exist there
  it.runIf(inject('pgUrl'))('one board sync at a time: a second, in another session, skips while the first holds the lock', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = db.sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(hashtext('minsheng:board-sync:' || current_schema()))`;
      locked();
      await held;
    });
    await isLocked;
    try {
      expect(await syncBoard(db.sql, { maxBatches: 1 })).toMatchObject({ busy: true, updated: 0 });
    } finally {
      release();
      await holder;
    }
    expect(await syncBoard(db.sql, { maxBatches: 1 })).toMatchObject({ busy: false });
  });
  it('gives a case listed without duplicate features (opened before they existed) its features and keys, and empties the list', async () => {
    const { caseId } = await openTestCase(db.sql, { message: { body: '镜湖区某小区3号楼电梯故障停运，老人上下楼困难。' } });
    await db.sql`DELETE FROM case_dup_keys WHERE case_id = ${caseId}`;
    await db.sql`DELETE FROM case_dup_features WHERE case_id = ${caseId}`;
    await db.sql`INSERT INTO case_dup_legacy (case_id) VALUES (${caseId})`;
    const r = await sweepReadModels({ db } as never);
    expect(r.dupFeatures).toBeGreaterThanOrEqual(1);
    const [after] = await db.sql<{ listed: number; features: number; keys: number }[]>`
      SELECT (SELECT count(*)::int FROM case_dup_legacy) AS listed,
             (SELECT count(*)::int FROM case_dup_features WHERE case_id = ${caseId}) AS features,
             (SELECT count(*)::int FROM case_dup_keys WHERE case_id = ${caseId}) AS keys`;
    expect(after).toEqual({ listed: 0, features: 1, keys: expect.any(Number) });
    expect(after.keys).toBeGreaterThan(0);
  });
  it('files the keys of a closed case indexed late as closed (the candidates read open cases\' keys only)', async () => {
    const { caseId } = await openTestCase(db.sql, { message: { body: '镜湖区某小区3号楼电梯故障停运，老人上下楼困难。' } });
    await db.sql`DELETE FROM case_dup_keys WHERE case_id = ${caseId}`;
    await db.sql`DELETE FROM case_dup_features WHERE case_id = ${caseId}`;
    await db.sql`INSERT INTO case_dup_legacy (case_id) VALUES (${caseId})`;
    await db.sql`UPDATE cases SET status = 'closed' WHERE id = ${caseId}`;
    await sweepReadModels({ db } as never);
    const rows = await db.sql<{ open: boolean; n: number }[]>`SELECT open, count(*)::int AS n FROM case_dup_keys WHERE case_id = ${caseId} GROUP BY open`;
    expect(rows.map((r) => r.open)).toEqual([false]);
    expect(rows[0].n).toBeGreaterThan(0);
  });
});
